"""Steps teachers proposed themselves: counted week by week in the rollups, and shown to a
school's leaders as a share per term, with small numbers hidden, on the page and in the CSV."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import ActionStep
from coachloop.common.tenancy import scopes_disabled
from coachloop.insights.models import SchoolWeek
from coachloop.insights.rollups import rollups_update, week_of, year_start_of
from coachloop.people.models import AcademicYear, Term
from tests.factories import ActionStepFactory, RelationshipFactory
from tests.insights.downloaded import csv_cells
from tests.insights.helpers import coached_school

pytestmark = pytest.mark.django_db


def _term_covering(trust, today, name="Autumn term"):
    """One academic year, with one term, around ``today``."""
    start = year_start_of(today)
    with scopes_disabled():
        year = AcademicYear.objects.create(
            trust=trust,
            name="This year",
            starts_on=start,
            ends_on=start + dt.timedelta(days=364),
        )
        Term.objects.create(
            trust=trust,
            academic_year=year,
            name=name,
            starts_on=start,
            ends_on=start + dt.timedelta(days=120),
        )


def _propose(relationships, count, *, on):
    """Mark ``count`` of the relationships' current steps as the teacher's, set on ``on``."""
    with scopes_disabled():
        for rel in relationships[:count]:
            step = rel.action_steps.get(closed_on__isnull=True)
            step.proposed_by = rel.teacher
            step.set_on = on
            step.save(update_fields=["proposed_by", "set_on"])


def _proposed_csv(client, world, persona="coaching_lead"):
    client.force_login(world.people[persona])
    url = reverse("insights:school_csv", args=[world.own.school.slug, "proposed"])
    return csv_cells(client.get(url))


def test_the_rollup_counts_steps_the_teacher_proposed_beside_the_steps_set(world):
    today = timezone.localdate()
    relationships = coached_school(
        world.own.school, today=today, framework_step=world.own.framework_step
    )
    set_on = today - dt.timedelta(days=10)
    _propose(relationships, 3, on=set_on)
    with scopes_disabled():
        # A step the coach set on the teacher's behalf is not the teacher's.
        rel = relationships[5]
        ActionStepFactory(relationship=rel, set_on=set_on, closed_on=set_on, proposed_by=rel.coach)
    rollups_update(trust=world.trust, today=today)
    week = week_of(set_on)
    with scopes_disabled():
        row = SchoolWeek.objects.get(school=world.own.school, week=week)
        set_that_week = ActionStep.objects.filter(
            relationship__school=world.own.school,
            set_on__gte=week,
            set_on__lte=week + dt.timedelta(days=6),
        ).count()
    assert row.steps_proposed_by_teacher == 3
    assert row.steps_set == set_that_week >= 9


def test_imported_coaching_with_no_school_is_left_out_of_every_figure(world):
    today = timezone.localdate()
    with scopes_disabled():
        imported = RelationshipFactory(
            school=None,
            trust=world.trust,
            coach=None,
            teacher=world.own.teacher,
            started_on=today - dt.timedelta(days=400),
            finished_on=today - dt.timedelta(days=300),
            imported_from="Another trust",
        )
        ActionStepFactory(
            relationship=imported,
            trust=world.trust,
            set_on=today - dt.timedelta(days=3),
            closed_on=today - dt.timedelta(days=2),
            proposed_by=world.own.teacher,
        )
    rollups_update(trust=world.trust, today=today)  # no error, and no row without a school
    with scopes_disabled():
        assert not SchoolWeek.objects.filter(school__isnull=True).exists()
        weeks = SchoolWeek.objects.filter(school=world.own.school)
        assert sum(w.steps_proposed_by_teacher for w in weeks) == 0


def test_the_dashboard_shows_the_share_of_steps_teachers_proposed_per_term(client, world):
    today = timezone.localdate()
    _term_covering(world.trust, today)
    relationships = coached_school(
        world.own.school, today=today, coached=10, framework_step=world.own.framework_step
    )
    _propose(relationships, 5, on=today - dt.timedelta(days=10))
    rollups_update(trust=world.trust, today=today)
    header, *rows = _proposed_csv(client, world)
    assert header == [
        "Term",
        "Steps set",
        "Proposed by the teacher",
        "Share proposed by the teacher",
    ]
    this_term = dict(zip(header, rows[-1], strict=True))
    assert this_term["Term"] == "Autumn term This year"
    steps_set = int(this_term["Steps set"])
    assert this_term["Proposed by the teacher"] == "5"
    assert this_term["Share proposed by the teacher"] == f"{100 * 5 / steps_set:.0f}"
    page = client.get(reverse("insights:school", args=[world.own.school.slug])).content.decode()
    assert "Steps teachers proposed themselves" in page
    assert 'id="proposed-chart-title"' in page
    # The term's bar is drawn with its value above it and its name below.
    share = this_term["Share proposed by the teacher"]
    assert f"<title>Autumn term This year: {share}%</title>" in page


def test_fewer_than_five_proposed_steps_are_hidden_and_so_is_the_share(client, world):
    today = timezone.localdate()
    _term_covering(world.trust, today)
    relationships = coached_school(
        world.own.school, today=today, coached=10, framework_step=world.own.framework_step
    )
    _propose(relationships, 3, on=today - dt.timedelta(days=10))
    rollups_update(trust=world.trust, today=today)
    header, *rows = _proposed_csv(client, world, persona="headteacher")
    this_term = dict(zip(header, rows[-1], strict=True))
    assert this_term["Proposed by the teacher"] == "hidden"
    assert this_term["Share proposed by the teacher"] == "hidden"
    for row in rows:
        for cell in row[1:]:
            assert cell not in {"1", "2", "3", "4"}, row


def test_a_school_coaching_fewer_than_five_teachers_shows_no_share_at_all(client, world):
    today = timezone.localdate()
    _term_covering(world.trust, today)
    relationships = coached_school(
        world.own.school,
        today=today,
        coached=3,
        uncoached=8,
        framework_step=world.own.framework_step,
    )
    # Each of three teachers proposed two steps: six steps, but they describe three people.
    _propose(relationships, 3, on=today - dt.timedelta(days=10))
    with scopes_disabled():
        for rel in relationships:
            ActionStepFactory(
                relationship=rel,
                set_on=today - dt.timedelta(days=12),
                closed_on=today - dt.timedelta(days=11),
                proposed_by=rel.teacher,
            )
    rollups_update(trust=world.trust, today=today)
    header, *rows = _proposed_csv(client, world)
    this_term = dict(zip(header, rows[-1], strict=True))
    assert this_term["Proposed by the teacher"] == "hidden"
    assert this_term["Share proposed by the teacher"] == "hidden"


def test_without_terms_the_share_is_shown_month_by_month(client, world):
    today = timezone.localdate()
    relationships = coached_school(
        world.own.school, today=today, coached=10, framework_step=world.own.framework_step
    )
    _propose(relationships, 6, on=today)
    rollups_update(trust=world.trust, today=today)
    header, *rows = _proposed_csv(client, world)
    # Each week counts in the month its Sunday falls in.
    sunday = week_of(today) + dt.timedelta(days=6)
    assert header[0] == "Month"
    assert rows[-1][0] == sunday.strftime("%B %Y")
    assert not any("term" in row[0] for row in rows)


def test_the_benchmarks_raw_sql_counts_the_same_proposed_steps_as_the_rollup(world):
    from benchmarks.dashboards import figures_match, raw_figures

    today = timezone.localdate()
    relationships = coached_school(
        world.own.school, today=today, coached=10, framework_step=world.own.framework_step
    )
    _propose(relationships, 4, on=today - dt.timedelta(days=3))
    rollups_update(trust=world.trust, today=today)
    school_ids = [world.own.school.pk]
    with scopes_disabled():
        raw = raw_figures(trust_id=world.trust.pk, school_ids=school_ids, today=today)
        differences = figures_match(
            raw, trust_id=world.trust.pk, school_ids=school_ids, today=today
        )
    assert sum(n for _set, n in raw["proposed"].values()) == 4
    # (Weeks before the first coaching began have no rollup row, so other figures may differ
    # there; the steps set and proposed may not differ anywhere.)
    assert [d for d in differences if "proposed" in d] == []
