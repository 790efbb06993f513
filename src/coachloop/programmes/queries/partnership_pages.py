"""Reads for the three partners' shared pages: an enrolment's meetings, actions, goals and
reading lists; one meeting; a module's reading list with discussion prompts.

The meetings, their notes and the goals are the three partners' (the teacher, their coach and
their tutor): nobody else reads them, whatever their rank, and each read by the coach or the
tutor is in the teacher's audit trail. A module's reading list is open to the programme's
staff and to the teachers and coaches on it; a discussion prompt only to the three it is for.
"""

from dataclasses import dataclass

from django.db.models import F, FilteredRelation, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.coaching.models import Goal
from coachloop.common.audit import audit_read
from coachloop.programmes.models import (
    Assignment,
    DiscussionPrompt,
    Enrolment,
    GoalAgreement,
    Meeting,
    MeetingAction,
    Module,
    ProgrammeStaff,
    Reading,
    Submission,
)
from coachloop.programmes.models.assessment import due_for
from coachloop.programmes.queries.student_pages import BEING_MARKED

SIDES = ("teacher", "coach", "tutor")


def _is_partner(viewer, enrolment):
    return viewer.pk in (enrolment.teacher_id, enrolment.coach_id, enrolment.tutor_id)


def side_of(viewer, enrolment):
    """ "teacher", "coach" or "tutor": the viewer's part in the enrolment (or None)."""
    for side in SIDES:
        if getattr(enrolment, f"{side}_id") == viewer.pk:
            return side
    return None


