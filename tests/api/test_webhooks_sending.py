"""Sending a webhook holds no transaction and no row lock while it waits for the receiver,
gives a slow receiver a total deadline (not one per read), and leaves no delivery waiting
for ever: a bad port is refused, and what a worker left half sent is sent again."""

import socket
import threading
import time

import pytest
from django.db import connection

from coachloop.api.models import DeliveryStatus, Scope, WebhookDelivery
from coachloop.api.tasks import webhook_deliver, webhooks_collect
from coachloop.api.webhooks import deliver as deliver_module
from coachloop.common.audit import audit_record
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from tests.api.webhooks import make_endpoint
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
