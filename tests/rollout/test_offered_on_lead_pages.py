"""Rollout and insights offer their links on the coaching lead's pages through the registry
(``common.navigation``), so coaching names neither and its pages stand without them."""

import re
from collections import defaultdict

import pytest
from django.urls import reverse

from coachloop.common import navigation

pytestmark = pytest.mark.django_db


def _links(client, route, school, *, within=None):
    """The page's links in order; ``within``: only those of the element with that id."""
    page = client.get(reverse(route, args=[school.slug])).content.decode()
    if within:
        page = page.split(f'aria-labelledby="{within}"')[1].split("</nav>")[0]
    return re.findall(r'<a class="govuk-link" href="([^"]+)"', page)


@pytest.fixture
def lead_client(client, world):
    client.force_login(world.people["coaching_lead"])
    return client


def test_the_leads_home_lists_the_schools_pages_for_running_coaching_in_order(lead_client, world):
    slug = [world.own.school.slug]
    links = _links(lead_client, "coaching:lead_home", world.own.school, within="running-coaching")
    assert links[:7] == [
        reverse("coaching:relationship_new", args=slug),
        reverse("rollout:model_edit", args=slug),
        reverse("rollout:team_coaches", args=slug),
        reverse("rollout:time_slots", args=slug),
        reverse("coaching:lead_groups", args=slug),
        reverse("coaching:reviews_shared", args=slug),
        reverse("insights:school", args=slug),
    ]


def test_instructional_coaching_starts_on_the_teams_assign_a_coach_page(lead_client, world):
    slug = [world.own.school.slug]
    assert _links(lead_client, "coaching:relationship_new", world.own.school)[:2] == [
        reverse("rollout:team_assign", args=slug),
        reverse("coaching:relationship_start", args=[*slug, "mentoring"]),
    ]


def test_the_leads_pages_stand_without_rollout_and_insights(lead_client, world, monkeypatch):
    monkeypatch.setattr(navigation, "_PROVIDERS", defaultdict(list))
    home = _links(lead_client, "coaching:lead_home", world.own.school)
    kinds = _links(lead_client, "coaching:relationship_new", world.own.school)
    assert not [link for link in home + kinds if "/rollout/" in link or "/insights/" in link]
    assert reverse("coaching:lead_groups", args=[world.own.school.slug]) in home
    assert len(kinds) == 3  # mentoring, specialist and co-coaching
