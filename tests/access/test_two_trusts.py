"""The permission matrix for a person with roles in two trusts: the coaching lead of school A1
in trust A and of school B1 in trust B (``tests.world.lead_in_two_trusts``).

Until they choose a trust they reach none of its pages. Working in trust A they see A1's
records and get a 404 for B1's, as any lead of another trust does; after switching to trust B
it is the other way round; and back again. Each row is a route of the permission matrix, its
URL built by the matrix's own row: ``own`` for school A1's records, ``other_trust`` for B1's.
"""

import pytest
from django.urls import reverse

from tests.access.downloads import writes_made
from tests.access.test_permission_matrix import EVERY_ROW
from tests.world import SECRET_NOTE, build_world, lead_in_two_trusts

pytestmark = [pytest.mark.django_db, pytest.mark.access]

CHOOSE = reverse("trust_choose")

ROWS = [
    "coaching:lead_home",
    "coaching:lead_groups",
    "coaching:relationship_new",
    "coaching:relationship_end",
    "coaching:reviews_shared",
    "frameworks:step",
    "insights:school",
    "insights:school_csv",
    "insights:school_xlsx",
    "rollout:model_edit",
    "rollout:team_coaches",
    "rollout:team_training",
    "rollout:time_sessions",
    "rollout:time_session",
    "rollout:time_slots",
]
SWITCHES = [
    ("none chosen", None, {"own": 302, "other_trust": 302}),
    ("trust A", "trust", {"own": 200, "other_trust": 404}),
    ("trust B", "other_trust", {"own": 404, "other_trust": 200}),
    ("trust A again", "trust", {"own": 200, "other_trust": 404}),
]


def _url(route, records):
    _method, kwargs_for, _expected, *query = EVERY_ROW[route]
    url = reverse(route, kwargs=kwargs_for(records) if kwargs_for else None)
    return f"{url}?{query[0]}" if query else url


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_every_row_is_a_get_of_the_permission_matrix():
    assert all(EVERY_ROW[route][0] == "get" for route in ROWS)


@pytest.mark.parametrize("route", ROWS)
def test_a_person_in_two_trusts_sees_only_the_trust_they_switched_to(route, client):
    world = build_world()
    person = lead_in_two_trusts(world)
    urls = {target: _url(route, world.records(target)) for target in ("own", "other_trust")}
    client.force_login(person)
    mismatches = []
    for working_in, trust, expected in SWITCHES:
        if trust:
            chose = client.post(CHOOSE, {"trust": getattr(world, trust).pk})
            assert chose.status_code == 302, f"choosing {working_in}: {chose.status_code}"
        for target, url in urls.items():
            with writes_made() as writes:
                response = client.get(url)
            assert not writes, f"the GET of {url} wrote to {sorted(writes)}"
            if response.status_code != expected[target]:
                mismatches.append(
                    f"working in {working_in}, {target}: {response.status_code}, "
                    f"expected {expected[target]}"
                )
            if response.status_code == 302:
                assert response["Location"].startswith(CHOOSE), response["Location"]
            assert SECRET_NOTE.encode() not in _body(response), url
    assert not mismatches, f"{route} ({urls}):\n" + "\n".join(mismatches)
