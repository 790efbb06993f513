"""The API's permission matrix: every ``/api/v1/`` route x every API persona x own school /
other school / other trust, each with a token of their own (``tests.api.tokens``).

Rows live in ``api_rows_<area>.py`` modules as ``ROWS`` dicts, written as the page matrix's
are (``tests.access.codes.api_route``). No token is a 401; every answer is JSON; only the
teacher and the coach ever see coaching notes; every answer, with real ids, is one the schema
documents (its status code and its body); a GET writes nothing but audit events and the
token's own bookkeeping (its last use, its rate window).
"""

import importlib
import json
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.access.codes import API_PERSONAS
from tests.access.downloads import WRITE
from tests.access.test_permission_matrix import all_routes
from tests.api.schema import assert_conforms
from tests.api.tokens import bearer, token_for
from tests.shared_world import world_for_the_module
from tests.world import SECRET_NOTE

pytestmark = [pytest.mark.django_db, pytest.mark.access]

API_ROWS = {}
for _module in sorted(Path(__file__).parent.glob("api_rows_*.py")):
    API_ROWS.update(importlib.import_module(f"tests.access.{_module.stem}").ROWS)

WRITES_AN_API_GET_MAY_MAKE = {"common_auditevent", "api_apitoken", "api_tokenwindow"}


def api_routes():
    return {name for name in all_routes() if name.startswith("api:v1:")}


def test_every_api_route_has_a_row_in_the_api_matrix():
    missing = api_routes() - set(API_ROWS)
    assert not missing, f"API routes without a row in the API matrix: {sorted(missing)}"
    unknown = set(API_ROWS) - api_routes()
    assert not unknown, f"API rows for routes that do not exist: {sorted(unknown)}"


def test_every_api_route_succeeds_for_someone_with_real_ids():
    """So every operation is seen answering as it should, not only refusing, with its answer
    checked against the schema."""
    refused_by_all = [
        route
        for route, (_method, _kwargs, expected, *_body) in API_ROWS.items()
        if not any(200 <= code < 300 for codes in expected.values() for code in codes.values())
    ]
    assert not refused_by_all, f"API routes no token succeeds on: {sorted(refused_by_all)}"


def _writes(queries):
    tables = set()
    for query in queries:
        found = WRITE.match(query["sql"])
        if found and found.group(1).lower() not in WRITES_AN_API_GET_MAY_MAKE:
            tables.add(found.group(1))
    return tables


def _request(client, method, url, secret, body=None):
    """A GET, or a write sending the row's own ``body``, or else a new ``uuid``."""
    if method == "get":
        return client.get(url, headers=bearer(secret))
    body = json.dumps(body if body is not None else {"uuid": str(uuid.uuid4())})
    return getattr(client, method)(
        url, body, content_type="application/json", headers=bearer(secret)
    )


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """One world and a token per persona for every route (tests.shared_world): each route's
    test runs in its own transaction within it, so one route's writes never reach another."""
    with world_for_the_module(django_db_blocker) as world:
        yield world, {persona: token_for(world, persona) for persona in API_PERSONAS}


@pytest.mark.parametrize("route", sorted(API_ROWS))
def test_the_api_route_answers_each_token_as_the_matrix_says(route, client, matrix_world, db):
    world, secrets = matrix_world
    # A row may end with a builder of the body a write sends (given the target's records).
    method, kwargs_for, expected, *body_for = API_ROWS[route]
    mismatches = []
    for target, codes in expected.items():
        records = world.records(target)
        url = reverse(route, kwargs=kwargs_for(records) if kwargs_for else None)
        body = body_for[0](records) if body_for else None
        for persona in API_PERSONAS:
            with CaptureQueriesContext(connection) as queries:
                response = _request(client, method, url, secrets[persona], body)
            if method == "get":
                writes = _writes(queries.captured_queries)
                assert not writes, f"{persona}'s GET of {url} wrote to {sorted(writes)}"
            assert "sessionid" not in response.cookies, f"{url} set a session for {persona}"
            assert response["Content-Type"].startswith("application/json"), (
                f"{persona} got {response['Content-Type']} from {url}"
            )
            assert_conforms(method, url, response)
            if response.status_code != codes[persona]:
                mismatches.append(
                    f"{persona} on {target}: {response.status_code}, expected {codes[persona]}"
                )
            if persona not in ("teacher", "coach"):
                assert SECRET_NOTE.encode() not in response.content, (
                    f"{persona} saw coaching notes at {url}"
                )
    assert not mismatches, f"{route}:\n" + "\n".join(mismatches)
