"""Every answer Django gives is kept by no cache (Cache-Control: no-store, private) and may use
no camera, microphone, location, payments or devices (Permissions-Policy): each role's main
pages, the pages showing coaching notes, and the pages for people not signed in."""

import pytest
from django.urls import reverse

from tests.access.codes import MEMBERS

pytestmark = pytest.mark.django_db

DENIED = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")


def _assert_headers(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control, response["Cache-Control"]
    policy = response["Permissions-Policy"]
    assert all(feature in policy for feature in DENIED), policy
    assert "publickey-credentials" not in policy  # passkeys keep working


@pytest.mark.parametrize("persona", MEMBERS)
def test_each_roles_home_page_is_not_cached_and_denies_devices(client, world, persona):
    client.force_login(world.people[persona])
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    _assert_headers(response)


@pytest.mark.parametrize(
    ("persona", "route", "kwargs"),
    [
        ("coach", "coaching:coachee", lambda w: {"relationship_id": w.own.relationship.pk}),
        ("coach", "coaching:dropin_detail", lambda w: {"dropin_id": w.own.dropin.pk}),
        ("teacher", "coaching:teacher_home", lambda w: {}),
        ("teacher", "coaching:my_audit", lambda w: {}),
        ("administrator", "admin:index", lambda w: {}),
    ],
)
def test_pages_showing_coaching_records_are_not_cached(client, world, persona, route, kwargs):
    client.force_login(world.people[persona])
    response = client.get(reverse(route, kwargs=kwargs(world)))
    assert response.status_code == 200
    _assert_headers(response)


@pytest.mark.parametrize("route", ["login", "password_reset", "privacy", "accessibility"])
def test_pages_for_people_not_signed_in_carry_the_headers_too(client, route):
    response = client.get(reverse(route))
    assert response.status_code == 200
    _assert_headers(response)


def test_redirects_and_errors_carry_the_headers(client, world):
    _assert_headers(client.get(reverse("coaching:teacher_home")))  # to the sign-in page
    _assert_headers(client.get("/no-such-page/"))
