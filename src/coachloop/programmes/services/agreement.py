"""Agreeing a mark when the two marks need reconciling (further apart than the programme allows,
or in different bands): one marker proposes an agreed mark and the agreed feedback, the other
confirms or declines it; declined, it goes to the programme lead, who decides the mark or
appoints a third marker, whose mark (with why it settles it) becomes the agreed mark.

One marker alone never sets the agreed mark, and a proposal lies between the two marks: a mark
outside them is for the programme lead."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.programmes.models import (
    Mark,
    MarkEvent,
    ProgrammeStaff,
    ReconciliationProposal,
    Submission,
)
from coachloop.programmes.rules import holds
from coachloop.programmes.services.common import (
    check,
    locked_submission,
    now_or,
    refuse,
    whole_mark,
)
from coachloop.programmes.services.history import mark_event_add
from coachloop.programmes.services.marking import waiting_to_agree, weighted_overall

AGREED_OUT_OF_RANGE = _("The agreed mark must be a whole number from 0 to 100.")
NO_FEEDBACK = _("Write the agreed feedback: the teacher reads it with the mark.")
Outcome = ReconciliationProposal.Outcome


def two_marks(submission):
    """The first and second marks, by position (the third marker's left out)."""
    return {
        m.position: m
        for m in submission.marks.all()
        if m.position in (Mark.Position.FIRST, Mark.Position.SECOND)
    }


def _waiting_to_agree(submission, marks):
    return waiting_to_agree(submission, marks)


def _audit(viewer, verb, submission, summary):
    audit_record(
        actor=viewer.user,
        verb=verb,
        target=submission,
        subject=submission.enrolment.teacher,
        summary=summary,
    )


def _one_of_the_two(viewer, submission):
    """The viewer is the first or the second marker (the third settles by marking)."""
    if viewer.pk not in (submission.first_marker_id, submission.second_marker_id):
        raise PermissionDenied


def _open_proposal(submission):
    return (
        ReconciliationProposal.objects.select_for_update()
        .filter(submission=submission, outcome=Outcome.OPEN)
        .first()
    )


def _close(proposal, outcome, *, by, at, note=""):
    proposal.outcome = outcome
    proposal.answered_by = getattr(by, "user", by)
    proposal.answered_at = at
    proposal.answer_note = note
    proposal.save(update_fields=["outcome", "answered_by", "answered_at", "answer_note"])


def _required(value, field, message):
    value = (value or "").strip()
    if not value:
        refuse(field, message)
    return value


@transaction.atomic
def reconciliation_propose(*, viewer, submission, agreed_mark, reason, feedback, now=None):
    """One marker proposes the agreed mark (between the two marks), how they reached it and
    the agreed feedback, for the other marker to confirm or decline. A later proposal of the
    same marker replaces their open one."""
    now = now_or(now)
    submission = locked_submission(submission)
    check("programmes.mark", viewer, submission)
    _one_of_the_two(viewer, submission)
    marks = two_marks(submission)
    if not _waiting_to_agree(submission, marks):
        refuse(
            "agreed_mark",
            _(
                "Only marks further apart than the tolerance, or in different bands, "
                "are reconciled."
            ),
        )
    whole_mark(agreed_mark, "agreed_mark", AGREED_OUT_OF_RANGE)
    lowest, highest = sorted(m.overall for m in marks.values())
    if not lowest <= agreed_mark <= highest:
        refuse(
            "agreed_mark",
            _(
                "The agreed mark must lie between the two marks, from %(lowest)s to "
                "%(highest)s. A mark outside them is for the programme lead to decide."
            )
            % {"lowest": lowest, "highest": highest},
        )
    reason = _required(
        reason, "reason", _("Say how you reached the agreed mark: the moderator reads it.")
    )
    feedback = _required(feedback, "feedback", NO_FEEDBACK)
    open_one = _open_proposal(submission)
    if open_one is not None:
        if open_one.proposed_by_id != viewer.pk:
            refuse(
                "agreed_mark",
                _("The other marker has proposed a mark already: confirm or decline it first."),
            )
        _close(open_one, Outcome.SUPERSEDED, by=viewer, at=now)
    proposal = ReconciliationProposal.objects.create(
        trust_id=submission.trust_id,
        submission=submission,
        proposed_by=viewer.user,
        mark=agreed_mark,
        reason=reason,
        feedback=feedback,
        proposed_at=now,
    )
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.PROPOSED,
        at=now,
        mark=agreed_mark,
        reason=reason,
    )
    submission.version += 1
    submission.save(update_fields=["version"])
    _audit(viewer, "submission.reconciliation_proposed", submission, f"proposed {agreed_mark}")
    return proposal


