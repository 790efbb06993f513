"""Who marks: the programme lead replaces a submission's first, second or third marker (a marker
who has left, or cannot go on). Before that slot's mark is in, no reason is needed; after it,
the reason is kept, the mark is withdrawn and the agreement forgotten, and marking starts again
for the new marker."""

from django.db import transaction
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.people.models import Membership, Role
from coachloop.programmes.models import (
    Mark,
    MarkClaim,
    MarkEvent,
    Programme,
    ProgrammeStaff,
    ReconciliationProposal,
    Submission,
)
from coachloop.programmes.rules import holds
from coachloop.programmes.services.common import check, locked_submission, now_or, refuse
from coachloop.programmes.services.history import agreement_forget, mark_event_add, mark_withdraw

FIELD_OF = {
    Mark.Position.FIRST: "first_marker",
    Mark.Position.SECOND: "second_marker",
    Mark.Position.THIRD: "third_marker",
}


def may_mark(person, submission):
    """Whether ``person`` may mark the submission at all: a tutor on its programme, or a coach
    (now) at the teacher's school; never the teacher."""
    enrolment = submission.enrolment
    if person.pk == enrolment.teacher_id:
        return False
    if holds(person, submission.assignment.module.programme_id, ProgrammeStaff.Role.TUTOR):
        return True
    return (
        Membership.objects.current()
        .filter(user_id=person.pk, school_id=enrolment.school_id, role=Role.COACH)
        .exists()
    )


def others_marking(submission, position):
    """The ids of whoever marks the submission's other slots (before hand-in, the teacher's
    tutor counts as the first marker: they mark first once the work is in)."""
    others = {
        getattr(submission, f"{name}_id")
        for slot, name in FIELD_OF.items()
        if slot != position and getattr(submission, f"{name}_id") is not None
    }
    if position != Mark.Position.FIRST and submission.first_marker_id is None:
        others.add(submission.enrolment.tutor_id)
    return others


def _refuse_before_hand_in(submission, position):
    """Handing in names the first marker (the teacher's tutor) and, on a programme whose
    coach marks second, the second: those slots are replaced once the work is in."""
    if submission.status != Submission.Status.DRAFTING:
        return
    programme = submission.assignment.module.programme
    if position == Mark.Position.FIRST or (
        position == Mark.Position.SECOND and programme.second_marker == Programme.SecondMarker.COACH
    ):
        refuse(
            "person",
            _("The work is not handed in yet: replace this marker once it is."),
        )


def _refuse_person(submission, position, person):
    if person.pk == submission.enrolment.teacher_id:
        refuse("person", _("Nobody marks their own work."))
    if person.pk == getattr(submission, f"{FIELD_OF[position]}_id"):
        refuse("person", _("%(name)s marks this already.") % {"name": person.full_name})
    if person.pk in others_marking(submission, position):
        refuse(
            "person",
            _("%(name)s marks this submission in another place: choose someone else.")
            % {"name": person.full_name},
        )
    if not may_mark(person, submission):
        refuse(
            "person",
            _("%(name)s is neither a tutor on this programme nor a coach at the teacher's school.")
            % {"name": person.full_name},
        )


def _back_to_marking(submission, position, *, actor, reason, now):
    """The slot's mark is withdrawn; so is everything agreed from it."""
    mark = submission.marks.get(position=position)
    mark_withdraw(mark, actor=actor, reason=reason, at=now)
    if position != Mark.Position.THIRD and submission.third_marker_id is not None:
        # A third mark settled a disagreement between marks that no longer stand: it goes too,
        # and the markers agree (or the lead steps in) afresh.
        third = submission.marks.filter(position=Mark.Position.THIRD).first()
        if third is not None:
            mark_withdraw(third, actor=actor, reason=reason, at=now)
        submission.third_marker = None
    agreement_forget(submission)
    ReconciliationProposal.objects.filter(
        submission=submission, outcome=ReconciliationProposal.Outcome.OPEN
    ).update(
        outcome=ReconciliationProposal.Outcome.SUPERSEDED,
        answered_by=actor.user,
        answered_at=now,
        answer_note=reason,
    )
    if position == Mark.Position.THIRD:
        submission.status = Submission.Status.ADJUDICATION
    elif submission.marks.exists():
        submission.status = Submission.Status.IN_MARKING
    else:
        submission.status = Submission.Status.NOT_MARKED


@transaction.atomic
def marker_replace(*, viewer, submission, position, person, reason="", now=None):
    """The programme lead gives the submission's ``position`` slot to ``person``. Once that
    slot's mark is in, ``reason`` is required and the mark is withdrawn; refused once the
    marks are released."""
    now = now_or(now)
    submission = locked_submission(submission)
    check("programmes.lead_submission", viewer, submission)
    if position not in FIELD_OF:
        refuse("person", _("Choose the first, second or third marker to replace."))
    if submission.status == Submission.Status.RELEASED:
        refuse("person", _("The marks are released: correct the mark instead."))
    if position == Mark.Position.THIRD and submission.third_marker_id is None:
        refuse("person", _("There is no third marker to replace."))
    _refuse_before_hand_in(submission, position)
    _refuse_person(submission, position, person)
    field = FIELD_OF[position]
    outgoing_id = getattr(submission, f"{field}_id")
    reason = (reason or "").strip()
    mark_in = submission.marks.filter(position=position).exists()
    if mark_in and not reason:
        refuse(
            "reason",
            _("Their mark is in: say why it is withdrawn. The markers and the moderator read it."),
        )
    if mark_in:
        _back_to_marking(submission, position, actor=viewer, reason=reason, now=now)
    if outgoing_id is not None:
        MarkClaim.objects.filter(
            submission=submission, position=position, marker_id=outgoing_id
        ).update(claimed_until=None)
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.MARKER_REPLACED,
        at=now,
        position=position,
        reason=reason,
        person=person,
        detail={"replaced": outgoing_id, "mark_withdrawn": mark_in},
    )
    setattr(submission, field, getattr(person, "user", person))
    submission.version += 1
    submission.save()
    audit_record(
        actor=viewer.user,
        verb="submission.marker_replaced",
        target=submission,
        subject=submission.enrolment.teacher,
        summary=f"{position} marker: person {person.pk}" + (", mark withdrawn" if mark_in else ""),
    )
    return submission
