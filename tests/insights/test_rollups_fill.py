"""The rollup fill reads a range of weeks with a fixed number of queries, and writes exactly the
figures the week-by-week fill it replaced wrote.

That fill (one ``_fill_week`` per week, each with its own grouped queries over the week's
window) is kept below as the oracle: every row of every rollup table is compared with it, on
generated data and on the demo.
"""

import datetime as dt
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from benchmarks.generate import Sizes, generate
from coachloop.coaching.models import ActionStep, DropIn, Relationship
from coachloop.coaching.rhythm import cadences
from coachloop.coaching.services.relationships import MAX_CADENCE_DAYS
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.insights.models import (
    RollupState,
    SchoolCaseload,
    SchoolWeek,
    SchoolWeekEmbedTime,
    SchoolWeekStep,
)
from coachloop.insights.rollups import (
    ON_RHYTHM,
    PART_RHYTHM,
    REFILL_WEEKS,
    fill_weeks,
    rollups_update,
    week_of,
    year_start_of,
)
from coachloop.people.models import Membership, Role, Trust
from coachloop.policy.models import Cadence
from coachloop.policy.queries import school_models
from coachloop.rollout.models import CoachTraining

pytestmark = pytest.mark.django_db

TINY = Sizes(schools=3, teachers=36, dropins=700)
TODAY = dt.date(2026, 11, 25)  # a Wednesday
TABLES = (SchoolWeek, SchoolWeekStep, SchoolWeekEmbedTime, SchoolCaseload)


def _generated():
    generate(TINY, seed=11, today=TODAY, large_trust=2)
    with scopes_disabled():
        return list(Trust.objects.order_by("pk"))


def _figures():
    """Every row of every rollup table, without its id."""
    with scopes_disabled():
        return {
            model.__name__: sorted(
                tuple(sorted((k, v) for k, v in row.items() if k != "id"))
                for row in model.objects.values()
            )
            for model in TABLES
        }


def _empty_rollups():
    with scopes_disabled():
        for model in (*TABLES, RollupState):
            model.objects.all().delete()


def _oracle(trust, *, start, today):
    """The week-by-week fill, as it was."""
    with trust_scope(trust):
        week = start
        while week <= week_of(today):
            _fill_week(trust, week, min(week + dt.timedelta(days=6), today))
            week += dt.timedelta(days=7)


def _oracle_from_empty(trust, today):
    with scopes_disabled():
        first = Relationship.objects.filter(trust=trust, school__isnull=False).earliest(
            "started_on"
        )
    _oracle(trust, start=week_of(min(first.started_on, today)), today=today)


def _assert_same(new, old):
    for table in new:
        assert new[table] == old[table], table


def test_filling_generated_data_from_empty_gives_every_row_the_week_by_week_fill_gave():
    trusts = _generated()
    for trust in trusts:
        assert rollups_update(trust=trust, today=TODAY) > 40
    new = _figures()
    _empty_rollups()
    for trust in trusts:
        _oracle_from_empty(trust, TODAY)
    old = _figures()

    # The data exercises every table and figure.
    assert all(old[table] for table in old)
    rows = [dict(row) for row in old["SchoolWeek"]]
    for figure in ("visits_kept", "coaches_on_rhythm", "embedders_to_date", "trained_coaches"):
        assert any(row[figure] for row in rows), figure
    _assert_same(new, old)


def test_an_update_a_few_weeks_later_rewrites_the_last_weeks_as_the_week_by_week_fill_did():
    trusts = _generated()
    earlier = TODAY - dt.timedelta(days=23)
    for trust in trusts:
        rollups_update(trust=trust, today=earlier)
        assert rollups_update(trust=trust, today=TODAY) == REFILL_WEEKS + 4
    new = _figures()
    _empty_rollups()
    for trust in trusts:
        _oracle_from_empty(trust, earlier)
        _oracle(trust, start=week_of(earlier) - dt.timedelta(weeks=REFILL_WEEKS), today=TODAY)
    _assert_same(new, _figures())


def test_filling_the_demo_gives_every_row_the_week_by_week_fill_gave():
    call_command("load_demo", stdout=io.StringIO())  # fills the rollups
    today = timezone.localdate()
    new = _figures()
    _empty_rollups()
    with scopes_disabled():
        trusts = list(Trust.objects.order_by("pk"))
    for trust in trusts:
        with scopes_disabled():
            coached = Relationship.objects.filter(trust=trust, school__isnull=False).exists()
        if coached:
            _oracle_from_empty(trust, today)
    old = _figures()
    assert old["SchoolWeek"] and old["SchoolCaseload"]
    _assert_same(new, old)


