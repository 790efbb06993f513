"""Sending a webhook: only to a public https address (unless the setting allows private
ones), signed with both secrets while one is rotated, given up after the backoff schedule,
its endpoint paused after twenty failures in a row; deliveries kept 30 days; bulk writes
caught up daily; secrets never in an export."""

import datetime as dt
import socket

import pytest
import time_machine
from django.contrib import admin
from django.core.management import call_command
from django.utils import timezone

from coachloop.api.models import DeliveryStatus, Scope, WebhookDelivery, WebhookEndpoint
from coachloop.api.tasks import webhook_deliver, webhooks_catch_up, webhooks_collect
from coachloop.api.webhooks import deliver as deliver_module
from coachloop.api.webhooks.deliver import BACKOFF, PAUSE_AFTER, address_problem
from coachloop.api.webhooks.signing import new_secret
from coachloop.common import audit
from coachloop.common.audit import audit_event, audit_record
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from coachloop.people.subject_access import sections_of
from tests.access.programme_records import programme_for
from tests.api.webhooks import Receiver, make_endpoint, queued, run_queued, verifies
from tests.factories import UserFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db

ROLES = ["role.started", "role.ended"]


@pytest.fixture
def no_connections(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a connection was made")

    monkeypatch.setattr(deliver_module.socket, "create_connection", refuse)


def _an_event(world, verb="membership.started"):
    """A role started (its event recorded as the service would), in trust A."""
    with scopes_disabled():
        membership = Membership.objects.create(
            trust=world.trust, user=UserFactory(), role=Role.TEACHER, school=world.own.school
        )
        return audit_record(
            actor=world.people["administrator"],
            verb=verb,
            target=membership,
            subject=membership.user,
        )


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254/latest/meta-data/",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.4/hook",
        "https://[::1]/hook",
        "http://hooks.example.org/hook",
    ],
)
def test_a_private_address_or_plain_http_is_refused_without_connecting(
    url, settings, no_connections
):
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = False
    world = build_world()
    endpoint = make_endpoint(world.trust, url=url, scopes=[Scope.READ_PEOPLE], events=ROLES)
    _an_event(world)
    webhooks_collect.call(world.trust.pk)
    with scopes_disabled():
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert address_problem(url)
    assert webhook_deliver.call(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_status_code is None
    assert "https://" in delivery.last_error or "not" in delivery.last_error


def test_a_name_that_resolves_to_a_private_address_is_refused(
    settings, monkeypatch, no_connections
):
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = False
    monkeypatch.setattr(
        deliver_module.socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 443))],
    )
    with pytest.raises(deliver_module.Refused, match="private network"):
        deliver_module.post("https://hooks.example.org/x", b"{}", {})


def test_a_public_https_address_passes_the_check(settings):
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = False
    assert address_problem("https://hooks.example.org/coachloop") is None
    assert address_problem("https://93.184.215.14/coachloop") is None


def test_while_a_secret_is_rotated_both_sign_for_a_day(settings):
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = True
    world = build_world()
    server = Receiver()
    try:
        old, new = new_secret(), new_secret()
        endpoint = make_endpoint(
            world.trust,
            url=server.url,
            scopes=[Scope.READ_PEOPLE],
            events=ROLES,
            secret=new,
            previous_secret=old,
            secret_rotated_at=timezone.now(),
        )
        _an_event(world)
        webhooks_collect.call(world.trust.pk)
        run_queued()
        with scopes_disabled():
            endpoint.secret_rotated_at = timezone.now() - dt.timedelta(days=2)
            endpoint.save()
        _an_event(world)
        webhooks_collect.call(world.trust.pk)
        run_queued()
    finally:
        server.close()
    (first, first_body), (later, later_body) = server.requests
    assert verifies(new, first, first_body) and verifies(old, first, first_body)
    assert verifies(new, later, later_body) and not verifies(old, later, later_body)


def test_a_delivery_is_given_up_after_the_last_try_of_the_schedule(settings, no_connections):
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = False
    world = build_world()
    endpoint = make_endpoint(
        world.trust, url="https://10.0.0.1/x", scopes=[Scope.READ_PEOPLE], events=ROLES
    )
    _an_event(world)
    webhooks_collect.call(world.trust.pk)
    with scopes_disabled():
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    now = timezone.now()
    for wait in BACKOFF:
        with time_machine.travel(now):
            assert webhook_deliver.call(delivery.pk) == "failed"
        now += wait
    with time_machine.travel(now):
        assert webhook_deliver.call(delivery.pk) == "gave_up"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.GAVE_UP, len(BACKOFF) + 1)
    assert len(queued("webhook_deliver")) == len(BACKOFF) + 1  # the first, and one per retry


