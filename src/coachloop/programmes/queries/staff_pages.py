"""Reads for the university staff's pages: the programmes someone works on, one programme's
modules, assignments, cohorts and staff, an assignment's submissions as the asker may see
them, the choices for enrolling a teacher, and a school's programme aggregates.

Whoever is not on a programme's staff gets a 404 for it (whether it exists is not theirs to
know); staff whose part in it does not allow a page get a 403.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404

from coachloop.people.models import Membership, Role, School, User
from coachloop.programmes.models import (
    Assignment,
    CoachQualification,
    Cohort,
    Enrolment,
    Module,
    Programme,
    ProgrammeStaff,
    Submission,
)
from coachloop.programmes.queries import submission_rows

LEAD = ProgrammeStaff.Role.LEAD
TUTOR = ProgrammeStaff.Role.TUTOR
MODERATOR = ProgrammeStaff.Role.MODERATOR
EVERY_PART = (LEAD, TUTOR, MODERATOR)
SUBMISSIONS_SHOWN = 25  # an assignment's submissions, a page at a time, by teacher's name
ENROLMENTS_SHOWN = 25  # a cohort's places, a page at a time
COACHES_SHOWN = 25  # the school coaches of a programme's teachers, a page at a time, by name


@dataclass
class StaffedProgramme:
    programme: Programme
    roles: list = field(default_factory=list)  # ProgrammeStaff.Role values, in the order above

    @property
    def role_labels(self):
        return [ProgrammeStaff.Role(role).label for role in self.roles]


@dataclass
class ProgrammesHome:
    staffed: list  # StaffedProgramme
    as_teacher: list  # Enrolment
    as_coach: list  # Enrolment
    as_tutor: list  # Enrolment

    @property
    def is_empty(self):
        return not (self.staffed or self.as_teacher or self.as_coach or self.as_tutor)

    @property
    def marks(self):
        """Coaches and tutors mark; their queue is one link away."""
        return bool(self.as_coach or self.as_tutor)


def programmes_home(viewer):
    """The programmes the viewer works on (with their part), and the enrolments they study on,
    coach for or tutor."""
    staffed = {}
    for row in (
        ProgrammeStaff.objects.filter(person_id=viewer.pk)
        .select_related("programme__partner")
        .order_by("programme__title", "programme_id")
    ):
        entry = staffed.setdefault(row.programme_id, StaffedProgramme(programme=row.programme))
        entry.roles.append(row.role)
    for entry in staffed.values():
        entry.roles.sort(key=EVERY_PART.index)
    enrolments = list(
        Enrolment.objects.filter(
            Q(teacher_id=viewer.pk) | Q(coach_id=viewer.pk) | Q(tutor_id=viewer.pk)
        )
        .filter(finished_on__isnull=True)
        .select_related("cohort__programme__partner", "teacher", "coach", "tutor", "school")
        .order_by("cohort__programme__title", "teacher__full_name", "pk")
    )
    return ProgrammesHome(
        staffed=list(staffed.values()),
        as_teacher=[e for e in enrolments if e.teacher_id == viewer.pk],
        as_coach=[e for e in enrolments if e.coach_id == viewer.pk],
        as_tutor=[e for e in enrolments if e.tutor_id == viewer.pk],
    )


def on_a_programme(viewer):
    """Whether the viewer studies on a programme or coaches someone who does (one query)."""
    return (
        Enrolment.objects.filter(Q(teacher_id=viewer.pk) | Q(coach_id=viewer.pk))
        .filter(finished_on__isnull=True)
        .exists()
    )


def roles_on(viewer, programme_id):
    return set(
        ProgrammeStaff.objects.filter(programme_id=programme_id, person_id=viewer.pk).values_list(
            "role", flat=True
        )
    )


def _allowed(roles, allowed):
    """No part in the programme: 404. A part that does not allow this: 403."""
    if not roles:
        raise Http404
    if not roles & set(allowed):
        raise PermissionDenied


def programme_for_staff(viewer, programme_id, *, allowed=EVERY_PART):
    """The programme and the viewer's parts in it, for its staff with one of ``allowed``."""
    programme = _programme(programme_id)
    roles = roles_on(viewer, programme.pk)
    _allowed(roles, allowed)
    return programme, roles


def _programme(programme_id):
    programme = Programme.objects.select_related("partner").filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    return programme


