"""The programme lead puts right what went wrong in a submission's marking: before release by
reopening a stage (a mark, the agreement or the moderation) with a reason, and after release by
correcting the mark with a reason, which the teacher is told about by email. Every change is
kept in the mark history (``MarkEvent``) with who, when and why."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coachloop.common.audit import audit_record
from coachloop.programmes.models import Mark, MarkEvent, ReconciliationProposal, Submission
from coachloop.programmes.services.common import (
    check,
    locked_submission,
    now_or,
    refuse,
    whole_mark,
)
from coachloop.programmes.services.history import agreement_forget, mark_event_add, mark_withdraw

logger = logging.getLogger(__name__)

# What the lead can reopen before release: one marker's mark, the agreement or the moderation.
FIRST_MARK = Mark.Position.FIRST
SECOND_MARK = Mark.Position.SECOND
THIRD_MARK = Mark.Position.THIRD
AGREEMENT = "agreement"
MODERATION = "moderation"
STAGES = {
    FIRST_MARK: gettext_lazy("The first mark"),
    SECOND_MARK: gettext_lazy("The second mark"),
    THIRD_MARK: gettext_lazy("The third mark"),
    AGREEMENT: gettext_lazy("The agreed mark"),
    MODERATION: gettext_lazy("The moderation"),
}

NOTHING_TO_REOPEN = {
    FIRST_MARK: gettext_lazy("There is no first mark to reopen."),
    SECOND_MARK: gettext_lazy("There is no second mark to reopen."),
    THIRD_MARK: gettext_lazy("There is no third mark to reopen."),
}

REASON_LIMIT = 2000


def _reason(reason, message):
    reason = (reason or "").strip()
    if not reason:
        refuse("reason", message)
    if len(reason) > REASON_LIMIT:
        refuse("reason", _("Keep the reason to %(n)s characters or fewer.") % {"n": REASON_LIMIT})
    return reason


def _proposals_withdraw(submission, *, viewer, at, note):
    """An open proposal for an agreed mark no longer stands once what it agreed is reopened."""
    ReconciliationProposal.objects.filter(
        submission=submission, outcome=ReconciliationProposal.Outcome.OPEN
    ).update(
        outcome=ReconciliationProposal.Outcome.WITHDRAWN,
        answered_by=viewer.user,
        answered_at=at,
        answer_note=note,
    )


def _back_to_marking(submission):
    """Where a submission stands once a mark or the agreement is reopened: with a third marker
    appointed and their mark missing, with the programme lead; otherwise with the markers."""
    positions = set(submission.marks.values_list("position", flat=True))
    if submission.third_marker_id and Mark.Position.THIRD not in positions:
        return Submission.Status.ADJUDICATION
    return Submission.Status.IN_MARKING if positions else Submission.Status.NOT_MARKED


@transaction.atomic
def submission_reopen(*, viewer, submission, stage, reason, now=None):
    """Before release the programme lead reopens one stage of a submission's marking, saying
    why: a marker's mark is withdrawn (kept in the history) and that marker marks again; the
    agreed mark is forgotten and the markers agree again; the moderator's decision is cleared
    and they moderate again. Reopening a mark or the agreement also undoes what followed from
    it (the agreement, the sample and the moderation), so the work goes through them again."""
    submission = locked_submission(submission)
    check("programmes.lead_submission", viewer, submission)
    if stage not in STAGES:
        refuse("stage", _("Choose what to reopen."))
    if submission.status == Submission.Status.RELEASED:
        refuse(
            "stage",
            _(
                "The marks are released, so nothing can be reopened: correct the mark instead, "
                "and the teacher is told."
            ),
        )
    reason = _reason(reason, _("Say why you are reopening it: the markers and moderator read it."))
    now = now_or(now)
    previous_mark = submission.final_mark
    if stage in (FIRST_MARK, SECOND_MARK, THIRD_MARK):
        mark = submission.marks.filter(position=stage).select_related("marker").first()
        if mark is None:
            refuse("stage", str(NOTHING_TO_REOPEN[stage]))
        mark_withdraw(mark, actor=viewer, reason=reason, at=now)
        agreement_forget(submission)
        submission.status = _back_to_marking(submission)
    elif stage == AGREEMENT:
        if submission.agreed_mark is None:
            refuse("stage", _("There is no agreed mark to reopen."))
        agreement_forget(submission)
        submission.status = _back_to_marking(submission)
    else:
        if not (submission.in_sample and submission.moderated_at is not None):
            refuse("stage", _("There is no moderation decision to reopen."))
        submission.moderated_mark = None
        submission.moderation_note = ""
        submission.moderated_at = None
        submission.status = Submission.Status.IN_REVIEW
    if stage != MODERATION:
        _proposals_withdraw(submission, viewer=viewer, at=now, note=reason)
    submission.version += 1
    submission.save()
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.REOPENED,
        at=now,
        position=stage if stage in (FIRST_MARK, SECOND_MARK, THIRD_MARK) else "",
        mark=submission.final_mark,
        previous_mark=previous_mark,
        reason=reason,
        detail={"stage": stage},
    )
    audit_record(
        actor=viewer.user,
        verb="submission.reopened",
        target=submission,
        subject=submission.enrolment.teacher,
        summary=f"{stage} reopened: {reason}",
    )
    return submission


@transaction.atomic
def mark_correct(*, viewer, submission, mark, reason, now=None):
    """After release the programme lead corrects a submission's mark, saying why. The corrected
    mark is the final one (held to the attempt's cap, if it has one); the history keeps the
    mark before; the teacher is told by email once the correction is saved."""
    submission = locked_submission(submission)
    check("programmes.lead_submission", viewer, submission)
    if submission.status != Submission.Status.RELEASED:
        refuse(
            "mark",
            _(
                "The marks are not released yet: reopen the stage that needs changing instead, "
                "and the markers or moderator change it."
            ),
        )
    whole_mark(mark, "mark", _("The corrected mark must be a whole number from 0 to 100."))
    if mark == submission.uncapped_mark:
        refuse("mark", _("That is the mark already: give the mark it should be."))
    reason = _reason(reason, _("Say why the mark changes: the teacher reads it."))
    now = now_or(now)
    previous = submission.final_mark
    submission.corrected_mark = mark
    submission.version += 1
    submission.save(update_fields=["corrected_mark", "version"])
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.CORRECTED,
        at=now,
        mark=submission.final_mark,
        previous_mark=previous,
        reason=reason,
    )
    audit_record(
        actor=viewer.user,
        verb="submission.mark_corrected",
        target=submission,
        subject=submission.enrolment.teacher,
        summary=f"{previous} corrected to {submission.final_mark}",
    )
    teacher = submission.enrolment.teacher
    subject, body = _correction_email(submission, previous=previous, reason=reason)
    transaction.on_commit(lambda: _send(teacher, subject, body))
    return submission


def _correction_email(submission, *, previous, reason):
    assignment = submission.assignment.title
    link = settings.COACHLOOP_SITE_URL.rstrip("/") + reverse(
        "programmes:submission", args=[submission.assignment_id]
    )
    subject = _("Your mark for “%(assignment)s” has been corrected") % {"assignment": assignment}
    body = _(
        "Your mark for “%(assignment)s” has been corrected from %(previous)s to %(mark)s.\n\n"
        "Why it changed: %(reason)s\n\n"
        "The corrected mark is the one that counts. You can read it with your feedback at:\n"
        "%(link)s\n"
    ) % {
        "assignment": assignment,
        "previous": previous,
        "mark": submission.final_mark,
        "reason": reason,
        "link": link,
    }
    return subject, body


def _send(person, subject, body):
    """A mail server that is down must not undo the correction: the failure is logged for the
    operators (by person, not address)."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    except Exception:
        logger.exception("Could not send the mark correction email to person %s.", person.pk)