def test_twenty_failures_in_a_row_pause_the_endpoint(settings, no_connections):
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = False
    world = build_world()
    endpoint = make_endpoint(
        world.trust, url="https://10.0.0.1/x", scopes=[Scope.READ_PEOPLE], events=ROLES
    )
    for _ in range(PAUSE_AFTER + 1):
        _an_event(world)
    webhooks_collect.call(world.trust.pk)
    with scopes_disabled():
        ids = list(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("pk", flat=True))
    outcomes = [webhook_deliver.call(pk) for pk in ids]
    assert outcomes == ["failed"] * PAUSE_AFTER + ["paused"]
    endpoint.refresh_from_db()
    assert not endpoint.is_active


def test_events_written_in_bulk_are_caught_up_by_the_daily_work(settings):
    world = build_world()
    endpoint = make_endpoint(
        world.trust, url="https://hooks.example.org/x", scopes=[Scope.READ_PEOPLE], events=ROLES
    )
    with scopes_disabled():
        memberships = [
            Membership.objects.create(
                trust=world.trust, user=UserFactory(), role=Role.TEACHER, school=world.own.school
            )
            for _ in range(3)
        ]
        # As a roster import writes them: in bulk, so no listener hears of them.
        AuditEvent.objects.bulk_create(
            audit_event(actor=None, verb="membership.started", target=m, subject=m.user)
            for m in memberships
        )
    call_command("webhooks_catch_up")
    with scopes_disabled():
        sent = WebhookDelivery.objects.filter(endpoint=endpoint)
        assert sorted(d.payload["data"]["id"] for d in sent) == [m.pk for m in memberships]


def test_the_daily_work_queues_the_catch_up_and_it_deletes_deliveries_older_than_30_days():
    world = build_world()
    endpoint = make_endpoint(
        world.trust, url="https://hooks.example.org/x", scopes=[Scope.READ_PEOPLE], events=ROLES
    )
    _an_event(world)
    _an_event(world)
    webhooks_collect.call(world.trust.pk)
    with scopes_disabled():
        old, recent = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("pk")
        WebhookDelivery.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - dt.timedelta(days=31)
        )
    call_command("enqueue_daily_work")
    assert {r.args_kwargs["args"][0] for r in queued("webhooks_catch_up")} >= {world.trust.pk}
    webhooks_catch_up.call(world.trust.pk)
    with scopes_disabled():
        assert list(WebhookDelivery.objects.filter(endpoint=endpoint)) == [recent]


def test_an_endpoint_hears_only_of_events_after_it_was_added():
    world = build_world()
    _an_event(world)
    endpoint = make_endpoint(
        world.trust, url="https://hooks.example.org/x", scopes=[Scope.READ_PEOPLE], events=ROLES
    )
    with scopes_disabled():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            created_at=timezone.now() + dt.timedelta(seconds=1)
        )
    assert webhooks_collect.call(world.trust.pk) == 0


def test_a_verb_nobody_listens_to_asks_for_no_commit_callback(django_capture_on_commit_callbacks):
    world = build_world()
    assert "membership.started" in audit._LISTENERS
    with django_capture_on_commit_callbacks() as heard:
        _an_event(world, verb="membership.renamed")
    assert heard == []
    with django_capture_on_commit_callbacks() as heard:
        _an_event(world)
    assert len(heard) == 1


def test_secrets_are_in_no_export_and_not_in_the_admin():
    world = build_world()
    endpoint = make_endpoint(
        world.trust, url="https://hooks.example.org/x", scopes=[Scope.READ_PEOPLE], events=ROLES
    )
    with scopes_disabled():
        endpoint.integration.created_by = world.people["administrator"]
        endpoint.integration.save()
        sections = sections_of(world.people["administrator"], world.trust)
    assert endpoint.secret not in repr(sections)
    assert WebhookEndpoint not in admin.site._registry
    assert WebhookDelivery not in admin.site._registry


def test_marks_released_says_how_many_and_when_but_no_marks_and_only_with_read_marks():
    world = build_world()
    found = programme_for(world.own)
    marks = make_endpoint(
        world.trust,
        url="https://hooks.example.org/marks",
        scopes=[Scope.READ_MARKS],
        events=["marks.released"],
    )
    people = make_endpoint(
        world.trust,
        url="https://hooks.example.org/people",
        scopes=[Scope.READ_PEOPLE],
        events=["marks.released"],  # as if stored: the form would refuse it
    )
    with scopes_disabled():
        event = audit_record(
            actor=world.people["programme_lead"],
            verb="assignment.marks_released",
            target=found.assignment,
            summary="3 marks released",
        )
    webhooks_collect.call(world.trust.pk)
    with scopes_disabled():
        [delivery] = WebhookDelivery.objects.filter(endpoint=marks)
        assert not WebhookDelivery.objects.filter(endpoint=people).exists()
    assert delivery.payload == {
        "type": "marks.released",
        "timestamp": event.created_at.isoformat(),
        "data": {
            "assignment": found.assignment.pk,
            "programme": {"id": found.programme.pk, "title": found.programme.title},
            "released": 3,
            "released_at": event.created_at.isoformat(),
        },
    }