def _answerable(viewer, proposal):
    """The submission (locked) and the proposal (as it stands), for the other marker."""
    submission = locked_submission(proposal.submission)
    check("programmes.mark", viewer, submission)
    _one_of_the_two(viewer, submission)
    proposal = ReconciliationProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.proposed_by_id == viewer.pk:
        refuse("proposal", _("The other marker confirms or declines your proposal, not you."))
    if proposal.outcome != Outcome.OPEN:
        refuse("proposal", _("This proposal has been answered or withdrawn already."))
    if not _waiting_to_agree(submission, two_marks(submission)):
        refuse("proposal", _("These marks are no longer waiting to be agreed."))
    return submission, proposal


@transaction.atomic
def reconciliation_confirm(*, viewer, proposal, now=None):
    """The other marker confirms the proposal: it becomes the agreed mark and feedback."""
    now = now_or(now)
    submission, proposal = _answerable(viewer, proposal)
    _close(proposal, Outcome.CONFIRMED, by=viewer, at=now)
    submission.agreed_mark = proposal.mark
    submission.agreed_by = Submission.AgreedBy.RECONCILED
    submission.agreed_reason = proposal.reason
    submission.agreed_feedback = proposal.feedback
    submission.reconciled_by_id = proposal.proposed_by_id
    submission.confirmed_by = viewer.user
    submission.agreed_at = now
    submission.status = Submission.Status.MARKING_DONE
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.CONFIRMED,
        at=now,
        mark=proposal.mark,
        reason=proposal.reason,
        person=proposal.proposed_by,
    )
    submission.version += 1
    submission.save()
    _audit(viewer, "submission.reconciled", submission, f"agreed {proposal.mark}")
    return submission


@transaction.atomic
def reconciliation_decline(*, viewer, proposal, note, now=None):
    """The other marker declines the proposal, saying why: the programme lead decides."""
    now = now_or(now)
    note = _required(
        note, "note", _("Say why you decline the proposed mark: the programme lead reads it.")
    )
    submission, proposal = _answerable(viewer, proposal)
    _close(proposal, Outcome.DECLINED, by=viewer, at=now, note=note)
    submission.status = Submission.Status.ADJUDICATION
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.DECLINED,
        at=now,
        mark=proposal.mark,
        reason=note,
        person=proposal.proposed_by,
    )
    submission.version += 1
    submission.save(update_fields=["status", "version"])
    _audit(viewer, "submission.reconciliation_declined", submission, f"declined {proposal.mark}")
    return submission


@transaction.atomic
def reconciliation_withdraw(*, viewer, proposal, now=None):
    """The proposer takes their open proposal back (the marks wait to be agreed again)."""
    now = now_or(now)
    submission = locked_submission(proposal.submission)
    proposal = ReconciliationProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.proposed_by_id != viewer.pk:
        raise PermissionDenied
    if proposal.outcome != Outcome.OPEN:
        refuse("proposal", _("This proposal has been answered or withdrawn already."))
    _close(proposal, Outcome.WITHDRAWN, by=viewer, at=now)
    submission.version += 1
    submission.save(update_fields=["version"])
    _audit(viewer, "submission.reconciliation_withdrawn", submission, f"withdrew {proposal.mark}")
    return proposal


def _with_the_lead(viewer, submission, field):
    """The submission (locked) when its marks are the programme lead's to settle."""
    submission = locked_submission(submission)
    check("programmes.lead_submission", viewer, submission)
    marks = two_marks(submission)
    if submission.status != Submission.Status.ADJUDICATION and not _waiting_to_agree(
        submission, marks
    ):
        refuse(
            field,
            _(
                "Only marks the markers have not agreed (further apart than the tolerance, or "
                "in different bands) are settled by the programme lead."
            ),
        )
    return submission


