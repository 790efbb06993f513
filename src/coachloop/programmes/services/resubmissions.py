"""A resubmission after a released fail: the programme lead opens a new attempt with its own
due date. The failed attempt stays on record with its marks; the new one is marked as any
other, and its mark is capped at the pass mark when the programme says so."""

from django.db import transaction
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.programmes.models import MarkEvent, Submission
from coachloop.programmes.services.common import check, locked_submission, now_or, refuse
from coachloop.programmes.services.history import mark_event_add


@transaction.atomic
def resubmission_open(*, viewer, submission, due_at, reason, now=None):
    """Open a new attempt of a released fail, due at ``due_at``; returns the new attempt."""
    now = now_or(now)
    submission = locked_submission(submission)
    check("programmes.lead_submission", viewer, submission)
    programme = submission.assignment.module.programme
    if not submission.is_current:
        refuse("due_at", _("A later attempt is open already: open a resubmission from that one."))
    if submission.status != Submission.Status.RELEASED:
        refuse("due_at", _("A resubmission can be opened only once the marks are released."))
    final = submission.final_mark
    if final is None or final >= programme.pass_mark:
        refuse(
            "due_at",
            _("This work passed (%(mark)s%%), so there is nothing to resubmit.") % {"mark": final},
        )
    if due_at is None or due_at <= now:
        refuse("due_at", _("The new due date must be in the future."))
    reason = (reason or "").strip()
    if not reason:
        refuse("reason", _("Say why the resubmission is opened: the exam board sees it."))
    submission.is_current = False
    submission.version += 1
    submission.save(update_fields=["is_current", "version"])
    attempt = Submission.objects.create(
        trust_id=submission.trust_id,
        enrolment=submission.enrolment,
        assignment=submission.assignment,
        attempt=submission.attempt + 1,
        is_current=True,
        status=Submission.Status.DRAFTING,
        extended_due_at=due_at,
        mark_cap=programme.pass_mark if programme.cap_resubmissions else None,
    )
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.RESUBMISSION_OPENED,
        at=now,
        mark=final,
        reason=reason,
        detail={"attempt": attempt.attempt, "due_at": due_at.isoformat()},
    )
    audit_record(
        actor=viewer.user,
        verb="submission.resubmission_opened",
        target=attempt,
        subject=submission.enrolment.teacher,
        summary=f"attempt {attempt.attempt}, due {due_at:%Y-%m-%d %H:%M}"
        + (f", capped at {attempt.mark_cap}" if attempt.mark_cap is not None else ""),
    )
    return attempt
