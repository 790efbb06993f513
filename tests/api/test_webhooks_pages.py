"""The webhook pages: an administrator adds an address (its secret shown once), follows its
deliveries, sends a failed one again, rotates the secret and pauses it; bad input changes
nothing; anyone else is refused, and another trust's integration is a 404."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from coachloop.api.models import DeliveryStatus, Scope, WebhookDelivery, WebhookEndpoint
from coachloop.api.tasks import webhooks_collect
from coachloop.common.audit import audit_record
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from tests.api.pages import confirmed
from tests.api.tokens import make_integration, make_token
from tests.api.webhooks import make_endpoint, queued
from tests.factories import UserFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db

GOOD = {"url": "https://hooks.example.org/coachloop", "events": ["role.started"]}


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def admin(client, world):
    """The administrator signed in, having confirmed their password a moment ago."""
    return confirmed(client, world.people["administrator"])


def _integration_with_token(world, scopes=(Scope.READ_PEOPLE,)):
    integration = make_integration(world.trust)
    _secret, token = make_token(
        integration.account, world.trust, integration=integration, scopes=scopes
    )
    return integration, token


def _endpoints():
    with scopes_disabled():
        return WebhookEndpoint.objects.count()


def test_an_administrator_adds_an_address_and_sees_its_secret_once(world, admin):
    integration, token = _integration_with_token(world)
    url = reverse("webhooks:endpoint_new", args=[integration.pk])
    response = admin.post(url, {**GOOD, "token": token.pk})
    assert response.status_code == 200
    with scopes_disabled():
        endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in response.content.decode()
    assert (endpoint.url, endpoint.events, endpoint.token) == (
        GOOD["url"],
        ["role.started"],
        token,
    )
    page = admin.get(reverse("webhooks:endpoint", args=[integration.pk, endpoint.pk]))
    assert endpoint.secret not in page.content.decode()
    listing = admin.get(reverse("webhooks:endpoints", args=[integration.pk]))
    assert GOOD["url"] in listing.content.decode()
    assert "A role started" in listing.content.decode()  # its events in words, not codes
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="webhook.endpoint_added").count() == 1


@pytest.mark.parametrize("view", ["endpoint_new", "endpoint_rotate"])
def test_adding_an_address_or_making_a_new_secret_asks_the_administrator_to_confirm_first(
    world, client, view
):
    """A session taken over could otherwise send everyone's names to any address."""
    endpoint = make_endpoint(
        world.trust,
        url="https://hooks.example.org/x",
        scopes=[Scope.READ_PEOPLE],
        events=["role.started"],
    )
    token = endpoint.token
    secret = endpoint.secret
    client.force_login(world.people["administrator"])
    args = [endpoint.integration_id] + ([endpoint.pk] if view == "endpoint_rotate" else [])
    response = client.post(reverse(f"webhooks:{view}", args=args), {**GOOD, "token": token.pk})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    endpoint.refresh_from_db()
    assert (_endpoints(), endpoint.secret) == (1, secret)


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"url": "https://169.254.169.254/latest"}, "url", "private network"),
        ({"url": "https://localhost/hook"}, "url", "not this machine"),
        ({"url": "https://10.0.0.8/hook"}, "url", "private network"),
        ({"url": "http://hooks.example.org/"}, "url", "https://"),
        ({"url": "not an address"}, "url", "Enter an address like"),
        ({"url": "https://hooks.example.org:99999/"}, "url", "port must be a number"),
        ({"events": []}, "events", "Choose at least one event"),
        ({"events": ["coaching.started"]}, "events", "scopes do not let it see"),
        ({"events": ["everything"]}, "events", "Choose events from the list"),
    ],
)
def test_bad_input_changes_nothing_and_says_what_is_wrong(
    world, admin, settings, typed, field, message
):
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = False
    integration, token = _integration_with_token(world)
    response = admin.post(
        reverse("webhooks:endpoint_new", args=[integration.pk]),
        {**GOOD, "token": token.pk, **typed},
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert _endpoints() == 0


def test_another_integration_s_token_is_not_a_choice(world, admin):
    integration, _token = _integration_with_token(world)
    _other, theirs = _integration_with_token(world)
    response = admin.post(
        reverse("webhooks:endpoint_new", args=[integration.pk]), {**GOOD, "token": theirs.pk}
    )
    assert "Choose a token" in " ".join(response.context["form"].errors["token"])
    assert _endpoints() == 0


def test_a_failed_delivery_is_sent_again_from_the_log(world, admin):
    endpoint = make_endpoint(
        world.trust,
        url="https://hooks.example.org/x",
        scopes=[Scope.READ_PEOPLE],
        events=["role.started"],
    )
    with scopes_disabled():
        membership = Membership.objects.create(
            trust=world.trust, user=UserFactory(), role=Role.TEACHER, school=world.own.school
        )
        audit_record(actor=None, verb="membership.started", target=membership)
    webhooks_collect.call(world.trust.pk)
    with scopes_disabled():
        delivery = WebhookDelivery.objects.get()
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.GAVE_UP, attempts=7, last_status_code=502
        )
    log = admin.get(reverse("webhooks:endpoint", args=[endpoint.integration_id, endpoint.pk]))
    assert "Send again" in log.content.decode()
    before = len(queued("webhook_deliver"))
    response = admin.post(
        reverse(
            "webhooks:delivery_send_again",
            args=[endpoint.integration_id, endpoint.pk, delivery.pk],
        )
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert len(queued("webhook_deliver")) == before + 1


def test_rotating_shows_the_new_secret_once_and_keeps_the_old_one_signing(world, admin):
    endpoint = make_endpoint(
        world.trust,
        url="https://hooks.example.org/x",
        scopes=[Scope.READ_PEOPLE],
        events=["role.started"],
    )
    old = endpoint.secret
    response = admin.post(
        reverse("webhooks:endpoint_rotate", args=[endpoint.integration_id, endpoint.pk])
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    assert endpoint.secret in response.content.decode()
    assert old not in response.content.decode()


def test_pausing_and_resuming_an_address(world, admin):
    endpoint = make_endpoint(
        world.trust,
        url="https://hooks.example.org/x",
        scopes=[Scope.READ_PEOPLE],
        events=["role.started"],
    )
    url = reverse("webhooks:endpoint_pause", args=[endpoint.integration_id, endpoint.pk])
    admin.post(url, {"active": "no"})
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    admin.post(url, {"active": "yes"})
    endpoint.refresh_from_db()
    assert endpoint.is_active


def test_another_trust_s_integration_is_a_404_and_a_head_is_refused(world, client):
    theirs = make_integration(world.other_trust)
    client.force_login(world.people["administrator"])
    assert client.get(reverse("webhooks:endpoints", args=[theirs.pk])).status_code == 404
    ours, _token = _integration_with_token(world)
    client.force_login(world.people["headteacher"])
    assert client.get(reverse("webhooks:endpoints", args=[ours.pk])).status_code == 403


def test_a_second_new_secret_within_a_day_is_refused_so_the_receiver_s_secret_keeps_working(
    world, admin
):
    """The first new secret's old one still signs for a day; a second rotation would drop it
    at once, stopping a receiver that has not yet changed to the new one."""
    endpoint = make_endpoint(
        world.trust,
        url="https://hooks.example.org/x",
        scopes=[Scope.READ_PEOPLE],
        events=["role.started"],
    )
    first = endpoint.secret
    rotate = reverse("webhooks:endpoint_rotate", args=[endpoint.integration_id, endpoint.pk])
    admin.post(rotate)
    endpoint.refresh_from_db()
    second = endpoint.secret
    response = admin.post(rotate, follow=True)
    endpoint.refresh_from_db()
    assert (endpoint.secret, endpoint.previous_secret) == (second, first)
    assert "A new secret was made less than 24 hours ago" in response.content.decode()
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="webhook.secret_rotated").count() == 1

    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        confirmed(admin, world.people["administrator"])
        admin.post(rotate)
    endpoint.refresh_from_db()
    assert endpoint.secret not in (first, second) and endpoint.previous_secret == second


@pytest.mark.parametrize("view", ["endpoint_new", "endpoint_rotate"])
def test_someone_not_an_administrator_is_refused_rather_than_asked_to_confirm(world, client, view):
    endpoint = make_endpoint(
        world.trust,
        url="https://hooks.example.org/x",
        scopes=[Scope.READ_PEOPLE],
        events=["role.started"],
    )
    client.force_login(world.people["headteacher"])
    args = [endpoint.integration_id] + ([endpoint.pk] if view == "endpoint_rotate" else [])
    response = client.post(reverse(f"webhooks:{view}", args=args), GOOD)
    assert response.status_code == 403
