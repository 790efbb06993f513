"""A NUL character in an address, its query, a cookie or a posted form is refused with "Bad
request" before anything looks it up: PostgreSQL cannot hold one in text, so a lookup by such
a value would otherwise fail inside the database (a 500). Run on PostgreSQL in CI."""

import pytest
from django.urls import reverse

from coachloop.coaching.models import Goal
from coachloop.common.tenancy import scopes_disabled
from tests.rollout.time_fixtures import feed_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "/rollout/calendar/{coach}/%00.ics",
        "/rollout/calendar/{coach}/a%00b.ics",
        "/rollout/calendar/{coach}/{token}.ics?x=%00",
        "/rollout/calendar/{coach}/{token}.ics?%00=x",
    ],
)
def test_a_calendar_address_holding_nul_is_a_bad_request_for_anyone(client, world, address):
    feed = feed_of(world.own.coach, world.trust)
    url = address.format(coach=world.own.coach.pk, token=feed.token)
    assert client.get(url).status_code == 400


def test_a_calendar_token_of_the_wrong_shape_is_not_found_without_a_lookup(
    client, world, django_assert_num_queries
):
    for token in ["x" * 42 + "!", "x" * 65, "é" * 43, "a b"]:
        url = reverse("rollout:time_feed", args=[world.own.coach.pk, token])
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 404, token


def test_nul_in_a_signed_in_pages_query_or_address_is_a_bad_request(client, world):
    client.force_login(world.own.teacher)
    assert client.get(reverse("coaching:goals") + "?about=%00").status_code == 400
    assert client.get("/me/goals/%00/").status_code == 400
    assert client.get(reverse("coaching:goals")).status_code == 200


def test_nul_in_a_posted_form_is_a_bad_request_and_saves_nothing(client, world):
    client.force_login(world.own.teacher)
    response = client.post(
        reverse("coaching:goal_new"),
        "title=Cold%00calling&why=Because&review_on=2099-01-01",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    with scopes_disabled():
        assert not Goal.objects.exists()


def test_nul_in_a_multipart_forms_text_is_a_bad_request_and_saves_nothing(client, world):
    """(The test client posts a dict as multipart/form-data.)"""
    client.force_login(world.own.teacher)
    response = client.post(
        reverse("coaching:goal_new"),
        {"title": "Cold\x00calling", "why": "Because", "review_on": "2099-01-01"},
    )
    assert response.status_code == 400
    with scopes_disabled():
        assert not Goal.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"login": "teacher\x00@example.org", "password": "not-the-password"},
        {"login": "teacher@example.org", "password": "pass\x00word"},
        {"login\x00": "teacher@example.org", "password": "not-the-password"},
    ],
)
def test_nul_in_a_multipart_sign_in_is_a_bad_request_before_the_sign_in_limits_look_it_up(
    client, fields
):
    """The sign-in limits read the address from ``request.POST`` before any form does."""
    assert client.post(reverse("login"), fields).status_code == 400


def test_nul_in_a_session_cookie_is_a_bad_request_not_a_failed_lookup(client, world):
    # Sent as the raw header: Python's cookie jar (3.11.2 on) refuses to hold a NUL itself.
    response = client.get(reverse("coaching:goals"), HTTP_COOKIE="sessionid=abcdefgh\x00ijklmnop")
    assert response.status_code == 400
