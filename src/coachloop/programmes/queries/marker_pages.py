"""Reads for the programme lead's page replacing a submission's marker: the submission, who
marks each slot now and whether their mark is in, and who may mark in their place. A 404 for
anyone not on the programme's staff, a 403 for its staff other than the lead."""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from coachloop.people.models import Membership, Role, User
from coachloop.programmes.models import Mark, ProgrammeStaff, Submission
from coachloop.programmes.queries.staff_pages import LEAD, _allowed, roles_on
from coachloop.programmes.services.markers import FIELD_OF, others_marking

SLOTS = {
    "first": Mark.Position.FIRST,
    "second": Mark.Position.SECOND,
    "third": Mark.Position.THIRD,
}


@dataclass
class MarkerSlot:
    submission: Submission
    position: str  # Mark.Position
    marker: object | None  # who marks the slot now
    mark_in: bool

    @property
    def programme(self):
        return self.submission.assignment.module.programme

    @property
    def label(self):
        return Mark.Position(self.position).label


def marker_slot_for_lead(viewer, submission_id, position):
    """One slot of a submission, for the lead of its programme."""
    if position not in SLOTS:
        raise Http404
    position = SLOTS[position]
    submission = (
        Submission.objects.select_related(
            "assignment__module__programme",
            "enrolment__teacher",
            "first_marker",
            "second_marker",
            "third_marker",
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404
    _allowed(roles_on(viewer, submission.assignment.module.programme_id), (LEAD,))
    return MarkerSlot(
        submission=submission,
        position=position,
        marker=getattr(submission, FIELD_OF[position]),
        mark_in=submission.marks.filter(position=position).exists(),
    )


def marker_choices(slot):
    """Who may take the slot: the programme's tutors and the coaches now at the teacher's
    school, other than the teacher and whoever marks the submission already."""
    submission = slot.submission
    enrolment = submission.enrolment
    tutors = ProgrammeStaff.objects.filter(
        programme_id=submission.assignment.module.programme_id, role=ProgrammeStaff.Role.TUTOR
    ).values("person_id")
    coaches = (
        Membership.objects.current()
        .filter(school_id=enrolment.school_id, role=Role.COACH)
        .values("user_id")
    )
    marking = [getattr(submission, f"{FIELD_OF[slot.position]}_id")]
    marking += others_marking(submission, slot.position)
    return (
        User.objects.filter(Q(pk__in=tutors) | Q(pk__in=coaches))
        .exclude(pk__in=[enrolment.teacher_id, *(pk for pk in marking if pk)])
        .order_by("full_name", "pk")
    )