@pytest.mark.queries
def test_a_fill_runs_as_many_queries_for_forty_weeks_as_for_ten():
    trusts = _generated()
    statements = []
    for weeks in (10, 40):
        _empty_rollups()
        with CaptureQueriesContext(connection) as queries, trust_scope(trusts[0]):
            written = fill_weeks(
                trusts[0], start=week_of(TODAY) - dt.timedelta(weeks=weeks - 1), today=TODAY
            )
        assert written == weeks
        statements.append(Counter(_statement(query["sql"]) for query in queries))
    # Reads, deletes and writes alike.
    assert statements[0] == statements[1]
    assert statements[1]["SELECT"] <= 10


def _statement(sql):
    """SELECT, DELETE, INSERT, ...: one ``executemany`` is logged as "N times: INSERT ..."."""
    return sql.split(" times: ", 1)[-1].split(" ", 1)[0]


# ---------------------------------------------------------------------------------------------
# The oracle: the week-by-week fill as it stood before the range fill replaced it.
# ---------------------------------------------------------------------------------------------


def _per_school(queryset, field="school_id"):
    return {row[field]: row["n"] for row in queryset}


def _fill_week(trust, week, week_end):
    # Coaching imported from another trust has no school here: no school's figure counts it.
    active = Relationship.objects.filter(
        trust=trust, school__isnull=False, started_on__lte=week_end
    ).filter(Q(finished_on__isnull=True) | Q(finished_on__gte=week_end))
    staff = Membership.objects.current(week_end).filter(trust=trust, school__isnull=False)
    teachers = _per_school(
        staff.filter(role=Role.TEACHER).values("school_id").annotate(n=Count("user", distinct=True))
    )
    coaches_qs = staff.filter(role=Role.COACH)
    coaches = _per_school(coaches_qs.values("school_id").annotate(n=Count("user", distinct=True)))
    trained = _per_school(
        coaches_qs.filter(
            user__in=CoachTraining.objects.filter(trust=trust, completed_on__lte=week_end).values(
                "coach_id"
            )
        )
        .values("school_id")
        .annotate(n=Count("user", distinct=True))
    )
    # Coached teachers are counted among the school's teachers, so the share never passes 100%.
    teaching_here = Membership.objects.current(week_end).filter(
        trust=trust, role=Role.TEACHER, user=OuterRef("teacher"), school=OuterRef("school")
    )
    coached = _per_school(
        active.filter(Exists(teaching_here))
        .values("school_id")
        .annotate(n=Count("teacher", distinct=True))
    )
    embedders = _per_school(
        ActionStep.objects.filter(
            trust=trust,
            relationship__school__isnull=False,
            outcome=ActionStep.Outcome.EMBEDDED,
            closed_on__gte=year_start_of(week_end),
            closed_on__lte=week_end,
        )
        .values("relationship__school_id")
        .annotate(n=Count("relationship__teacher", distinct=True)),
        field="relationship__school_id",
    )
    dropins = _per_school(
        DropIn.objects.filter(
            trust=trust,
            relationship__school__isnull=False,
            is_draft=False,
            visited_on__gte=week,
            visited_on__lte=week_end,
        )
        .values("relationship__school_id")
        .annotate(n=Count("pk")),
        field="relationship__school_id",
    )
    steps = _steps(trust, week, week_end)
    rhythm = _rhythm(trust, active, week_end)
    caseloads = _caseloads(trust, active)

    schools = set(teachers) | set(coaches) | set(coached) | set(dropins) | set(steps["set"])
    SchoolWeek.objects.filter(trust=trust, week=week).delete()
    SchoolWeekStep.objects.filter(trust=trust, week=week).delete()
    SchoolWeekEmbedTime.objects.filter(trust=trust, week=week).delete()
    SchoolCaseload.objects.filter(trust=trust, week=week).delete()
    SchoolWeek.objects.bulk_create(
        SchoolWeek(
            trust=trust,
            school_id=school,
            week=week,
            teachers=teachers.get(school, 0),
            coached_teachers=coached.get(school, 0),
            coaches=coaches.get(school, 0),
            trained_coaches=trained.get(school, 0),
            dropins=dropins.get(school, 0),
            steps_set=sum(steps["set"].get(school, {}).values()),
            steps_proposed_by_teacher=steps["proposed"].get(school, 0),
            steps_embedded=sum(steps["embedded"].get(school, {}).values()),
            embedders_to_date=embedders.get(school, 0),
            **rhythm.get(school, {}),
        )
        for school in sorted(schools)
    )
    SchoolWeekStep.objects.bulk_create(
        SchoolWeekStep(
            trust=trust,
            school_id=school,
            week=week,
            step_id=step,
            set_count=steps["set"].get(school, {}).get(step, 0),
            embedded_count=steps["embedded"].get(school, {}).get(step, 0),
        )
        for school in sorted(set(steps["set"]) | set(steps["embedded"]))
        # Steps in a coach's own words (no framework step) are counted in ``SchoolWeek`` only.
        for step in sorted(
            (set(steps["set"].get(school, {})) | set(steps["embedded"].get(school, {}))) - {None}
        )
    )
    SchoolWeekEmbedTime.objects.bulk_create(
        SchoolWeekEmbedTime(trust=trust, school_id=school, week=week, days=days, count=n)
        for school, counter in sorted(steps["days"].items())
        for days, n in sorted(counter.items())
    )
    SchoolCaseload.objects.bulk_create(
        SchoolCaseload(
            trust=trust,
            school_id=school,
            week=week,
            teachers=size,
            coaches=n,
            over_limit=size > limit,
        )
        for school, (limit, counter) in sorted(caseloads.items())
        for size, n in sorted(counter.items())
    )


