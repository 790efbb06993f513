import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coachloop.coaching.models import Relationship
from coachloop.common.tenancy import scopes_disabled
from coachloop.insights.models import RollupState, SchoolWeek, SchoolWeekEmbedTime, SchoolWeekStep
from coachloop.insights.rollups import REFILL_WEEKS, rollups_update, week_of
from coachloop.policy.models import SchoolModel
from tests.factories import DropInFactory
from tests.insights.helpers import coached_school

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)  # a Wednesday


def _this_week(school):
    with scopes_disabled():
        return SchoolWeek.objects.get(school=school, week=week_of(TODAY))


def test_the_rollup_counts_teachers_coaches_and_drop_ins_for_the_week(world):
    school = world.own.school
    coached_school(school, today=TODAY, framework_step=world.own.framework_step)
    rollups_update(trust=world.trust, today=TODAY)
    row = _this_week(school)
    # the world's own teacher and coach are in the school too
    assert row.teachers == 12 + 1
    assert row.coached_teachers == 8 + 1
    assert row.coaches >= 2
    assert row.dropins == 8
    with scopes_disabled():
        ten_days_ago = SchoolWeek.objects.get(
            school=school, week=week_of(TODAY - dt.timedelta(days=10))
        )
    assert (ten_days_ago.steps_set, ten_days_ago.steps_embedded) == (8, 8)


def test_a_teacher_seen_within_their_cadence_counts_as_kept(world):
    school = world.own.school
    coached_school(school, today=TODAY, seen_within=10, framework_step=world.own.framework_step)
    rollups_update(trust=world.trust, today=TODAY)
    weekly = _this_week(school)
    assert weekly.visits_due >= 8
    assert weekly.visits_kept == 0  # ten days ago is outside a weekly rhythm

    with scopes_disabled():
        SchoolModel.objects.create(trust=world.trust, school=school, cadence_teachers=14)
    rollups_update(trust=world.trust, today=TODAY)
    fortnightly = _this_week(school)
    assert fortnightly.visits_kept == 8  # but inside a fortnightly one


def test_a_mentoring_rhythm_of_its_own_decides_whether_a_visit_was_kept(world):
    school = world.own.school
    relationships = coached_school(
        school, today=TODAY, seen_within=10, framework_step=world.own.framework_step
    )
    with scopes_disabled():
        Relationship.objects.filter(pk__in=[r.pk for r in relationships]).update(cadence_days=14)
    rollups_update(trust=world.trust, today=TODAY)
    assert _this_week(school).visits_kept == 8  # ten days ago is inside their fortnight


def test_embedded_steps_are_counted_by_step_and_by_days_taken(world):
    school = world.own.school
    coached_school(school, today=TODAY, framework_step=world.own.framework_step)
    rollups_update(trust=world.trust, today=TODAY)
    embed_week = week_of(TODAY - dt.timedelta(days=10))
    with scopes_disabled():
        times = SchoolWeekEmbedTime.objects.get(school=school, week=embed_week)
        step_row = SchoolWeekStep.objects.get(
            school=school, week=embed_week, step=world.own.framework_step
        )
    assert (times.days, times.count) == (30, 8)
    assert step_row.embedded_count == 8


def test_a_second_run_rewrites_only_the_last_weeks_and_picks_up_a_late_record(world):
    school = world.own.school
    relationships = coached_school(school, today=TODAY, framework_step=world.own.framework_step)
    first = rollups_update(trust=world.trust, today=TODAY)
    assert first > REFILL_WEEKS + 1
    with scopes_disabled():
        DropInFactory(relationship=relationships[0], visited_on=TODAY - dt.timedelta(days=1))
    with CaptureQueriesContext(connection) as queries:
        again = rollups_update(trust=world.trust, today=TODAY)
    assert again == REFILL_WEEKS + 1
    assert _this_week(school).dropins == 9
    with scopes_disabled():
        assert RollupState.objects.get(trust=world.trust).last_week == week_of(TODAY)
    assert len(queries) < 30 * again


def test_rollups_of_one_trust_do_not_touch_another(world):
    coached_school(world.own.school, today=TODAY, framework_step=world.own.framework_step)
    rollups_update(trust=world.trust, today=TODAY)
    with scopes_disabled():
        assert not SchoolWeek.objects.filter(trust=world.other_trust).exists()
        assert not SchoolWeek.objects.exclude(trust=world.trust).exists()


def test_the_rollups_task_run_twice_leaves_the_same_figures(world):
    from coachloop.insights.models import SchoolCaseload
    from coachloop.insights.tasks import rollups_update as rollups_task

    coached_school(world.own.school, today=dt.date.today(), framework_step=world.own.framework_step)

    def figures():
        with scopes_disabled():
            return {
                model.__name__: sorted(
                    tuple(sorted((k, str(v)) for k, v in row.items() if k != "id"))
                    for row in model.objects.values()
                )
                for model in (SchoolWeek, SchoolWeekStep, SchoolWeekEmbedTime, SchoolCaseload)
            }

    rollups_task.call(world.trust.pk)
    once = figures()
    rollups_task.call(world.trust.pk)
    assert once["SchoolWeek"] and figures() == once