@dataclass
class AssignmentRow:
    assignment: Assignment
    counts: list  # (status label, count), only the statuses with submissions

    @property
    def total(self):
        return sum(n for _label, n in self.counts)


@dataclass
class ModuleRow:
    module: Module
    assignments: list  # AssignmentRow


@dataclass
class ProgrammePage:
    programme: Programme
    roles: set
    modules: list  # ModuleRow
    cohorts: list  # Cohort, annotated with ``enrolled``
    staff: list  # ProgrammeStaff with their person
    coach_count: int  # the school coaches of the teachers enrolled now (listed on their page)

    @property
    def is_lead(self):
        return LEAD in self.roles

    @property
    def is_tutor(self):
        return TUTOR in self.roles

    @property
    def is_moderator(self):
        return MODERATOR in self.roles

    @property
    def role_labels(self):
        return [ProgrammeStaff.Role(r).label for r in EVERY_PART if r in self.roles]


def programme_page(viewer, programme_id):
    programme = _programme(programme_id)
    # Its staff, read once: the viewer's parts in the programme are among them.
    staff = list(programme.staff.select_related("person"))
    roles = {member.role for member in staff if member.person_id == viewer.pk}
    _allowed(roles, EVERY_PART)
    counts = defaultdict(dict)
    for row in (
        # Each teacher's current attempt (a failed one replaced by a resubmission is not).
        Submission.objects.filter(assignment__module__programme=programme, is_current=True)
        .values("assignment_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["assignment_id"]][row["status"]] = row["n"]
    modules = []
    for module in programme.modules.prefetch_related("assignments").order_by("starts_on", "code"):
        modules.append(
            ModuleRow(
                module=module,
                assignments=[
                    AssignmentRow(
                        assignment=assignment,
                        counts=[
                            (label, counts[assignment.pk][status])
                            for status, label in Submission.Status.choices
                            if counts[assignment.pk].get(status)
                        ],
                    )
                    for assignment in module.assignments.all()
                ],
            )
        )
    cohorts = list(
        programme.cohorts.annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__finished_on__isnull=True))
        ).order_by("-starts_on", "name")
    )
    staff.sort(key=lambda s: (EVERY_PART.index(s.role), s.person.full_name))
    coach_count = _enrolled_now(programme).aggregate(n=Count("coach_id", distinct=True))["n"]
    return ProgrammePage(
        programme=programme,
        roles=roles,
        modules=modules,
        cohorts=cohorts,
        staff=staff,
        coach_count=coach_count,
    )


def _enrolled_now(programme):
    return Enrolment.objects.filter(cohort__programme=programme, finished_on__isnull=True)


@dataclass
class CoachRow:
    coach_id: int
    full_name: str
    teachers: int  # the teachers enrolled now whom they coach
    qualification: CoachQualification | None  # the latest recorded


@dataclass
class CoachesPage:
    programme: Programme
    rows: list  # CoachRow, the page shown
    page: object  # the Django Page shown
    page_numbers: list


def coaches_page(viewer, programme_id, *, page=1):
    """The school coaches of the teachers enrolled on a programme now, ``page`` of them at a
    time by name (an unknown page number shows the nearest), with how many of its teachers
    each coaches and their latest recorded qualification: for the programme's lead (404 for
    anyone not on its staff, 403 for its other staff)."""
    programme, _roles = programme_for_staff(viewer, programme_id, allowed=(LEAD,))
    paginator = Paginator(
        _enrolled_now(programme)
        .values("coach_id", "coach__full_name")
        .annotate(teachers=Count("pk"))
        .order_by("coach__full_name", "coach_id"),
        COACHES_SHOWN,
    )
    shown = paginator.get_page(page)
    latest = {}
    for qualification in CoachQualification.objects.filter(
        coach_id__in=[row["coach_id"] for row in shown]
    ).order_by("coach_id", "-recorded_on", "-pk"):
        latest.setdefault(qualification.coach_id, qualification)
    return CoachesPage(
        programme=programme,
        rows=[
            CoachRow(
                coach_id=row["coach_id"],
                full_name=row["coach__full_name"],
                teachers=row["teachers"],
                qualification=latest.get(row["coach_id"]),
            )
            for row in shown
        ],
        page=shown,
        page_numbers=list(paginator.get_elided_page_range(shown.number, on_each_side=1)),
    )


