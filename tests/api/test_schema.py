"""Schemathesis against the API's own schema, in process (survey 2.4): every operation, with
every API persona's token, gets no server error, and every answer conforms to the schema (its
status codes, content type and body). No coaching note reaches anyone but the teacher and the
coach.

The schema is built by drf-spectacular's generator (no HTTP); requests go through Django's WSGI
handler inside the test's transaction. Each resource package adds its operations to the
schema; this test then covers them with no change here.
"""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from coachloop.api.models import ApiToken
from coachloop.common.tenancy import scopes_disabled
from tests.access.codes import API_PERSONAS
from tests.api.schema import api_schema
from tests.api.tokens import bearer, token_for
from tests.shared_world import world_for_the_module
from tests.world import SECRET_NOTE

pytestmark = pytest.mark.django_db

SEEN_BY_THE_NOTE_S_READERS = {"teacher", "coach"}


def _may_refuse(case, response):
    """A write the schema allows may still break a rule no schema can say (a role finishing
    before it started, a role that needs a school, a framework with problems, an id of nobody
    in the trust), and so may a filter naming no school of the trust: a 400 saying what is
    wrong, which must conform to the schema like any other answer."""
    if case.method != "GET":
        return True
    return response.status_code == 400 and "fields" in response.json()


schema = api_schema()


@pytest.fixture
def in_process():
    """Django's WSGI handler leaves the test's database connection open (as Django's test
    client does): its request_finished signal would otherwise close it mid-test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_world(django_db_setup, django_db_blocker):
    """One world and one token per persona for every operation (tests.shared_world); each
    test's writes are undone after it."""
    with world_for_the_module(django_db_blocker) as world:
        secrets = {persona: token_for(world, persona) for persona in API_PERSONAS}
        with scopes_disabled():  # rate limits have their own test (tests/api/test_rate_limits.py)
            ApiToken.objects.update(rate_per_minute=1_000_000)
        yield world, secrets


def no_coaching_notes_for(persona):
    def check(ctx, response, case):
        if persona not in SEEN_BY_THE_NOTE_S_READERS:
            assert SECRET_NOTE not in response.text, f"{persona} got a coaching note"

    return check


@schema.parametrize()
@pytest.mark.parametrize("persona", API_PERSONAS)
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_every_token_as_the_schema_says(
    case, persona, api_world, db, in_process
):
    _world, secrets = api_world
    headers = bearer(secrets[persona])
    response = case.call(headers=headers)
    case.validate_response(
        response,
        headers=headers,
        additional_checks=[no_coaching_notes_for(persona)],
        excluded_checks=[positive_data_acceptance] if _may_refuse(case, response) else None,
    )
