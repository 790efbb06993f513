"""A submission's board page: both marks, how the mark was agreed, the moderation, the final
mark and the whole mark history, for its programme's lead and moderators (404 for anyone not
on the programme's staff, 403 for its tutors). Every showing is a read in the teacher's trail.
The lead's actions (reopen, correct, choose the moderator) read the submission the same way."""

from dataclasses import dataclass

from django.http import Http404

from coachloop.common.audit import audit_read
from coachloop.people.models import User
from coachloop.programmes.models import Band, Mark, MarkEvent, ProgrammeStaff, Submission
from coachloop.programmes.queries.exam_board import READ_SUMMARY
from coachloop.programmes.queries.staff_pages import LEAD, MODERATOR, _allowed, roles_on
from coachloop.programmes.services.corrections import (
    AGREEMENT,
    FIRST_MARK,
    MODERATION,
    SECOND_MARK,
    STAGES,
    THIRD_MARK,
)


@dataclass
class BoardPage:
    submission: Submission
    marks: list  # Mark, first, second, third
    events: list  # MarkEvent, oldest first
    band: object  # the final mark's Band, or None
    is_lead: bool
    reopen_stages: list  # (stage, label) the lead may reopen now

    @property
    def released(self):
        return self.submission.status == Submission.Status.RELEASED

    @property
    def can_replace_moderator(self):
        return self.is_lead and self.submission.in_sample and not self.released


def submission_on_board(viewer, submission_id, *, allowed=(LEAD, MODERATOR)):
    """The submission, with everyone named on it, for the programme's lead or moderators; its
    showing is recorded as a read of the teacher's marks."""
    submission = (
        Submission.objects.select_related(
            "assignment__module__programme",
            "enrolment__teacher",
            "enrolment__school",
            "first_marker",
            "second_marker",
            "third_marker",
            "moderator",
            "reconciled_by",
            "confirmed_by",
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404
    roles = roles_on(viewer, submission.assignment.module.programme_id)
    _allowed(roles, allowed)
    submission.is_lead = LEAD in roles
    audit_read(
        viewer=viewer.user,
        target=submission,
        subject=submission.enrolment.teacher,
        summary=READ_SUMMARY,
    )
    return submission


def board_page(viewer, submission_id):
    submission = submission_on_board(viewer, submission_id)
    marks = list(Mark.objects.filter(submission=submission).select_related("marker"))
    events = list(
        MarkEvent.objects.filter(submission=submission)
        .select_related("actor", "person")
        .order_by("at", "pk")
    )
    bands = list(Band.objects.filter(assignment_id=submission.assignment_id))
    return BoardPage(
        submission=submission,
        marks=marks,
        events=events,
        band=Band.containing(bands, submission.final_mark),
        is_lead=submission.is_lead,
        reopen_stages=reopen_stages(submission, marks) if submission.is_lead else [],
    )


def reopen_stages(submission, marks=None):
    """What the lead can reopen now, before release: each mark in, the agreement, the
    moderation decision."""
    if submission.status == Submission.Status.RELEASED:
        return []
    marks = marks if marks is not None else list(submission.marks.all())
    positions = {m.position for m in marks}
    stages = [s for s in (FIRST_MARK, SECOND_MARK, THIRD_MARK) if s in positions]
    if submission.agreed_mark is not None:
        stages.append(AGREEMENT)
    if submission.in_sample and submission.moderated_at is not None:
        stages.append(MODERATION)
    return [(stage, STAGES[stage]) for stage in stages]


def moderator_choices(submission):
    """The programme's moderators who marked none of the work, other than its moderator."""
    moderator_ids = ProgrammeStaff.objects.filter(
        programme_id=submission.assignment.module.programme_id,
        role=ProgrammeStaff.Role.MODERATOR,
    ).values("person_id")
    return (
        User.objects.filter(pk__in=moderator_ids)
        .exclude(
            pk__in=[
                pk
                for pk in (
                    submission.first_marker_id,
                    submission.second_marker_id,
                    submission.third_marker_id,
                    submission.moderator_id,
                    submission.enrolment.teacher_id,
                )
                if pk
            ]
        )
        .order_by("full_name", "pk")
    )