def enrolment_for(viewer, enrolment_id):
    """An enrolment the viewer is one of the three partners of, or 404."""
    enrolment = (
        Enrolment.objects.select_related("teacher", "coach", "tutor", "cohort__programme")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or not _is_partner(viewer, enrolment):
        raise Http404
    return enrolment


@dataclass
class GoalRow:
    agreement: GoalAgreement
    goal: Goal
    changed: bool  # the goal changed since it was brought or last agreed
    agreed: dict  # side -> when that side agreed (None: not yet, or lapsed with a change)
    waiting_for: list  # the sides still to agree
    viewer_may_agree: bool

    @property
    def is_agreed(self):
        return not self.waiting_for


def _goal_row(agreement, viewer_side):
    changed = agreement.goal.version != agreement.goal_version
    agreed = {side: None if changed else getattr(agreement, f"{side}_agreed_at") for side in SIDES}
    waiting = [side for side in SIDES if agreed[side] is None]
    return GoalRow(
        agreement=agreement,
        goal=agreement.goal,
        changed=changed,
        agreed=agreed,
        waiting_for=waiting,
        viewer_may_agree=viewer_side in waiting,
    )


@dataclass
class EnrolmentPage:
    enrolment: Enrolment
    side: str
    upcoming: list
    past: list
    open_actions: list
    goals: list
    modules: list  # each with .readings_for_page, each reading with .prompts_for_page
    can_bring_goal: bool
    is_active: bool
    work: list  # WorkRow: the teacher's assignments, for their coach and tutor (the teacher
    # has their own page, "my/")


def _modules_with_readings(programme_id, enrolment_ids):
    prompts = Prefetch(
        "prompts",
        queryset=DiscussionPrompt.objects.filter(enrolment_id__in=enrolment_ids).select_related(
            "written_by", "enrolment__teacher"
        ),
        to_attr="prompts_for_page",
    )
    readings = Prefetch(
        "readings", queryset=Reading.objects.prefetch_related(prompts), to_attr="readings_for_page"
    )
    return list(Module.objects.filter(programme_id=programme_id).prefetch_related(readings))


@dataclass
class WorkRow:
    """One assignment of the programme and, once the teacher has started it, their work."""

    assignment: Assignment
    submission_id: int | None
    status: str | None
    due_at: object
    is_late: bool

    @property
    def status_label(self):
        """In the teacher's words: the teacher reads this page too, and how marking goes is
        not theirs to see before release."""
        if not self.status:
            return None
        if self.status == Submission.Status.NOT_MARKED:
            return _("Handed in")
        if self.status in BEING_MARKED:
            return _("Being marked")
        return Submission.Status(self.status).label


def _work(enrolment):
    """Every assignment of the enrolment's programme, with the teacher's submission where
    there is one, in one query."""
    rows = (
        Assignment.objects.filter(module__programme_id=enrolment.cohort.programme_id)
        .annotate(
            mine=FilteredRelation(
                "submissions",
                condition=Q(submissions__enrolment=enrolment, submissions__is_current=True),
            )
        )
        .annotate(
            submission_id=F("mine__pk"),
            submission_status=F("mine__status"),
            submission_extended_due_at=F("mine__extended_due_at"),
            submission_is_late=F("mine__is_late"),
        )
        .select_related("module")
        .order_by("due_at", "pk")
    )
    return [
        WorkRow(
            assignment=row,
            submission_id=row.submission_id,
            status=row.submission_status,
            due_at=due_for(row.submission_extended_due_at, row.due_at),
            is_late=bool(row.submission_is_late),
        )
        for row in rows
    ]


def enrolment_page(viewer, *, enrolment, now=None):
    """The three partners' shared page, as ``enrolment_for`` returned the enrolment."""
    now = now or timezone.now()
    meetings = list(Meeting.objects.filter(enrolment=enrolment).select_related("created_by"))
    upcoming = sorted(
        (m for m in meetings if m.held_on is None and m.scheduled_for >= now),
        key=lambda m: m.scheduled_for,
    )
    past = [m for m in meetings if m not in upcoming]
    open_actions = list(
        MeetingAction.objects.filter(meeting__enrolment=enrolment, done_on__isnull=True)
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )
    side = side_of(viewer, enrolment)
    goals = [
        _goal_row(agreement, side)
        for agreement in GoalAgreement.objects.filter(enrolment=enrolment)
        .select_related("goal")
        .order_by("goal__review_on", "pk")
    ]
    work = []
    if side in ("coach", "tutor"):
        work = _work(enrolment)
    audit_read(
        viewer=viewer.user,
        target=enrolment,
        subject=enrolment.teacher,
        summary="programme meetings and goals",
    )
    return EnrolmentPage(
        enrolment=enrolment,
        side=side,
        upcoming=upcoming,
        past=past,
        open_actions=open_actions,
        goals=goals,
        modules=_modules_with_readings(enrolment.cohort.programme_id, [enrolment.pk]),
        can_bring_goal=side == "teacher",
        is_active=enrolment.finished_on is None,
        work=work,
    )


def meeting_for(viewer, meeting_id):
    """A meeting of three partners the viewer is one of, with its actions, or 404. A read by
    the coach or the tutor is in the teacher's audit trail."""
    meeting = (
        Meeting.objects.select_related(
            "enrolment__teacher",
            "enrolment__coach",
            "enrolment__tutor",
            "enrolment__cohort__programme",
            "created_by",
        )
        .prefetch_related(
            Prefetch("actions", queryset=MeetingAction.objects.select_related("owner"))
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or not _is_partner(viewer, meeting.enrolment):
        raise Http404
    audit_read(
        viewer=viewer.user,
        target=meeting,
        subject=meeting.enrolment.teacher,
        summary="programme meeting",
    )
    return meeting


def goals_to_bring(viewer, *, enrolment):
    """The teacher's own goals they are working on and have not brought to a programme yet.
    Only the teacher brings their goals: for anyone else, none."""
    if viewer.pk != enrolment.teacher_id:
        return []
    return list(
        Goal.objects.filter(
            teacher_id=viewer.pk,
            status=Goal.Status.OPEN,
            programme_agreement__isnull=True,
        ).order_by("review_on", "pk")
    )


def agreement_for(viewer, agreement_id):
    """A goal agreement of an enrolment the viewer is one of the three partners of, or 404."""
    agreement = (
        GoalAgreement.objects.select_related("enrolment", "goal").filter(pk=agreement_id).first()
    )
    if agreement is None or not _is_partner(viewer, agreement.enrolment):
        raise Http404
    return agreement


@dataclass
class ModuleAccess:
    module: Module
    staff_roles: set  # the viewer's roles on the module's programme
    enrolments: list  # the viewer's active enrolments on it, as teacher, coach or tutor
    viewer_pk: int

    @property
    def may_add_reading(self):
        return bool(self.staff_roles & {ProgrammeStaff.Role.LEAD, ProgrammeStaff.Role.TUTOR})

    @property
    def supported(self):
        """The enrolments the viewer supports (as coach or tutor): who they write prompts for."""
        return [e for e in self.enrolments if e.teacher_id != self.viewer_pk]


def _module_access(viewer, module):
    staff_roles = set(
        ProgrammeStaff.objects.filter(
            programme_id=module.programme_id, person_id=viewer.pk
        ).values_list("role", flat=True)
    )
    enrolments = list(
        Enrolment.objects.filter(
            Q(teacher_id=viewer.pk) | Q(coach_id=viewer.pk) | Q(tutor_id=viewer.pk),
            cohort__programme_id=module.programme_id,
            finished_on__isnull=True,
        ).select_related("teacher")
    )
    if not staff_roles and not enrolments:
        raise Http404
    return ModuleAccess(
        module=module, staff_roles=staff_roles, enrolments=enrolments, viewer_pk=viewer.pk
    )


def module_for(viewer, module_id):
    """A module whose reading list the viewer may read (its programme's staff, and the
    teachers, coaches and tutors of teachers on it), with the viewer's part in it, or 404."""
    module = Module.objects.select_related("programme").filter(pk=module_id).first()
    if module is None:
        raise Http404
    return _module_access(viewer, module)


def readings_page(viewer, *, access):
    """The module's readings, each with the discussion prompts of the enrolments the viewer is
    one of the three partners of (nobody else reads a prompt meant for a teacher)."""
    enrolment_ids = [e.pk for e in access.enrolments]
    prompts = Prefetch(
        "prompts",
        queryset=DiscussionPrompt.objects.filter(enrolment_id__in=enrolment_ids).select_related(
            "written_by", "enrolment__teacher"
        ),
        to_attr="prompts_for_page",
    )
    return list(Reading.objects.filter(module=access.module).prefetch_related(prompts))


def reading_for(viewer, reading_id):
    """A reading the viewer may prepare a prompt for (as the coach or the tutor of a teacher on
    its programme), with the module's access, or 404."""
    reading = Reading.objects.select_related("module__programme").filter(pk=reading_id).first()
    if reading is None:
        raise Http404
    return reading, _module_access(viewer, reading.module)
