"""The permission matrix: every route x every role x own school / other school / other trust.

The routes come from the URL resolver, so a route added without a row here fails
``test_every_route_has_a_row_in_the_matrix``. ``MATRIX`` has one row per route. When what a
route is asked for changes who may have it (a draft's file rather than a final version's),
each further kind has a row in ``VARIANTS``, keyed ``route#what``
(``programmes:submission_file#draft``), which may end with a query string
(``coaching:shared_item#file`` asks for ``?file=1``); both are run the same way.

While the matrix runs, every answer that is not a page (a download) must come from a row
``tests.access.downloads.DOWNLOAD_ROUTES`` lists, and no GET may write anything but its audit
events and the session.
"""

import importlib
import uuid
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access.codes import (
    MEMBERS,
    NOT_FOUND_FOR_MEMBERS,
    PERSONAS,
    TARGETS,
    content_route,
    everyone,
    only,
    page_route,
    public_route,
)
from tests.access.downloads import (
    DOWNLOAD_ROUTES,
    is_download,
    route_of,
    undownloadable_rows,
    writes_made,
)
from tests.world import SECRET_NOTE, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.access]


# route name -> (method, kwargs builder, expected codes per target and persona)
MATRIX = {
    "home": (
        "get",
        None,
        page_route(
            {
                "teacher": 302,
                "coach": 302,
                "other_coach": 302,
                "coaching_lead": 302,
                "headteacher": 200,
                "trust_lead": 200,
                "administrator": 200,
                "programme_lead": 302,
                "tutor": 302,
                "moderator": 302,
            }
        ),
    ),
    "login": ("get", None, public_route()),
    "privacy": ("get", None, public_route()),
    "accessibility": ("get", None, public_route()),
    "logout": ("post", None, {"own": everyone(302)}),
    # Only a person with roles in more than one trust has a trust to choose: everyone else is
    # sent home (tests/access/test_two_trusts.py is about the person who has).
    "trust_choose": ("get", None, {"own": everyone(302)}),
    "password_reset": ("get", None, public_route()),
    "password_reset_done": ("get", None, public_route()),
    "password_reset_confirm": (
        "get",
        lambda r: {"uidb64": "MQ", "token": "set-password"},
        public_route(),
    ),
    "password_reset_complete": ("get", None, public_route()),
    "frameworks:library": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    "frameworks:step": (
        "get",
        lambda r: {"pk": r.framework_step.pk},
        {
            "own": only(dict.fromkeys(MEMBERS, 200), others=404),
            "other_school": only(dict.fromkeys(MEMBERS, 200), others=404),
            "other_trust": NOT_FOUND_FOR_MEMBERS,
        },
    ),
    "coaching:coach_home": ("get", None, page_route({"coach": 200, "other_coach": 200})),
    "coaching:coachee": (
        "get",
        lambda r: {"relationship_id": r.relationship.pk},
        content_route({"teacher": 200, "coach": 200}),
    ),
    "coaching:dropin_new": (
        "get",
        lambda r: {"relationship_id": r.relationship.pk},
        content_route({"coach": 200}),
    ),
    "coaching:dropin_draft": (
        "post",
        lambda r: {"relationship_id": r.relationship.pk},
        content_route({"coach": 200}),
    ),
    "coaching:dropin_draft_discard": (
        "get",
        lambda r: {"relationship_id": r.relationship.pk},
        content_route({"coach": 200}),
    ),
    "coaching:step_set": (
        "get",
        lambda r: {"relationship_id": r.relationship.pk},
        content_route({"coach": 200}),
    ),
    "coaching:step_status": (
        "post",
        lambda r: {"step_id": r.step.pk},
        content_route({"coach": 302}),
    ),
    "coaching:dropin_detail": (
        "get",
        lambda r: {"dropin_id": r.dropin.pk},
        content_route({"teacher": 200, "coach": 200}),
    ),
    "coaching:dropin_saved": (
        "get",
        lambda r: {"dropin_id": r.dropin.pk},
        content_route({"coach": 200}),
    ),
    "coaching:dropin_edit": (
        "get",
        lambda r: {"dropin_id": r.dropin.pk},
        content_route({"coach": 200}),
    ),
    "coaching:rehearsal_plan": (
        "get",
        lambda r: {"step_id": r.step.pk},
        content_route({"teacher": 200, "coach": 200}),
    ),
    "coaching:rehearsal_log": (
        "get",
        lambda r: {"rehearsal_id": r.rehearsal.pk},
        content_route({"teacher": 200, "coach": 200}),
    ),
    "coaching:teacher_home": ("get", None, page_route({"teacher": 200})),
    "coaching:my_audit": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    "coaching:lead_home": (
        "get",
        lambda r: {"school_slug": r.school.slug},
        {
            "own": only({"coaching_lead": 200}, others=403),
            "other_school": only({"coaching_lead": 404}, others=403),
            "other_trust": only({"coaching_lead": 404}, others=403),
        },
    ),
    "admin:index": ("get", None, page_route({"administrator": 200}, others=302)),
}
# route#what -> (method, kwargs builder, expected codes[, query string]): further kinds
VARIANTS = {}
for _module in sorted(Path(__file__).parent.glob("rows_*.py")):
    _rows = importlib.import_module(f"tests.access.{_module.stem}")
    MATRIX.update(_rows.ROWS)
    VARIANTS.update(getattr(_rows, "VARIANTS", {}))
