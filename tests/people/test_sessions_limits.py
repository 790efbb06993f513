"""A session ends when its person has left Coachloop unused for their trust's idle time
(2 hours unless the trust changes it), and 12 hours after signing in however busy they are;
the sign-in page then says why. The clock is driven by time-machine."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from tests.people.sessions_helpers import (
    START,
    is_signed_in,
    opens_home,
    sign_in_page_after,
    signed_in_client,
)

pytestmark = pytest.mark.django_db
IDLE_TWO_HOURS = "You were signed out because you had not used Coachloop for 2 hours."
TOO_LONG = "You were signed out because you signed in 12 hours ago."
MINUTE = dt.timedelta(minutes=1)


def test_someone_idle_for_just_under_two_hours_stays_signed_in_and_just_over_is_signed_out(
    world,
):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(world.people["coach"])
        clock.shift(dt.timedelta(hours=2) - MINUTE)
        assert opens_home(client)
        clock.shift(dt.timedelta(hours=2) + MINUTE)
        page = sign_in_page_after(client)
    assert not is_signed_in(client)
    assert IDLE_TWO_HOURS in page
    assert "Sign in again to carry on." in page


def test_a_trust_sets_its_own_idle_time(world):
    world.trust.idle_minutes = 30
    world.trust.save()
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(world.people["teacher"])
        clock.shift(dt.timedelta(minutes=29))
        assert opens_home(client)
        clock.shift(dt.timedelta(minutes=31))
        page = sign_in_page_after(client)
    assert "You were signed out because you had not used Coachloop for 30 minutes." in page


def test_the_idle_time_is_the_trust_the_person_works_in(world):
    world.other_trust.idle_minutes = 15
    world.other_trust.save()
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(world.people["teacher"])  # in trust A, which keeps 2 hours
        clock.shift(dt.timedelta(minutes=90))
        assert opens_home(client)


def test_a_session_ends_twelve_hours_after_signing_in_however_busy_the_person_is(world):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(world.people["coach"])
        for _hour in range(11):
            clock.shift(dt.timedelta(hours=1))
            assert opens_home(client)
        clock.shift(dt.timedelta(hours=1) - MINUTE)  # 11:59 after signing in
        assert opens_home(client)
        clock.shift(2 * MINUTE)
        page = sign_in_page_after(client)
    assert TOO_LONG in page


def test_the_lifetime_comes_from_the_setting(world, settings):
    settings.COACHLOOP_SESSION_MAX_HOURS = 4
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(world.people["coach"])
        for _half_hour in range(7):
            clock.shift(dt.timedelta(minutes=30))
            assert opens_home(client)
        clock.shift(dt.timedelta(minutes=31))
        page = sign_in_page_after(client)
    assert "You were signed out because you signed in 4 hours ago." in page


def test_the_cookie_lasts_no_longer_than_a_session(settings):
    assert settings.SESSION_COOKIE_AGE == settings.COACHLOOP_SESSION_MAX_HOURS * 60 * 60 == 43200


def test_the_sign_in_page_leads_back_to_the_page_asked_for(world):
    page_asked_for = reverse("frameworks:library")
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(world.people["coach"])
        clock.shift(dt.timedelta(hours=3))
        response = client.get(page_asked_for)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={page_asked_for}"


def test_an_htmx_request_is_sent_to_sign_in_by_its_header(world):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(world.people["coach"])
        clock.shift(dt.timedelta(hours=3))
        response = client.get(
            reverse("frameworks:library"),
            headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/coach/"},
        )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/coach/"
    assert not is_signed_in(client)


def test_a_post_after_the_idle_time_changes_nothing_and_is_sent_to_sign_in(world):
    step = world.own.step
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(world.people["coach"])
        clock.shift(dt.timedelta(hours=3))
        response = client.post(
            reverse("coaching:step_status", args=[step.pk]), {"status": "embedded"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    step.refresh_from_db()
    assert step.status != "embedded"


def test_use_is_noted_in_the_session_at_most_once_a_minute(world):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(world.people["coach"])
        clock.shift(dt.timedelta(seconds=30))
        with CaptureQueriesContext(connection) as soon:
            client.get(reverse("frameworks:library"))
        clock.shift(dt.timedelta(minutes=5))
        with CaptureQueriesContext(connection) as later:
            client.get(reverse("frameworks:library"))
    assert not [q for q in soon if q["sql"].startswith("UPDATE")]
    assert [q["sql"].split('"')[1] for q in later if q["sql"].startswith("UPDATE")] == [
        "django_session"
    ]


def trust_form(trust, idle_minutes):
    return {
        "name": trust.name,
        "companies_house_number": trust.companies_house_number,
        "idle_minutes": idle_minutes,
        "retention_years": trust.retention_years,
        "password_sign_in": "on",  # as the page shows it: ticked
    }


def test_the_trusts_administrator_sets_its_idle_time_in_the_admin_site(admin_client, world):
    url = reverse("admin:people_trust_change", args=[world.trust.pk])
    page = admin_client.get(url).content.decode()
    assert "sign people out after this many minutes unused" in page.lower()
    assert admin_client.post(url, trust_form(world.trust, 45)).status_code == 302
    world.trust.refresh_from_db()
    assert world.trust.idle_minutes == 45
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="trust.changed", trust=world.trust).exists()


@pytest.mark.parametrize("idle_minutes", [5, 721, ""])
def test_an_idle_time_out_of_bounds_is_refused_and_changes_nothing(
    admin_client, world, idle_minutes
):
    url = reverse("admin:people_trust_change", args=[world.trust.pk])
    response = admin_client.post(url, trust_form(world.trust, idle_minutes))
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    world.trust.refresh_from_db()
    assert world.trust.idle_minutes == 120


def test_another_trusts_idle_time_is_not_the_administrators_to_change(admin_client, world):
    url = reverse("admin:people_trust_change", args=[world.other_trust.pk])
    admin_client.post(url, trust_form(world.other_trust, 15))
    world.other_trust.refresh_from_db()
    assert world.other_trust.idle_minutes == 120
