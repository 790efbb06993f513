"""Adding to a submission's mark history. Not a service of its own: each service that changes a
mark, an agreement, a moderation or who marks calls this inside its own transaction."""

from coachloop.programmes.models import MarkEvent


def mark_event_add(
    *,
    submission,
    actor,
    kind,
    at,
    position="",
    mark=None,
    previous_mark=None,
    reason="",
    person=None,
    detail=None,
):
    return MarkEvent.objects.create(
        trust_id=submission.trust_id,
        submission=submission,
        actor=getattr(actor, "user", actor),
        kind=kind,
        at=at,
        position=position,
        mark=mark,
        previous_mark=previous_mark,
        reason=reason,
        person=getattr(person, "user", person),
        detail=detail or {},
    )


def mark_events_add(submissions, *, actor, kind, at, mark_of=None, reason=""):
    """The same event for many submissions at once (a sample draw, a release): one query."""
    actor = getattr(actor, "user", actor)
    return MarkEvent.objects.bulk_create(
        MarkEvent(
            trust_id=s.trust_id,
            submission=s,
            actor=actor,
            kind=kind,
            at=at,
            mark=mark_of(s) if mark_of else None,
            reason=reason,
        )
        for s in submissions
    )


def mark_withdraw(mark, *, actor, reason, at):
    """Take a mark out of the workflow (its marker is replaced, or its stage reopened), keeping
    what it said in the history: the mark row goes, so a new mark can take the slot."""
    mark_event_add(
        submission=mark.submission,
        actor=actor,
        kind=MarkEvent.Kind.MARK_WITHDRAWN,
        at=at,
        position=mark.position,
        previous_mark=mark.overall,
        reason=reason,
        person=mark.marker,
        detail={"scores": mark.scores, "comments": mark.comments, "reason": mark.reason},
    )
    mark.delete()


def agreement_forget(submission):
    """Clear the agreed mark and everything that followed from it (the caller saves), so the
    markers agree again; the history keeps what it was."""
    submission.agreed_mark = None
    submission.agreed_by = ""
    submission.agreed_reason = ""
    submission.agreed_at = None
    submission.agreed_feedback = ""
    submission.reconciled_by = None
    submission.confirmed_by = None
    submission.in_sample = False
    submission.moderator = None
    submission.moderated_mark = None
    submission.moderation_note = ""
    submission.moderated_at = None