@dataclass
class EnrolChoices:
    cohorts: object
    teachers: object
    schools: object
    coaches: object
    tutors: object


def _people_with(trust, role):
    ids = Membership.objects.current().filter(trust=trust, role=role).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("full_name", "pk")


def enrol_choices(viewer, programme):
    """What the lead may choose from: the programme's cohorts, the trust's schools, teachers
    and coaches, and the programme's tutors. Querysets, so a form checks a choice against them."""
    tutor_ids = ProgrammeStaff.objects.filter(programme=programme, role=TUTOR).values("person_id")
    return EnrolChoices(
        cohorts=Cohort.objects.filter(programme=programme).order_by("-starts_on", "name"),
        teachers=_people_with(viewer.trust, Role.TEACHER),
        schools=School.objects.filter(trust=viewer.trust).order_by("name"),
        coaches=_people_with(viewer.trust, Role.COACH),
        tutors=User.objects.filter(pk__in=tutor_ids).order_by("full_name", "pk"),
    )


@dataclass
class AssignmentPage:
    assignment: Assignment
    programme: Programme
    roles: set
    rows: list  # submission_rows.SubmissionRow, the page shown
    counts: list  # (status label, count), of every submission the viewer sees
    tally: dict  # Submission.Status -> how many the viewer sees
    page: object  # the Django Page of rows shown
    page_numbers: list

    @property
    def total(self):
        return sum(self.tally.values())

    @property
    def is_lead(self):
        return LEAD in self.roles

    @property
    def reads_history(self):
        """The lead and moderators read each submission's board page and the export."""
        return bool(self.roles & {LEAD, MODERATOR})

    @property
    def can_draw_sample(self):
        return self.is_lead and bool(self.tally.get(Submission.Status.MARKING_DONE))

    @property
    def being_marked(self):
        """Handed in and still being marked: left out of a sample draw until marked."""
        return sum(self.tally.get(status, 0) for status in BEING_MARKED)

    @property
    def can_release(self):
        return self.is_lead and bool(self.tally.get(Submission.Status.READY))


