"""Lists that grow with a school or a programme are shown a page at a time: the lead's home,
the markers' queues, the moderator's sample, a programme's page and its school coaches, an
assignment's submissions and a cohort's places are no larger on a data set ten times the
demo's (the same two builds as ``test_query_counts``). Each list's page size is set to what the
demo fills, so both sizes show full pages and only growth could tell them apart."""

import re

import pytest
from django.urls import resolve, reverse

from coachloop.coaching.queries import lead as lead_queries
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role, User
from coachloop.programmes.queries import marking_pages, staff_pages
from tests.queries import pages_programmes_marking, pages_programmes_staff
from tests.queries.test_query_counts import DEMO, TEN_TIMES, _build

pytestmark = [pytest.mark.queries, pytest.mark.django_db]

NO_LARGER_THAN = 1.2  # times the page on the demo
PAGE = 5  # rows a page of the lead's home: the demo's lead has at least this many
# Cards a page of the markers' queues: the demo's markers have at least one to mark, one to
# agree or settle (where they have any) and two done, so their pages are full at both sizes.
TO_MARK, IN_HAND, DONE = 1, 1, 2
ROWS = 5  # an assignment's submissions and a cohort's places: the demo has more
COACHES = 3  # a programme's school coaches: the demo's seven fill two pages
SAMPLED = 1  # sampled work waiting for the moderator, and moderated: the demo has two of each


def _pages():
    """(who, url) for the lead's home, every marker's queue, the moderator's sample, and the
    programme, coaches, assignment and cohort pages the query counts open."""
    with scopes_disabled():
        lead = User.objects.get(email="lead@riverside.example.org")
        slug = lead.memberships.filter(role=Role.COACHING_LEAD).first().school.slug
        queues = [
            (user, url)
            for user, url in pages_programmes_marking.pages()
            if url.startswith(reverse("programmes:marking"))
            or resolve(url.split("?")[0]).url_name == "moderation"
        ]
        lists = [
            (user, url)
            for user, url in pages_programmes_staff.pages()
            if resolve(url.split("?")[0]).url_name
            in ("assignment", "cohort", "programme", "coaches")
        ]
    return [(lead, reverse("coaching:lead_home", args=[slug])), *queues, *lists]


def _lists(html):
    """How many cards or rows each list of the page shows, by its id."""
    lists = {}
    for ident, body in re.findall(r'<ul class="cl-card-list" id="([^"]+)">(.*?)</ul>', html, re.S):
        lists[ident] = body.count('<li class="govuk-summary-card">')
    for ident, body in re.findall(r'<table[^>]* id="([^"]+)">(.*?)</table>', html, re.S):
        lists[ident] = body.split('<tbody class="govuk-table__body">')[-1].count("<tr")
    return lists


def _sizes(client):
    sizes = {}
    for n, (user, url) in enumerate(_pages()):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        # Keyed by place and route: record ids differ between the two builds.
        html = response.content.decode()
        sizes[f"{n}: {re.sub(r'[0-9]+', 'N', url)}"] = (len(response.content), _lists(html))
    return sizes


def test_the_lead_home_the_marking_queues_and_the_programme_lists_do_not_grow_with_the_data(
    client, monkeypatch
):
    monkeypatch.setattr(lead_queries, "ROWS_PER_PAGE", PAGE)
    monkeypatch.setattr(marking_pages, "TO_MARK_SHOWN", TO_MARK)
    monkeypatch.setattr(marking_pages, "DONE_SHOWN", DONE)
    monkeypatch.setattr(marking_pages, "IN_HAND_SHOWN", IN_HAND)
    monkeypatch.setattr(staff_pages, "SUBMISSIONS_SHOWN", ROWS)
    monkeypatch.setattr(staff_pages, "ENROLMENTS_SHOWN", ROWS)
    monkeypatch.setattr(staff_pages, "COACHES_SHOWN", COACHES)
    monkeypatch.setattr(marking_pages, "AWAITING_SHOWN", SAMPLED)
    monkeypatch.setattr(marking_pages, "MODERATED_SHOWN", SAMPLED)
    _build(DEMO)
    small = _sizes(client)
    _build(TEN_TIMES)
    large = _sizes(client)
    # No list shows more than a page, at either size.
    longest = {"to-mark": TO_MARK, "to-reconcile": IN_HAND, "to-settle": IN_HAND}
    longest |= {"marking-done": DONE, "submissions": ROWS, "enrolments": ROWS, "coaches": COACHES}
    longest |= {"awaiting-moderation": SAMPLED, "moderated": SAMPLED}
    too_long = {
        (page, ident): n
        for page, (_bytes, lists) in (small | {f"10x {p}": v for p, v in large.items()}).items()
        for ident, n in lists.items()
        if n > longest.get(ident, PAGE)
    }
    assert not too_long, too_long
    # A page showing the same lists at both sizes is no larger at ten times the data. (Where a
    # list is empty on the demo, say no marks to settle, its page at 10x shows one page more.)
    grown = {
        page: round(large[page][0] / small[page][0], 2)
        for page in small
        if set(large[page][1]) == set(small[page][1])
        and large[page][0] > NO_LARGER_THAN * small[page][0]
    }
    assert not grown, grown


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
