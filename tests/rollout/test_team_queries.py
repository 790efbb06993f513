"""Every coaching-team page runs the same number of queries with two coaches or twenty, and
no more than twelve (the demo-based check in tests/queries covers the same pages)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.rollout.team_fixtures import (
    coach_teachers,
    days,
    member,
    qa_visit,
    target,
    training,
)

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12


def _pages(world):
    lead, coach = world.people["coaching_lead"], world.own.coach
    school = world.own.school
    with scopes_disabled():
        visit = qa_visit(school, coach, visited_by=lead)
    slug = school.slug
    return [
        (lead, reverse("rollout:team_coaches", args=[slug])),
        (lead, reverse("rollout:team_assign", args=[slug])),
        (lead, reverse("rollout:team_training", args=[slug, coach.pk])),
        (lead, reverse("rollout:team_phases", args=[slug])),
        (lead, reverse("rollout:team_targets", args=[slug])),
        (lead, reverse("rollout:team_qa_visits", args=[slug])),
        (lead, reverse("rollout:team_qa_visit_new", args=[slug])),
        (lead, reverse("rollout:team_qa_visit", args=[visit.pk])),
        (coach, reverse("rollout:team_my_qa_visits")),
        (coach, reverse("rollout:team_qa_visit", args=[visit.pk])),
    ]


def _count(client, pages):
    counts = {}
    for user, url in pages:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[(user.pk, url)] = len(queries)
    return counts


def _grow(world, times):
    """More coaches, each with teachers, training and visits; more targets and phases."""
    school, lead = world.own.school, world.people["coaching_lead"]
    with scopes_disabled():
        for n in range(times):
            coach = member(school, Role.COACH, full_name=f"Extra Coach {n}")
            coach_teachers(school, coach, 3)
            training(school, coach, recorded_by=lead)
            training(school, world.own.coach, recorded_by=lead, course=f"Course {n}")
            qa_visit(school, coach, visited_by=lead)
            qa_visit(school, world.own.coach, visited_by=lead, on=days(-n))
            target(school, set_by=lead, coaches=n + 1)
            member(school, Role.TEACHER)  # a teacher with no coach


def test_each_team_page_runs_the_same_queries_with_ten_times_the_coaches(client, world):
    pages = _pages(world)
    _grow(world, 2)
    small = _count(client, pages)
    _grow(world, 18)
    large = _count(client, pages)
    assert small == large
    assert max(large.values()) <= MAX_QUERIES, large