def assignment_for_staff(viewer, assignment_id, *, allowed=EVERY_PART):
    assignment = (
        Assignment.objects.select_related("module__programme__partner")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404
    roles = roles_on(viewer, assignment.module.programme_id)
    _allowed(roles, allowed)
    return assignment, roles


def assignment_page(viewer, assignment_id, *, page=1):
    """An assignment's submissions, ``page`` of them (by teacher's name; an unknown page
    number shows the nearest), with counts of all of them by status. The lead and moderators
    see every one with its marks (as ``assessment_for`` lets them); a tutor sees the ones
    they mark or tutor, and the agreed mark only of those they mark, so nothing reaches them
    that marking blind would hide."""
    assignment, roles = assignment_for_staff(viewer, assignment_id)
    sees_all = bool(roles & {LEAD, MODERATOR})
    seen = Submission.objects.filter(assignment=assignment)
    if not sees_all:
        seen = seen.filter(
            Q(first_marker_id=viewer.pk)
            | Q(second_marker_id=viewer.pk)
            | Q(enrolment__tutor_id=viewer.pk)
        )
    tally = {
        row["status"]: row["n"] for row in seen.values("status").annotate(n=Count("pk")).order_by()
    }
    # Each status shown translated once for the page, not once for each row.
    status_labels = {s: str(label) for s, label in Submission.Status.choices if tally.get(s)}
    submissions = seen.order_by("enrolment__teacher__full_name", "pk").values(
        *submission_rows.VALUES, **submission_rows.staff_names()
    )
    paginator = Paginator(submissions, SUBMISSIONS_SHOWN)
    paginator.count = sum(tally.values())  # known from the tally: no COUNT query
    shown = paginator.get_page(page)
    counts = [(label, tally[s]) for s, label in status_labels.items()]
    return AssignmentPage(
        assignment=assignment,
        programme=assignment.module.programme,
        roles=roles,
        rows=submission_rows.submission_rows(
            shown,
            viewer=viewer,
            programme=assignment.module.programme,
            is_lead=LEAD in roles,
            sees_all=sees_all,
            status_labels=status_labels,
        ),
        counts=counts,
        tally=tally,
        page=shown,
        page_numbers=list(paginator.get_elided_page_range(shown.number, on_each_side=1)),
    )


def submission_for_lead(viewer, submission_id):
    """A submission of a programme the viewer leads (404 if not on its staff, else 403)."""
    submission = (
        Submission.objects.select_related(
            "assignment__module__programme", "enrolment__teacher", "first_marker", "second_marker"
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404
    _allowed(roles_on(viewer, submission.assignment.module.programme_id), (LEAD,))
    return submission


def school_for_programmes(viewer, slug):
    """A school whose programme aggregates the viewer may see: their own as its headteacher,
    or any in the trust as a trust lead. Otherwise a 404."""
    for school in viewer.schools_with(Role.HEADTEACHER):
        if school.slug == slug:
            return school
    if viewer.is_trust_lead:
        school = School.objects.filter(trust=viewer.trust, slug=slug).first()
        if school is not None:
            return school
    raise Http404


def coach_on_programme(programme, coach_id):
    """A coach of a teacher enrolled on the programme, with their latest recorded
    qualification (or None); 404 for anyone else."""
    enrolment = (
        Enrolment.objects.filter(cohort__programme=programme, coach_id=coach_id)
        .select_related("coach")
        .first()
    )
    if enrolment is None:
        raise Http404
    current = (
        CoachQualification.objects.filter(coach_id=coach_id).order_by("-recorded_on", "-pk").first()
    )
    return enrolment.coach, current


@dataclass
class CohortPage:
    cohort: Cohort
    enrolments: list  # the page shown: current places first, then those that have ended
    page: object  # the Django Page of enrolments shown
    page_numbers: list


def cohort_page(viewer, cohort_id, *, page=1):
    """A cohort and everyone enrolled on it, ``page`` of them at a time (an unknown page
    number shows the nearest), for the programme's lead (404 for anyone not on the
    programme's staff, 403 for its other staff)."""
    cohort = Cohort.objects.select_related("programme").filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    _allowed(roles_on(viewer, cohort.programme_id), (LEAD,))
    paginator = Paginator(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("teacher", "school", "coach", "tutor")
        .order_by(F("finished_on").desc(nulls_first=True), "teacher__full_name", "pk"),
        ENROLMENTS_SHOWN,
    )
    shown = paginator.get_page(page)
    return CohortPage(
        cohort=cohort,
        enrolments=list(shown),
        page=shown,
        page_numbers=list(paginator.get_elided_page_range(shown.number, on_each_side=1)),
    )


def enrolment_for_lead(viewer, enrolment_id):
    """An enrolment on a programme the viewer leads (404 if not on its staff, else 403)."""
    enrolment = (
        Enrolment.objects.select_related("cohort__programme", "teacher", "school")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        raise Http404
    _allowed(roles_on(viewer, enrolment.cohort.programme_id), (LEAD,))
    return enrolment


BEING_MARKED = (
    Submission.Status.NOT_MARKED,
    Submission.Status.IN_MARKING,
    Submission.Status.ADJUDICATION,
)


def being_marked(assignment):
    """How many of the assignment's submissions are handed in but still being marked (so
    left out of a moderation sample draw until their marking is done)."""
    return Submission.objects.filter(assignment=assignment, status__in=BEING_MARKED).count()


@dataclass
class ReleasePage:
    """What releasing an assignment's marks would do, for its lead to confirm: counts only (no
    mark is read), by status."""

    assignment: Assignment
    tally: dict  # Submission.Status -> how many

    @property
    def ready(self):
        """How many teachers' marks a release now would release (one submission each)."""
        return self.tally.get(Submission.Status.READY, 0)

    @property
    def being_marked(self):
        return sum(self.tally.get(status, 0) for status in BEING_MARKED)

    @property
    def to_draw(self):
        """Marked, but not yet through a moderation sample draw."""
        return self.tally.get(Submission.Status.MARKING_DONE, 0)

    @property
    def with_moderator(self):
        return self.tally.get(Submission.Status.IN_REVIEW, 0)

    @property
    def not_ready(self):
        return self.being_marked + self.to_draw + self.with_moderator


def release_page(viewer, assignment_id):
    """An assignment's release confirmation, for its lead (404 for anyone not on the
    programme's staff, 403 for its other staff)."""
    assignment, _roles = assignment_for_staff(viewer, assignment_id, allowed=(LEAD,))
    rows = (
        Submission.objects.filter(assignment=assignment)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return ReleasePage(assignment=assignment, tally={row["status"]: row["n"] for row in rows})