EVERY_ROW = {**MATRIX, **VARIANTS}


def _route_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def all_routes():
    return set(_route_names(get_resolver().url_patterns))


def routes_outside_the_admin():
    """Every route but the admin's and the API's (tests/access/test_api_matrix.py has those)."""
    return {name for name in all_routes() if not name.startswith(("admin:", "api:v1:"))}


def test_every_route_has_a_row_in_the_matrix():
    missing = routes_outside_the_admin() - set(MATRIX)
    assert not missing, f"Routes without a row in the permission matrix: {sorted(missing)}"


def test_every_further_kind_is_a_variant_of_a_route_that_exists():
    assert all("#" not in key for key in MATRIX)
    assert all("#" in key for key in VARIANTS), "A variant is keyed route#what"
    unknown = {key for key in EVERY_ROW if route_of(key) not in all_routes()}
    assert not unknown, f"Rows for routes that do not exist: {sorted(unknown)}"


def test_every_download_has_its_rows_and_someone_gets_the_file():
    listed = {key for keys in DOWNLOAD_ROUTES.values() for key in keys}
    missing = listed - set(EVERY_ROW)
    assert not missing, f"Download rows missing: {sorted(missing)}"
    nobody = undownloadable_rows(EVERY_ROW)
    assert not nobody, f"Downloads nobody gets in the matrix: {nobody}"


def _body(response):
    """The response's bytes, a streamed download's (a FileResponse) too."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _row(key):
    """(method, kwargs builder, expected codes, query string) for a row of the matrix."""
    method, kwargs_for, expected, *query = EVERY_ROW[key]
    return method, kwargs_for, expected, (query[0] if query else "")


def _url(key, records):
    _method, kwargs_for, _expected, query = _row(key)
    url = reverse(route_of(key), kwargs=kwargs_for(records) if kwargs_for else None)
    return f"{url}?{query}" if query else url


def _request(client, method, url):
    if method == "post":
        return client.post(url, {"uuid": str(uuid.uuid4()), "status": "practising"})
    return client.get(url)


@pytest.mark.parametrize("route", sorted(EVERY_ROW))
def test_the_route_answers_each_role_as_the_matrix_says(route, client):
    world = build_world()
    method, _kwargs_for, expected, _query = _row(route)
    mismatches = []
    for target, codes in expected.items():
        url = _url(route, world.records(target))
        for persona in PERSONAS:
            client.logout()
            if persona != "anonymous":
                client.force_login(world.people[persona])
            with writes_made() as writes:
                response = _request(client, method, url)
            if method == "get":
                assert not writes, f"{persona}'s GET of {url} wrote to {sorted(writes)}"
            if response.status_code != codes[persona]:
                mismatches.append(
                    f"{persona} on {target}: {response.status_code}, expected {codes[persona]}"
                )
            if response.status_code != 200:
                continue
            if is_download(response):
                assert route in DOWNLOAD_ROUTES.get(route_of(route), ()), (
                    f"{url} sends a download ({response['Content-Type']}): list its rows, "
                    "one for each kind of thing it sends, in tests/access/downloads.py"
                )
            if persona not in ("teacher", "coach"):
                assert SECRET_NOTE.encode() not in _body(response), (
                    f"{persona} saw coaching notes at {url}"
                )
    assert not mismatches, f"{route} ({url}):\n" + "\n".join(mismatches)


def test_leaders_cannot_read_any_drop_in_notes_on_any_page(client):
    world = build_world()
    for persona in ("coaching_lead", "headteacher", "trust_lead", "administrator"):
        for route in EVERY_ROW:
            method = _row(route)[0]
            for target in TARGETS:
                url = _url(route, world.records(target))
                client.force_login(world.people[persona])
                response = _request(client, method, url)
                assert SECRET_NOTE.encode() not in _body(response), (persona, url)
