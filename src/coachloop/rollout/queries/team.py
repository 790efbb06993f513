"""Reads about a school's coaching team: coaches and their caseloads, training, rollout phases,
coverage against target, and QA visits to coaching. The school's coaches and teachers, and each
coach's caseload, are coaching's (``coaching.queries.relationships``).

Everything here is for the school's coaching lead, except QA visits, which their coach sees
too. Each function runs a fixed number of queries, whatever the number of coaches or teachers:
counts come from subqueries and aggregates, lists from one query each.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone

from coachloop.coaching.queries.relationships import coaches_of, open_coaching
from coachloop.common.links import RowLink
from coachloop.people.models import Role, User
from coachloop.people.queries import role_holders
from coachloop.people.rules import check_runs_school
from coachloop.policy.queries import school_model
from coachloop.rollout.models import CoachTraining, CoverageTarget, QaVisit, RolloutPhase
from coachloop.rollout.queries import current_target


def coaches_to_visit(viewer, *, school, today=None):
    """Coaches a lead may record a QA visit to: the school's coaches, not the lead."""
    return coaches_of(viewer, school=school, today=today).exclude(pk=viewer.pk)


@dataclass
class CoachRow:
    coach: User
    caseload: int
    limit: int
    training: list
    last_qa_visit: object
    training_url: str  # the coach's training records

    @property
    def load(self) -> str:
        """ "over" the school's limit, "full" at it, or "room" below it."""
        if self.caseload > self.limit:
            return "over"
        return "full" if self.caseload == self.limit else "room"


COACHES_PER_PAGE = 10


class _Coaches(Sequence):
    """The school's coaches in name order, counted once (with those at or over the limit)
    and read a page at a time: each slice reads its coaches, with their last QA visit and
    their training, afresh (two queries), each with the link to their training records (the
    route reversed once). Slice once per page."""

    def __init__(self, coaches, *, total, limit, school):
        self.coaches, self.total, self.limit = coaches, total, limit
        self.training_link = RowLink("rollout:team_training", before=[school.slug])

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return [
            CoachRow(
                coach=coach,
                caseload=coach.caseload,
                limit=self.limit,
                training=coach.training,
                last_qa_visit=coach.last_qa_visit,
                training_url=self.training_link(coach.pk),
            )
            for coach in self.coaches[index]
        ]


@dataclass
class CoachesOverview:
    page: object  # the page of coaches shown (a Django Page of CoachRows)
    page_numbers: list
    limit: int
    at_or_over_limit: int  # coaches of the whole school, not of the page

    @property
    def rows(self) -> list:
        return self.page.object_list

    @property
    def total(self) -> int:
        return self.page.paginator.count


def coaches_overview(viewer, *, school, page=1, today=None) -> CoachesOverview:
    """Each coach in the school, a page at a time in name order: caseload against the
    school's limit, training, last QA visit; and how many coaches of the school are at or over
    the limit (five queries, whatever the number of coaches)."""
    check_runs_school(viewer, school, hide=True)
    today = today or timezone.localdate()
    limit = school_model(school).caseload_limit
    everyone = coaches_of(viewer, school=school, today=today)
    figures = everyone.aggregate(
        total=Count("pk"), at_or_over=Count("pk", filter=Q(caseload__gte=limit))
    )
    last_visit = (
        QaVisit.objects.filter(school=school, coach=OuterRef("pk"))
        .order_by()
        .values("coach")
        .annotate(last=Max("visited_on"))
        .values("last")[:1]
    )
    coaches = everyone.annotate(last_qa_visit=Subquery(last_visit)).prefetch_related(
        Prefetch(
            "coach_training",
            queryset=CoachTraining.objects.order_by("-completed_on", "-pk"),
            to_attr="training",
        )
    )
    paginator = Paginator(
        _Coaches(coaches, total=figures["total"], limit=limit, school=school), COACHES_PER_PAGE
    )
    shown = paginator.get_page(page)
    return CoachesOverview(
        page=shown,
        page_numbers=list(paginator.get_elided_page_range(shown.number, on_each_side=1)),
        limit=limit,
        at_or_over_limit=figures["at_or_over"],
    )


