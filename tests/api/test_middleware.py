"""Who a request under /api/v1/ is: its bearer token's holder, in the token's trust, never the
session's; anything else is a JSON 401 before any view runs."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.api.tokens import bearer, integration_token, make_token
from tests.factories import MembershipFactory, UserFactory, two_step_set_up
from tests.world import lead_in_two_trusts

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def _refused(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")
    return True


def test_the_me_route_is_where_the_tests_say():
    assert reverse("api:v1:me") == ME


def test_a_request_with_no_token_is_refused_with_json(client, world):
    assert _refused(client.get(ME))


def test_an_unknown_token_is_refused(client, world):
    assert _refused(client.get(ME, headers=bearer("cl_pat_not-a-token")))


def test_an_authorization_header_that_is_not_a_bearer_token_is_refused(client, world):
    assert _refused(client.get(ME, headers={"Authorization": "Basic dXNlcjpwYXNz"}))


def test_a_revoked_token_is_refused(client, world):
    secret, _token = make_token(world.people["coach"], world.trust, revoked_at=timezone.now())
    assert _refused(client.get(ME, headers=bearer(secret)))


def test_an_expired_token_is_refused(client, world):
    secret, _token = make_token(
        world.people["coach"], world.trust, expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert _refused(client.get(ME, headers=bearer(secret)))


def test_the_token_of_someone_whose_account_is_closed_is_refused(client, world):
    coach = world.people["coach"]
    secret, _token = make_token(coach, world.trust)
    coach.is_active = False
    coach.save(update_fields=["is_active"])
    assert _refused(client.get(ME, headers=bearer(secret)))


def test_the_token_of_someone_with_no_role_left_in_its_trust_is_refused(client, world):
    coach = world.people["coach"]
    secret, _token = make_token(coach, world.trust)
    with scopes_disabled():
        today = timezone.localdate()
        coach.memberships.update(
            started_on=today - timedelta(days=30), finished_on=today - timedelta(days=1)
        )
    assert _refused(client.get(ME, headers=bearer(secret)))


def test_a_good_token_acts_as_its_person_with_their_roles(client, world):
    secret, _token = make_token(world.people["headteacher"], world.trust, name="Board pack")
    response = client.get(ME, headers=bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Head A1"
    assert body["trust"] == {"name": "Trust A", "slug": "trust-a"}
    assert body["roles"] == [{"role": "headteacher", "school": "a1"}]
    assert body["token"]["kind"] == "personal"
    assert body["token"]["name"] == "Board pack"


def test_a_token_works_in_its_own_trust_only_for_someone_in_two(client, world):
    person = lead_in_two_trusts(world)
    secret_a, _token = make_token(person, world.trust)
    secret_b, _token = make_token(person, world.other_trust)
    in_a = client.get(ME, headers=bearer(secret_a)).json()
    in_b = client.get(ME, headers=bearer(secret_b)).json()
    assert (in_a["trust"]["slug"], in_a["roles"]) == (
        "trust-a",
        [{"role": "coaching_lead", "school": "a1"}],
    )
    assert (in_b["trust"]["slug"], in_b["roles"]) == (
        "trust-b",
        [{"role": "coaching_lead", "school": "b1"}],
    )


def test_a_signed_in_session_does_not_open_the_api(client, world):
    client.force_login(world.people["coach"])
    assert _refused(client.get(ME))


def test_the_token_wins_over_the_session_of_someone_else(client, world):
    client.force_login(world.people["coach"])
    secret, _token = make_token(world.people["teacher"], world.trust)
    body = client.get(ME, headers=bearer(secret)).json()
    assert body["name"] == world.people["teacher"].full_name


def test_a_token_request_sets_no_session_cookie_and_writes_no_session(client, world):
    secret, _token = make_token(world.people["administrator"], world.trust)
    response = client.get(ME, headers=bearer(secret))
    assert response.status_code == 200
    assert not response.cookies
    assert not Session.objects.exists()


def test_a_leader_yet_to_set_up_two_step_gets_a_401_with_a_token_not_a_page_to_set_it_up(
    client, world
):
    # A leader's session needs two-step sign-in set up; a token made before they led must not
    # carry a leader's powers past that check. The API answers, it does not redirect.
    with scopes_disabled():
        head = UserFactory(full_name="New Head", email="new-head@example.org")
        MembershipFactory(
            user=head, trust=world.trust, school=world.own.school, role=Role.HEADTEACHER
        )
    client.force_login(head)
    assert client.get(reverse("home")).status_code == 302
    client.logout()
    secret, _token = make_token(head, world.trust)
    response = client.get(ME, headers=bearer(secret))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    two_step_set_up(head)
    assert client.get(ME, headers=bearer(secret)).status_code == 200


def test_an_integration_token_acts_with_the_roles_of_its_scopes_only(client, world):
    secret = integration_token(world, ["read_activity"], schools=[world.own.school])
    body = client.get(ME, headers=bearer(secret)).json()
    assert body["roles"] == [{"role": "coaching_lead", "school": "a1"}]
    assert body["token"] | {"expires_at": None} == {
        "name": "Test token",
        "kind": "integration",
        "scopes": ["read_activity"],
        "expires_at": None,
    }


def test_a_tokens_last_use_is_kept_to_the_minute_with_one_write_a_minute(client, world):
    secret, token = make_token(world.people["coach"], world.trust)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(ME, headers=bearer(secret))
    with (
        time_machine.travel(start + timedelta(seconds=59), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        client.get(ME, headers=bearer(secret))
    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "api_apitoken"')]
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get(ME, headers=bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=61)