def _steps(trust, week, week_end):
    """Steps set and embedded in the week, per school and framework step, the steps set that
    the teacher proposed themselves, and the days each embedded step took."""
    set_counts = defaultdict(dict)
    proposed = Counter()
    by_teacher = Q(proposed_by=F("relationship__teacher"))
    for row in (
        ActionStep.objects.filter(
            trust=trust, relationship__school__isnull=False, set_on__gte=week, set_on__lte=week_end
        )
        .values("relationship__school_id", "framework_step_id")
        .annotate(n=Count("pk"), proposed=Count("pk", filter=by_teacher))
    ):
        set_counts[row["relationship__school_id"]][row["framework_step_id"]] = row["n"]
        proposed[row["relationship__school_id"]] += row["proposed"]
    embedded = defaultdict(Counter)
    days = defaultdict(Counter)
    for school, step, set_on, closed_on in ActionStep.objects.filter(
        trust=trust,
        relationship__school__isnull=False,
        outcome=ActionStep.Outcome.EMBEDDED,
        closed_on__gte=week,
        closed_on__lte=week_end,
    ).values_list("relationship__school_id", "framework_step_id", "set_on", "closed_on"):
        embedded[school][step] += 1
        days[school][(closed_on - set_on).days] += 1
    return {"set": set_counts, "embedded": embedded, "days": days, "proposed": proposed}


def _rhythm(trust, active, week_end):
    """Per school: teachers due a drop-in by the end of the week (coached for at least one
    cadence), how many were seen within it, and coaches by the share they kept."""
    # A mentoring relationship may keep a longer rhythm of its own than any school's model.
    longest = dt.timedelta(days=max(*Cadence.values, MAX_CADENCE_DAYS))
    relationships = list(
        active.only("pk", "school_id", "teacher_id", "coach_id", "started_on", "cadence_days")
    )
    cadence = cadences(trust, relationships, on=week_end)
    last_seen = (
        dict(
            DropIn.objects.filter(
                trust=trust,
                is_draft=False,
                visited_on__gt=week_end - longest,
                visited_on__lte=week_end,
                relationship__in=[r.pk for r in relationships],
            )
            .values("relationship_id")
            .annotate(last=Max("visited_on"))
            .values_list("relationship_id", "last")
        )
        if relationships
        else {}
    )
    per_school = defaultdict(lambda: {"visits_due": 0, "visits_kept": 0})
    per_coach = defaultdict(lambda: [0, 0])
    for rel in relationships:
        days = cadence[rel.pk]
        if rel.started_on > week_end - dt.timedelta(days=days):
            continue  # not yet a full cycle into coaching: nothing was due
        kept = rel.pk in last_seen and last_seen[rel.pk] > week_end - dt.timedelta(days=days)
        per_school[rel.school_id]["visits_due"] += 1
        per_school[rel.school_id]["visits_kept"] += int(kept)
        tally = per_coach[(rel.school_id, rel.coach_id)]
        tally[0] += 1
        tally[1] += int(kept)
    for (school, _coach), (due, kept) in per_coach.items():
        figures = per_school[school]
        rate = kept / due
        key = (
            "coaches_on_rhythm"
            if rate >= ON_RHYTHM
            else "coaches_part_rhythm"
            if rate >= PART_RHYTHM
            else "coaches_off_rhythm"
        )
        figures[key] = figures.get(key, 0) + 1
    return per_school


def _caseloads(trust, active):
    """Per school: its caseload limit, and coaches counted by how many teachers they coach."""
    sizes = defaultdict(Counter)
    for row in active.values("school_id", "coach_id").annotate(n=Count("teacher", distinct=True)):
        sizes[row["school_id"]][row["n"]] += 1
    limits = school_models(trust, sizes)
    return {school: (limits[school].caseload_limit, counter) for school, counter in sizes.items()}
