"""Fill in what existed before the history was kept.

- Programmes that ran before this change keep showing their teachers what they showed them:
  each marker's marks and comments, and the first marker's feedback (new programmes give the
  markers' agreed feedback only).
- A marker's live claim on a whole submission becomes their claim on their own slot.
- Each submission's history is rebuilt from what its row and its marks record: the marks,
  the agreement, the moderation and the release, each saying it was recorded before the
  history was kept. Nothing else is known (who agreed a mark within tolerance, for one).

Going back deletes the rebuilt history and the claims copied forward, and leaves the
programmes' settings as they are.
"""

from django.db import migrations

BATCH_SIZE = 1000
BEFORE = "Recorded before the mark history was kept."


def _position(submission, person_id):
    if person_id == submission.first_marker_id:
        return "first"
    if person_id == submission.second_marker_id:
        return "second"
    return None


def fill_in(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    Submission = apps.get_model("programmes", "Submission")
    Mark = apps.get_model("programmes", "Mark")
    MarkEvent = apps.get_model("programmes", "MarkEvent")
    MarkClaim = apps.get_model("programmes", "MarkClaim")
    Programme._base_manager.update(teacher_feedback="first_marker", show_individual_marking=True)

    events, claims = [], []
    latest_mark = {}  # submission id: when its later mark came in (when marks were agreed)

    def flush(force=False):
        if force or len(events) >= BATCH_SIZE:
            MarkEvent._base_manager.bulk_create(events)
            events.clear()
        if force or len(claims) >= BATCH_SIZE:
            MarkClaim._base_manager.bulk_create(claims)
            claims.clear()

    for mark in Mark._base_manager.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        seen = latest_mark.get(mark.submission_id)
        latest_mark[mark.submission_id] = max(seen or mark.submitted_at, mark.submitted_at)
        events.append(
            MarkEvent(
                trust_id=mark.trust_id,
                submission_id=mark.submission_id,
                at=mark.submitted_at,
                actor_id=mark.marker_id,
                kind="marked",
                position=mark.position,
                mark=mark.overall,
                reason=BEFORE,
            )
        )
        flush()
    submissions = Submission._base_manager.order_by("pk")
    for submission in submissions.iterator(chunk_size=BATCH_SIZE):
        base = {"trust_id": submission.trust_id, "submission_id": submission.pk, "reason": BEFORE}
        if submission.agreed_mark is not None:
            reconciled = submission.agreed_by == "reconciled"
            events.append(
                MarkEvent(
                    **base,
                    at=latest_mark.get(submission.pk) or submission.submitted_at,
                    actor_id=submission.reconciled_by_id if reconciled else None,
                    kind="confirmed" if reconciled else "agreed",
                    mark=submission.agreed_mark,
                )
            )
        if submission.moderated_at is not None:
            events.append(
                MarkEvent(
                    **base,
                    at=submission.moderated_at,
                    actor_id=submission.moderator_id,
                    kind="moderated",
                    mark=submission.moderated_mark,
                    previous_mark=submission.agreed_mark,
                )
            )
        if submission.released_at is not None:
            events.append(
                MarkEvent(
                    **base,
                    at=submission.released_at,
                    actor_id=None,
                    kind="released",
                    mark=submission.moderated_mark
                    if submission.moderated_mark is not None
                    else submission.agreed_mark,
                )
            )
        position = _position(submission, submission.claimed_by_id)
        if position and submission.claimed_until is not None:
            claims.append(
                MarkClaim(
                    trust_id=submission.trust_id,
                    submission_id=submission.pk,
                    position=position,
                    marker_id=submission.claimed_by_id,
                    claimed_until=submission.claimed_until,
                )
            )
        flush()
    flush(force=True)


def take_out(apps, schema_editor):
    MarkEvent = apps.get_model("programmes", "MarkEvent")
    MarkClaim = apps.get_model("programmes", "MarkClaim")
    MarkEvent._base_manager.filter(reason=BEFORE).delete()
    MarkClaim._base_manager.filter(saved_at=None, scores={}).delete()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0005_mark_history")]

    operations = [migrations.RunPython(fill_in, take_out)]
