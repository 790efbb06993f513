"""Rollout phases and coverage targets, and progress towards the latest target today."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.people.queries import viewer_for
from coachloop.rollout.models import CoverageTarget, RolloutPhase
from coachloop.rollout.queries import team as queries
from coachloop.rollout.services import team as services
from tests.factories import RelationshipFactory
from tests.rollout import team_fixtures
from tests.rollout.team_fixtures import count, days, member, target, text, training

pytestmark = pytest.mark.django_db

lead, lead_client, school = team_fixtures.lead, team_fixtures.lead_client, team_fixtures.school


def _url(name, school):
    return reverse(f"rollout:{name}", args=[school.slug])


def _phase(school, kind, starts, ends=None, notes=""):
    return RolloutPhase.objects.create(
        trust=school.trust, school=school, kind=kind, starts_on=starts, ends_on=ends, notes=notes
    )


# -- phases -------------------------------------------------------------------------------------


def test_a_lead_adds_a_phase_and_it_is_listed(lead_client, school, lead):
    response = lead_client.post(
        _url("team_phases", school),
        {
            "kind": "soft_launch",
            "starts_on": days(-20).isoformat(),
            "ends_on": days(40).isoformat(),
            "notes": "Four coaches in the first team.",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        phase = RolloutPhase.objects.get(school=school)
        assert AuditEvent.objects.filter(
            verb="rollout_phase.added", actor=lead, target_id=str(phase.pk)
        ).exists()
    page = text(lead_client.get(response.url))
    assert "Phase added." in page
    assert "Four coaches in the first team." in page
    assert "Now: Soft launch with a first team" in page


def test_phases_are_listed_in_date_order_with_the_current_one_shown(lead_client, school):
    with scopes_disabled():
        _phase(school, "every_teacher", days(100))
        _phase(school, "soft_launch", days(-200), days(-61))
        _phase(school, "scale_up", days(-60))
    page = text(lead_client.get(_url("team_phases", school)))
    soft = page.index("Soft launch with a first team")
    scale = page.index("Scale-up", page.index("Phases in order"))
    every = page.index("Every teacher coached")
    assert soft < scale < every
    assert "Now: Scale-up, since" in page
    assert f"From {days(-60).strftime('%-d %b %Y')}" in page


def test_with_no_phase_running_the_page_says_so(lead_client, school):
    with scopes_disabled():
        _phase(school, "soft_launch", days(-200), days(-100))
        _phase(school, "scale_up", days(10))
    page = text(lead_client.get(_url("team_phases", school)))
    assert "No phase is running today." in page


def test_where_phases_overlap_the_one_started_last_is_current(world, school, lead):
    with scopes_disabled():
        _phase(school, "soft_launch", days(-100), days(10))
        later = _phase(school, "scale_up", days(-5))
        _phase(world.other_school.school, "every_teacher", days(-1))
    viewer = viewer_for(lead)
    with trust_scope(viewer.trust):
        phases = queries.phases_of(viewer, school=school)
    assert phases.current == later
    assert len(phases.phases) == 2  # another school's phases are not listed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ends_on": days(-30).isoformat()}, "A phase cannot end before it starts."),
        ({"starts_on": ""}, "Enter the date the phase starts."),
        ({"kind": ""}, "Choose which phase this is."),
        ({"kind": "big_bang"}, "Choose which phase this is."),
        ({"starts_on": "2026-02-31"}, "Enter a valid date."),
        ({"notes": "x" * 301}, "at most 300 characters"),
    ],
)
def test_a_bad_phase_gets_a_clear_message_and_saves_nothing(lead_client, school, data, message):
    post = {"kind": "scale_up", "starts_on": days(-20).isoformat(), "ends_on": ""}
    post.update(data)
    response = lead_client.post(_url("team_phases", school), post)
    assert response.status_code == 200
    assert message in text(response)
    assert "There is a problem" in text(response)
    assert count(RolloutPhase) == 0


def test_the_service_refuses_a_phase_that_ends_before_it_starts(world, school, lead):
    viewer = viewer_for(lead)
    with trust_scope(viewer.trust), pytest.raises(ValidationError) as raised:
        services.rollout_phase_add(
            viewer=viewer, school=school, kind="scale_up", starts_on=days(0), ends_on=days(-1)
        )
    assert raised.value.message_dict == {"ends_on": ["A phase cannot end before it starts."]}
    assert count(RolloutPhase) == 0


# -- targets ------------------------------------------------------------------------------------


def _target_post(**overrides):
    data = {"trained_coaches": "4", "coached_percent": "80", "due_by": days(300).isoformat()}
    data.update(overrides)
    return data


def test_a_lead_sets_a_target_and_it_is_audited(lead_client, school, lead):
    response = lead_client.post(_url("team_targets", school), _target_post())
    assert response.status_code == 302
    with scopes_disabled():
        saved = CoverageTarget.objects.get(school=school)
        assert AuditEvent.objects.filter(
            verb="coverage_target.set", actor=lead, target_id=str(saved.pk)
        ).exists()
    assert (saved.trained_coaches, saved.coached_percent, saved.due_by) == (4, 80, days(300))
    assert saved.set_by == lead
    assert "Target set." in text(lead_client.get(response.url))


def test_a_target_for_today_is_accepted(lead_client, school):
    response = lead_client.post(_url("team_targets", school), _target_post(due_by=days(0)))
    assert response.status_code == 302
    assert count(CoverageTarget) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("due_by", days(-1).isoformat(), "The date of a target cannot be in the past."),
        ("due_by", "", "Enter the date the target is for."),
        ("coached_percent", "101", "Enter a percentage of teachers with a coach from 0 to 100."),
        ("coached_percent", "-5", "Enter a percentage of teachers with a coach from 0 to 100."),
        ("coached_percent", "eighty", "Enter the percentage as a whole number, for example 80."),
        ("coached_percent", "", "Enter the percentage of teachers with a coach."),
        ("trained_coaches", "-1", "The number of trained coaches cannot be negative."),
        ("trained_coaches", "501", "Enter 500 trained coaches or fewer."),
        ("trained_coaches", "2.5", "Enter the number of trained coaches as a whole number"),
        ("trained_coaches", "", "Enter the number of trained coaches."),
    ],
)
def test_a_bad_target_gets_a_clear_message_and_saves_nothing(
    lead_client, school, field, value, message
):
    response = lead_client.post(_url("team_targets", school), _target_post(**{field: value}))
    assert response.status_code == 200
    assert message in text(response)
    assert "There is a problem" in text(response)
    assert count(CoverageTarget) == 0
    assert count(AuditEvent, verb="coverage_target.set") == 0


def test_a_target_of_nothing_at_all_is_refused(lead_client, school):
    response = lead_client.post(
        _url("team_targets", school), _target_post(trained_coaches="0", coached_percent="0")
    )
    assert "Set at least one of the two numbers above 0." in text(response)
    assert count(CoverageTarget) == 0


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"due_by": days(-1)}, "due_by"),
        ({"coached_percent": 101}, "coached_percent"),
        ({"coached_percent": -1}, "coached_percent"),
        ({"trained_coaches": -3}, "trained_coaches"),
    ],
)
def test_the_service_refuses_a_bad_target_whoever_calls_it(world, school, lead, values, field):
    viewer = viewer_for(lead)
    arguments = {"trained_coaches": 3, "coached_percent": 50, "due_by": days(30)} | values
    with trust_scope(viewer.trust), pytest.raises(ValidationError) as raised:
        services.coverage_target_set(viewer=viewer, school=school, **arguments)
    assert list(raised.value.message_dict) == [field]
    assert count(CoverageTarget) == 0


# -- progress -----------------------------------------------------------------------------------


def _coverage(lead, school):
    viewer = viewer_for(lead)
    with trust_scope(viewer.trust):
        return queries.coverage(viewer, school=school)


def test_progress_counts_trained_coaches_and_teachers_coached_today(world, school, lead):
    """A1 has two coaches and one coached teacher; add teachers in and out of the count."""
    with scopes_disabled():
        training(school, world.own.coach, recorded_by=lead)
        training(school, world.own.coach, recorded_by=lead, course="A second course")
        uncoached = member(school, Role.TEACHER)
        ended = member(school, Role.TEACHER)
        RelationshipFactory(
            school=school, coach=world.own.coach, teacher=ended, finished_on=days(-1)
        )
        elsewhere = member(school, Role.TEACHER)
        RelationshipFactory(
            school=world.other_school.school, coach=world.other_school.coach, teacher=elsewhere
        )
        member(school, Role.TEACHER, started_on=days(-300), finished_on=days(-2))  # left
        trained_elsewhere = world.other_school.coach
        training(world.other_school.school, trained_elsewhere, recorded_by=lead)
    progress = _coverage(lead, school)
    assert (progress.coaches, progress.trained_coaches) == (2, 1)
    assert (progress.teachers, progress.coached_teachers) == (4, 1)
    assert progress.coached_percent == 25
    assert uncoached  # counted as a teacher without a coach


def test_progress_is_measured_against_the_latest_target_set(world, school, lead):
    with scopes_disabled():
        target(school, set_by=lead, coaches=1, percent=100, due_by=days(400))
        latest = target(school, set_by=lead, coaches=2, percent=100, due_by=days(100))
        training(school, world.own.coach, recorded_by=lead)
    progress = _coverage(lead, school)
    assert progress.target == latest
    assert not progress.trained_met  # one trained of two
    assert progress.coaches_to_train == 1
    assert progress.coached_met  # the one teacher is coached


def test_the_targets_page_shows_progress_towards_the_latest_target(
    lead_client, world, school, lead
):
    with scopes_disabled():
        member(school, Role.TEACHER)  # a second teacher, not coached
        target(school, set_by=lead, coaches=1, percent=75, due_by=days(120))
        training(school, world.own.coach, recorded_by=lead)
    page = text(lead_client.get(_url("team_targets", school)))
    assert f"Against the latest target, for {days(120).strftime('%-d %B %Y')}." in page
    assert "1 of 1" in page and "Met" in page
    assert "50% against 75%" in page and "Not met yet" in page
    assert "1 of 2 teachers" in page


def test_with_no_target_the_page_still_shows_where_the_school_is(lead_client, school):
    page = text(lead_client.get(_url("team_targets", school)))
    assert "No target set yet." in page
    assert "100%" in page  # the one teacher in A1 is coached


def test_a_coaching_that_has_not_started_yet_does_not_count_as_coverage(world, school, lead):
    with scopes_disabled():
        waiting = member(school, Role.TEACHER)
        RelationshipFactory(
            school=school, coach=world.people["other_coach"], teacher=waiting, started_on=days(3)
        )
    progress = _coverage(lead, school)
    assert (progress.teachers, progress.coached_teachers) == (2, 1)
