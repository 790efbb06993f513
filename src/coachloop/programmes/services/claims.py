"""Claims: each marker holds their own slot (first, second or third) of a submission while they
mark it, so the two markers mark in parallel and nobody else marks a slot at the same time. A
claim keeps what its marker has typed ("save and finish later"), and can be given up."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.programmes.models import Mark, MarkClaim, Submission
from coachloop.programmes.services.common import check, locked_submission, now_or, refuse

MARKING = (Submission.Status.NOT_MARKED, Submission.Status.IN_MARKING)
SLOT_OF = (
    ("first_marker_id", Mark.Position.FIRST),
    ("second_marker_id", Mark.Position.SECOND),
    ("third_marker_id", Mark.Position.THIRD),
)


def slot_of(viewer, submission):
    """The viewer's slot on the submission (a Mark.Position), or None when they mark none.
    The third slot marks only while the submission is with the programme lead."""
    for attribute, position in SLOT_OF:
        if getattr(submission, attribute) == viewer.pk:
            return position
    return None


def rival_claim(submission, position, viewer, now):
    """Someone else's live claim on the same slot (after a replacement), or None."""
    return (
        MarkClaim.objects.filter(submission=submission, position=position, claimed_until__gt=now)
        .exclude(marker_id=viewer.pk)
        .select_related("marker")
        .first()
    )


def claim_refusal(claim):
    until = timezone.localtime(claim.claimed_until)
    return _("%(name)s is marking this submission until %(time)s. Try again after that.") % {
        "name": claim.marker.full_name,
        "time": time_format(until, "H:i"),
    }


def own_claim(submission, viewer, position):
    return MarkClaim.objects.filter(
        submission=submission, position=position, marker_id=viewer.pk
    ).first()


def ready_to_mark(viewer, submission, field, now):
    """The viewer's slot when they may mark it now; otherwise a refusal on ``field``."""
    check("programmes.mark", viewer, submission)
    if viewer.pk == submission.enrolment.teacher_id:
        refuse(field, _("Nobody marks their own work."))
    position = slot_of(viewer, submission)
    open_statuses = (
        (Submission.Status.ADJUDICATION,) if position == Mark.Position.THIRD else MARKING
    )
    if position is None or submission.status not in open_statuses:
        refuse(field, _("This submission is not waiting to be marked."))
    if submission.marks.filter(position=position).exists():
        refuse(field, _("Your mark for this submission is in already."))
    rival = rival_claim(submission, position, viewer, now)
    if rival is not None:
        refuse(field, claim_refusal(rival))
    return position


def _hold(submission, viewer, position, now):
    programme = submission.assignment.module.programme
    claim, _created = MarkClaim.objects.get_or_create(
        submission=submission,
        position=position,
        marker=viewer.user,
        defaults={"trust_id": submission.trust_id},
    )
    claim.claimed_until = now + dt.timedelta(minutes=programme.claim_minutes)
    return claim


@transaction.atomic
def submission_claim(*, viewer, submission, now=None):
    """Hold the viewer's own slot for the programme's claim time, so nobody else marks that
    slot meanwhile (the other marker marks theirs in parallel). Returns the claim."""
    now = now_or(now)
    submission = locked_submission(submission)
    position = ready_to_mark(viewer, submission, "claim", now)
    claim = _hold(submission, viewer, position, now)
    claim.save()
    audit_record(
        actor=viewer.user,
        verb="submission.claimed",
        target=submission,
        subject=submission.enrolment.teacher,
        summary=f"{position} until {claim.claimed_until:%Y-%m-%d %H:%M}",
    )
    return claim


@transaction.atomic
def claim_give_up(*, viewer, submission, now=None):
    """End the viewer's live claim on their slot, so someone else may mark it; what they typed
    stays with them."""
    now = now_or(now)
    submission = locked_submission(submission)
    check("programmes.mark", viewer, submission)
    position = slot_of(viewer, submission)
    claim = own_claim(submission, viewer, position) if position else None
    if claim is None or not claim.holds(now):
        refuse("claim", _("You do not hold a claim on this submission."))
    claim.claimed_until = None
    claim.save(update_fields=["claimed_until"])
    audit_record(
        actor=viewer.user,
        verb="submission.claim_given_up",
        target=submission,
        subject=submission.enrolment.teacher,
        summary=f"{position}",
    )
    return claim


@transaction.atomic
def mark_draft_save(*, viewer, submission, scores, comments, now=None):
    """Keep what the viewer has typed so far on their slot ("save and finish later"): the marks
    given (whole numbers from 0 to 100, any left blank) and the comments. Holds the slot again
    when nobody else does."""
    now = now_or(now)
    submission = locked_submission(submission)
    position = ready_to_mark(viewer, submission, "scores", now)
    criteria = {str(c.pk) for c in submission.assignment.criteria.all()}
    if not isinstance(scores, dict) or not {str(k) for k in scores} <= criteria:
        refuse("scores", _("Give marks only for this assignment's criteria."))
    kept = {}
    for key, value in scores.items():
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            refuse("scores", _("Each mark must be a whole number from 0 to 100."))
        kept[str(key)] = value
    claim = _hold(submission, viewer, position, now)
    claim.scores = kept
    claim.comments = (comments or "").strip()
    claim.saved_at = now
    claim.save()
    audit_record(
        actor=viewer.user,
        verb="submission.mark_draft_saved",
        target=submission,
        subject=submission.enrolment.teacher,
        summary=f"{position}, {len(kept)} of {len(criteria)} marks",
    )
    return claim
