"""Every page that shows someone's content records the read whatever the method: a form sent
back with problems shows the content again, so that showing is in the teacher's trail too.

The routes come from the permission matrix, so a page added there is checked here as well.
"""

import pytest
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from tests.access.codes import MEMBERS
from tests.access.test_permission_matrix import MATRIX
from tests.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.access]

PAGES = sorted(route for route, (method, _kwargs, _codes) in MATRIX.items() if method == "get")


def _subjects_read_by(person, since):
    with scopes_disabled():
        return set(
            AuditEvent.objects.filter(actor=person, verb="read", pk__gt=since).values_list(
                "subject_id", flat=True
            )
        )


def _last_event_id():
    with scopes_disabled():
        return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("route", PAGES)
def test_a_page_shown_again_after_a_post_records_the_read_as_its_get_does(route, client):
    world = build_world()
    _method, kwargs_for, expected = MATRIX[route]
    records = world.records("own")
    url = reverse(route, kwargs=kwargs_for(records) if kwargs_for else None)
    unrecorded = []
    for persona in MEMBERS:
        if expected["own"][persona] != 200:
            continue
        person = world.people[persona]
        client.force_login(person)
        before = _last_event_id()
        client.get(url)
        read_on_get = _subjects_read_by(person, before)
        if not read_on_get:
            continue
        before = _last_event_id()
        response = client.post(url, {})
        if response.status_code == 200 and not getattr(response, "streaming", False):
            missing = read_on_get - _subjects_read_by(person, before)
            if missing:
                unrecorded.append(f"{persona}: no read of {sorted(missing)} when shown on a POST")
    assert not unrecorded, f"{route} ({url}):\n" + "\n".join(unrecorded)