@transaction.atomic
def mark_adjudicate(*, viewer, submission, agreed_mark, reason, feedback, now=None):
    """The programme lead decides the agreed mark (any mark), with a reason and the agreed
    feedback, when the markers have not agreed one; an open proposal is replaced by it."""
    now = now_or(now)
    submission = _with_the_lead(viewer, submission, "agreed_mark")
    whole_mark(agreed_mark, "agreed_mark", AGREED_OUT_OF_RANGE)
    reason = _required(
        reason, "reason", _("Say how you decided the mark: the moderator and the board read it.")
    )
    feedback = _required(feedback, "feedback", NO_FEEDBACK)
    open_one = _open_proposal(submission)
    if open_one is not None:
        _close(open_one, Outcome.SUPERSEDED, by=viewer, at=now)
    submission.agreed_mark = agreed_mark
    submission.agreed_by = Submission.AgreedBy.ADJUDICATED
    submission.agreed_reason = reason
    submission.agreed_feedback = feedback
    submission.reconciled_by = None
    submission.confirmed_by = viewer.user
    submission.agreed_at = now
    submission.status = Submission.Status.MARKING_DONE
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.ADJUDICATED,
        at=now,
        mark=agreed_mark,
        reason=reason,
    )
    submission.version += 1
    submission.save()
    _audit(viewer, "submission.adjudicated", submission, f"agreed {agreed_mark}")
    return submission


@transaction.atomic
def third_marker_appoint(*, viewer, submission, person, reason, now=None):
    """The programme lead appoints a third marker, a tutor on the programme who is neither
    marker nor the teacher, whose mark will settle it."""
    now = now_or(now)
    submission = _with_the_lead(viewer, submission, "person")
    if submission.marks.filter(position=Mark.Position.THIRD).exists():
        refuse("person", _("The third mark is in already."))
    if person.pk == submission.enrolment.teacher_id:
        refuse("person", _("Nobody marks their own work."))
    if person.pk in (submission.first_marker_id, submission.second_marker_id):
        refuse("person", _("The third marker must be someone other than the two markers."))
    programme_id = submission.assignment.module.programme_id
    if not holds(person, programme_id, ProgrammeStaff.Role.TUTOR):
        refuse(
            "person", _("%(name)s does not tutor on this programme.") % {"name": person.full_name}
        )
    reason = _required(reason, "reason", _("Say why a third marker is needed: the board reads it."))
    open_one = _open_proposal(submission)
    if open_one is not None:
        _close(open_one, Outcome.SUPERSEDED, by=viewer, at=now)
    submission.third_marker = getattr(person, "user", person)
    submission.status = Submission.Status.ADJUDICATION
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.THIRD_MARKER_APPOINTED,
        at=now,
        position=Mark.Position.THIRD,
        reason=reason,
        person=person,
    )
    submission.version += 1
    submission.save(update_fields=["third_marker", "status", "version"])
    _audit(viewer, "submission.third_marker_appointed", submission, f"person {person.pk}")
    return submission


@transaction.atomic
def third_mark_record(*, viewer, submission, scores, comments, reason, now=None):
    """The third marker's mark, criterion by criterion, with their comments (the agreed
    feedback) and why it settles it: it becomes the agreed mark."""
    now = now_or(now)
    submission = locked_submission(submission)
    if submission.third_marker_id is None or viewer.pk != submission.third_marker_id:
        raise PermissionDenied
    if submission.status != Submission.Status.ADJUDICATION:
        refuse("scores", _("This submission is not waiting for a third mark."))
    if submission.marks.filter(position=Mark.Position.THIRD).exists():
        refuse("scores", _("Your mark for this submission is in already."))
    criteria = list(submission.assignment.criteria.all())
    if not sum(c.weight for c in criteria):
        refuse("scores", _("This assignment has no weighted marking criteria yet."))
    if not isinstance(scores, dict) or {str(k) for k in scores} != {str(c.pk) for c in criteria}:
        refuse("scores", _("Give a mark for every criterion."))
    out_of_range = _("Each mark must be a whole number from 0 to 100.")
    scores = {str(k): whole_mark(v, "scores", out_of_range) for k, v in scores.items()}
    comments = _required(
        comments, "comments", _("Write the feedback the teacher will read with the mark.")
    )
    reason = _required(
        reason, "reason", _("Say why your mark settles it: the moderator and the board read it.")
    )
    mark = Mark.objects.create(
        trust_id=submission.trust_id,
        submission=submission,
        position=Mark.Position.THIRD,
        marker=viewer.user,
        scores=scores,
        overall=weighted_overall(criteria, scores),
        comments=comments,
        reason=reason,
        submitted_at=now,
    )
    submission.agreed_mark = mark.overall
    submission.agreed_by = Submission.AgreedBy.THIRD_MARKER
    submission.agreed_reason = reason
    submission.agreed_feedback = comments
    submission.agreed_at = now
    submission.status = Submission.Status.MARKING_DONE
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.THIRD_MARKED,
        at=now,
        position=Mark.Position.THIRD,
        mark=mark.overall,
        reason=reason,
    )
    submission.version += 1
    submission.save()
    _audit(viewer, "submission.third_marked", submission, f"third mark {mark.overall}")
    return mark
