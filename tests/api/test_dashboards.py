"""The API's dashboards: the very tables the pages draw, for the people the pages are for, with
a figure the page hides as null and every other one rounded as the page shows it."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from coachloop.api.models import Scope
from coachloop.api.resources.insights import table_data
from coachloop.common.disclosure import Figure
from coachloop.common.tenancy import scopes_disabled
from coachloop.insights import queries, tables
from coachloop.people.queries import viewer_for
from tests.api.tokens import bearer, integration_token, token_for

pytestmark = pytest.mark.django_db


def _get(client, url, secret):
    return client.get(url, headers=bearer(secret))


def test_a_hidden_figure_is_null_and_a_shown_one_is_rounded_as_the_page_shows_it():
    table = tables.Table(
        "example",
        "Example",
        ["Week beginning", "Share", "Count", "Median", "Note"],
        [
            [
                dt.date(2026, 9, 7),
                Figure(71.43, percent=True),
                Figure(3, suppressed=True),
                Figure(2.26),
                "Text",
            ],
            [None, Figure(None, percent=True), 12, Figure(8.0), ""],
        ],
        kinds=("date", "percent", "int", "number", "text"),
    )
    data = table_data(table)
    assert data["columns"][1] == {"key": "share", "label": "Share", "type": "percent"}
    assert data["rows"] == [
        [
            {"value": "2026-09-07", "hidden": False},
            {"value": 71, "hidden": False},
            {"value": None, "hidden": True},
            {"value": 2.3, "hidden": False},
            {"value": "Text", "hidden": False},
        ],
        [
            {"value": None, "hidden": False},
            {"value": None, "hidden": False},
            {"value": 12, "hidden": False},
            {"value": 8.0, "hidden": False},
            {"value": "", "hidden": False},
        ],
    ]


def test_a_head_reads_their_school_s_dashboard_with_every_table_the_page_shows(client, world):
    response = _get(
        client, reverse("api:v1:school_dashboard", args=["a1"]), token_for(world, "headteacher")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["school"] == {"name": "School A1", "slug": "a1"}
    with scopes_disabled():
        head = viewer_for(world.people["headteacher"], trust_id=world.trust.pk)
        page = tables.school_tables(queries.school_dashboard_for(head, "a1"))
    assert [t["key"] for t in body["tables"]] == list(page)
    assert [t["caption"] for t in body["tables"]] == [str(t.caption) for t in page.values()]


@pytest.mark.parametrize(
    ("persona", "slug", "code"),
    [
        ("headteacher", "a2", 404),
        ("coaching_lead", "a2", 404),
        ("trust_lead", "a2", 200),
        ("headteacher", "b1", 404),
        ("teacher", "a1", 403),
        ("administrator", "a1", 403),
    ],
)
def test_a_school_s_dashboard_is_for_its_head_and_lead_and_the_trust_s_leads(
    client, world, persona, slug, code
):
    url = reverse("api:v1:school_dashboard", args=[slug])
    assert _get(client, url, token_for(world, persona)).status_code == code


def test_an_integration_reads_dashboards_only_with_read_aggregates(client, world):
    aggregates = integration_token(world, [Scope.READ_AGGREGATES])
    activity = integration_token(world, [Scope.READ_ACTIVITY], schools=[world.own.school])
    school = reverse("api:v1:school_dashboard", args=["a2"])
    trust = reverse("api:v1:trust_dashboard")
    assert _get(client, school, aggregates).status_code == 200
    assert _get(client, trust, aggregates).status_code == 200
    # A coaching lead of A1 by its scope, but with no scope for figures.
    assert (
        _get(client, reverse("api:v1:school_dashboard", args=["a1"]), activity).status_code == 403
    )
    assert (
        _get(client, reverse("api:v1:school_dashboard", args=["b1"]), aggregates).status_code == 404
    )


@pytest.mark.parametrize(
    ("persona", "code"), [("headteacher", 200), ("trust_lead", 200), ("coaching_lead", 403)]
)
def test_the_trust_s_dashboard_is_for_its_leads_and_headteachers(client, world, persona, code):
    response = _get(client, reverse("api:v1:trust_dashboard"), token_for(world, persona))
    assert response.status_code == code
    if code == 200:
        assert [t["key"] for t in response.json()["tables"]][0] == "schools"


def test_the_one_read_of_a_school_s_dashboard_checks_who_is_asking(world):
    with scopes_disabled():
        lead = viewer_for(world.people["coaching_lead"], trust_id=world.trust.pk)
        assert queries.school_dashboard_for(lead, "a1").school == world.own.school
        with pytest.raises(Http404):
            queries.school_dashboard_for(lead, "a2")
