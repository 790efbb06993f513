"""Sending a webhook holds no transaction and no row lock while it waits for the receiver,
gives a slow receiver a total deadline (not one per read), and leaves no delivery waiting
for ever: a bad port is refused, and what a worker left half sent is sent again."""

import datetime as dt
import socket
import threading
import time

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coachloop.api.models import DeliveryStatus, Scope, WebhookDelivery
from coachloop.api.tasks import webhook_deliver, webhooks_catch_up, webhooks_collect
from coachloop.api.webhooks import deliver as deliver_module
from coachloop.common.audit import audit_record
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from tests.api.webhooks import make_endpoint, queued
from tests.factories import UserFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db

ROLES = ["role.started", "role.ended"]


class Trickler:
    """A receiver on loopback that reads the request, then answers one byte at a time, each
    well inside the per-read timeout, for as long as the client listens."""

    def __init__(self, every=0.1, lasting=20):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.every, self.lasting = every, lasting
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/coachloop"

    def _serve(self):
        client, _address = self.listener.accept()
        with client:
            client.recv(65536)
            end = time.monotonic() + self.lasting
            try:
                while time.monotonic() < end:
                    client.sendall(b"H")
                    time.sleep(self.every)
            except OSError:
                pass  # the sender gave up and closed

    def close(self):
        self.listener.close()


def _a_delivery(world, url):
    endpoint = make_endpoint(world.trust, url=url, scopes=[Scope.READ_PEOPLE], events=ROLES)
    with scopes_disabled():
        membership = Membership.objects.create(
            trust=world.trust, user=UserFactory(), role=Role.TEACHER, school=world.own.school
        )
        audit_record(
            actor=world.people["administrator"],
            verb="membership.started",
            target=membership,
            subject=membership.user,
        )
    webhooks_collect.call(world.trust.pk)
    with scopes_disabled():
        return WebhookDelivery.objects.get(endpoint=endpoint)


def test_a_receiver_trickling_its_answer_is_given_up_on_within_the_deadline(settings, monkeypatch):
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = True
    monkeypatch.setattr(deliver_module, "DEADLINE", 1)
    server = Trickler()
    try:
        delivery = _a_delivery(build_world(), server.url)
        started = time.monotonic()
        assert webhook_deliver.call(delivery.pk) == "failed"
        assert time.monotonic() - started < 3
    finally:
        server.close()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "No answer within" in delivery.last_error


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_the_delivery_is_posted(settings, monkeypatch):
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = True
    delivery = _a_delivery(build_world(), "http://127.0.0.1:9/coachloop")
    seen = []

    def send(url, body, headers, **kwargs):
        seen.append(connection.in_atomic_block)
        return 200

    monkeypatch.setattr(deliver_module, "post", send)
    assert webhook_deliver.call(delivery.pk) == "delivered"
    assert seen == [False]


def test_a_delivery_being_sent_is_not_posted_again_by_a_second_run(settings, monkeypatch):
    """The first run claims it before posting: a second run while the first waits sends
    nothing."""
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = True
    delivery = _a_delivery(build_world(), "http://127.0.0.1:9/coachloop")
    outcomes = []

    def send(url, body, headers, **kwargs):
        if not outcomes:
            outcomes.append(webhook_deliver.call(delivery.pk))  # a second run, meanwhile
        return 200

    monkeypatch.setattr(deliver_module, "post", send)
    assert webhook_deliver.call(delivery.pk) == "delivered"
    assert outcomes == ["not yet"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)


@pytest.mark.parametrize(
    "url", ["https://hooks.example.org:99999/", "https://hooks.example.org:0/"]
)
def test_an_address_with_a_port_out_of_range_is_refused(url, settings):
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = False
    assert "port must be a number" in deliver_module.address_problem(url)


def test_a_delivery_to_an_address_stored_with_a_bad_port_fails_rather_than_waiting_for_ever(
    settings,
):
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = True
    delivery = _a_delivery(build_world(), "https://hooks.example.org:99999/")
    assert webhook_deliver.call(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "port" in delivery.last_error


def _requeued(delivery):
    return [r for r in queued("webhook_deliver") if r.args_kwargs["args"] == [delivery.pk]]


def test_the_catch_up_queues_again_a_delivery_left_pending_a_few_minutes():
    """As a worker that died before sending it leaves it (or one that died mid-send, which
    leaves it pending with the time of its next try passed)."""
    world = build_world()
    stuck = _a_delivery(world, "https://hooks.example.org/x")
    DBTaskResult.objects.all().delete()
    assert webhooks_catch_up.call(world.trust.pk)["queued_again"] == 0  # pending a moment only
    later = timezone.now() + deliver_module.STUCK_AFTER + dt.timedelta(minutes=1)
    with time_machine.travel(later):
        assert webhooks_catch_up.call(world.trust.pk)["queued_again"] == 1
    assert len(_requeued(stuck)) == 1


def test_the_catch_up_queues_again_a_failed_delivery_whose_next_try_has_passed():
    world = build_world()
    delivery = _a_delivery(world, "https://hooks.example.org/x")
    with scopes_disabled():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            attempts=1,
            next_attempt_at=timezone.now() + dt.timedelta(minutes=1),
        )
    DBTaskResult.objects.all().delete()
    assert webhooks_catch_up.call(world.trust.pk)["queued_again"] == 0  # not yet due
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        assert webhooks_catch_up.call(world.trust.pk)["queued_again"] == 1
    assert len(_requeued(delivery)) == 1


def test_a_delivery_pending_a_few_minutes_can_be_sent_again_but_not_one_just_made(settings, client):
    world = build_world()
    delivery = _a_delivery(world, "https://hooks.example.org/x")
    endpoint = delivery.endpoint
    client.force_login(world.people["administrator"])
    again = reverse(
        "webhooks:delivery_send_again", args=[endpoint.integration_id, endpoint.pk, delivery.pk]
    )
    log = reverse("webhooks:endpoint", args=[endpoint.integration_id, endpoint.pk])
    assert "Send again" not in client.get(log).content.decode()
    assert client.post(again).status_code == 403
    DBTaskResult.objects.all().delete()
    with scopes_disabled():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            created_at=timezone.now() - deliver_module.STUCK_AFTER - dt.timedelta(minutes=1)
        )
    assert "Send again" in client.get(log).content.decode()
    assert client.post(again).status_code == 302
    assert len(_requeued(delivery)) == 1


def test_collecting_many_events_takes_them_a_batch_at_a_time_and_misses_none(monkeypatch):
    """An address resumed with an old cursor does not load every event since at once."""
    from coachloop.api.webhooks import collect as collect_module

    monkeypatch.setattr(collect_module, "BATCH", 2)
    batches = []
    real = collect_module.Payloads

    def counted(events):
        batches.append(len(events))
        return real(events)

    monkeypatch.setattr(collect_module, "Payloads", counted)
    world = build_world()
    endpoint = make_endpoint(
        world.trust, url="https://hooks.example.org/x", scopes=[Scope.READ_PEOPLE], events=ROLES
    )
    with scopes_disabled():
        for _ in range(5):
            membership = Membership.objects.create(
                trust=world.trust, user=UserFactory(), role=Role.TEACHER, school=world.own.school
            )
            audit_record(actor=None, verb="membership.started", target=membership)
    assert webhooks_collect.call(world.trust.pk) == 5
    assert batches == [2, 2, 1]
    with scopes_disabled():
        assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 5
    assert webhooks_collect.call(world.trust.pk) == 0  # looking again makes none twice