def coach_in_school(viewer, *, school, coach_id, today=None) -> User:
    """A person with a current coach role in the school the viewer leads, or 404."""
    coach = coaches_of(viewer, school=school, today=today).filter(pk=coach_id).first()
    if coach is None:
        raise Http404
    return coach


def training_of(viewer, *, school, coach) -> list:
    """A coach's training records, newest first (one query)."""
    check_runs_school(viewer, school, hide=True)
    return list(
        CoachTraining.objects.filter(coach=coach)
        .select_related("recorded_by")
        .order_by("-completed_on", "-pk")
    )


@dataclass
class Phases:
    phases: list
    current: RolloutPhase | None


def phases_of(viewer, *, school, today=None) -> Phases:
    """The school's rollout phases in order, and the one running today (one query).

    Where phases overlap, the one that started last is the current one.
    """
    check_runs_school(viewer, school, hide=True)
    today = today or timezone.localdate()
    phases = list(RolloutPhase.objects.filter(school=school).order_by("starts_on", "pk"))
    running = [
        p for p in phases if p.starts_on <= today and (p.ends_on is None or today <= p.ends_on)
    ]
    return Phases(phases=phases, current=running[-1] if running else None)


@dataclass
class Coverage:
    """Where the school is now against its latest target."""

    coaches: int
    trained_coaches: int
    teachers: int
    coached_teachers: int
    target: CoverageTarget | None
    targets: list

    @property
    def coached_percent(self) -> int | None:
        """Rounded down, so a target is never shown as reached before it is."""
        if not self.teachers:
            return None
        return self.coached_teachers * 100 // self.teachers

    @property
    def trained_met(self) -> bool:
        return self.target is not None and self.trained_coaches >= self.target.trained_coaches

    @property
    def coached_met(self) -> bool:
        return (
            self.target is not None
            and self.coached_teachers * 100 >= self.target.coached_percent * self.teachers
        )

    @property
    def coaches_to_train(self) -> int:
        return max(0, self.target.trained_coaches - self.trained_coaches) if self.target else 0


def coverage(viewer, *, school, today=None) -> Coverage:
    """Trained coaches and the share of teachers being coached today, with the school's
    targets; progress is measured against the next one due (three queries)."""
    check_runs_school(viewer, school, hide=True)
    today = today or timezone.localdate()
    # The conditions go straight into the counts' filters: counting over an annotation
    # instead wraps the query in a subquery that drops it.
    trained = Exists(CoachTraining.objects.filter(coach=OuterRef("pk")))
    coaches = User.objects.filter(pk__in=role_holders(school, Role.COACH, on=today)).aggregate(
        total=Count("pk"), trained=Count("pk", filter=trained)
    )
    coached = Exists(open_coaching(school).filter(teacher=OuterRef("pk"), started_on__lte=today))
    teachers = User.objects.filter(pk__in=role_holders(school, Role.TEACHER, on=today)).aggregate(
        total=Count("pk"), coached=Count("pk", filter=coached)
    )
    targets = list(
        CoverageTarget.objects.filter(school=school)
        .select_related("set_by")
        .order_by("due_by", "pk")
    )
    latest = current_target(targets, today=today)
    return Coverage(
        coaches=coaches["total"],
        trained_coaches=coaches["trained"],
        teachers=teachers["total"],
        coached_teachers=teachers["coached"],
        target=latest,
        targets=targets,
    )


def qa_visits_of_school(viewer, *, school) -> list:
    """The school's QA visits, newest first, for its coaching lead (one query)."""
    check_runs_school(viewer, school, hide=True)
    return list(
        QaVisit.objects.filter(school=school)
        .select_related("coach", "visited_by")
        .order_by("-visited_on", "-pk")
    )


def my_qa_visits(viewer) -> list:
    """QA visits to the viewer's own coaching, newest first (one query)."""
    return list(
        QaVisit.objects.filter(coach=viewer.user)
        .select_related("school", "visited_by")
        .order_by("-visited_on", "-pk")
    )


def qa_visit_for(viewer, pk) -> QaVisit:
    """One QA visit: for the coach visited and the school's coaching leads; 404 for anyone
    else, whatever their rank."""
    visit = QaVisit.objects.select_related("coach", "visited_by", "school").filter(pk=pk).first()
    if visit is None:
        raise Http404
    if visit.coach_id != viewer.pk:
        check_runs_school(viewer, visit.school, hide=True)
    return visit
