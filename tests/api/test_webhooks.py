"""Webhooks end to end: a write, its event collected after the commit, a signed POST to a
receiver on loopback, tried again on a schedule when it fails, and never sent when the
endpoint's token may not see the event or no longer works."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coachloop.api.models import DeliveryStatus, Scope, WebhookDelivery
from coachloop.api.tasks import webhook_deliver, webhooks_collect
from coachloop.coaching.services.relationships import relationship_end
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from coachloop.people.services import membership_start
from tests.api.webhooks import Receiver, make_endpoint, queued, run_queued, verifies
from tests.factories import UserFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=False)

ROLES = ["role.started", "role.ended"]


@pytest.fixture
def receiver(settings):
    settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = True
    made = []

    def make(codes=(200,)):
        made.append(Receiver(codes))
        return made[-1]

    yield make
    for one in made:
        one.close()


def _start_a_role(world, capture, email="ada@example.org"):
    with capture(execute=True), scopes_disabled():
        person = UserFactory(full_name="Ada Newcomer", email=email)
        return membership_start(
            actor=world.people["administrator"],
            trust=world.trust,
            user=person,
            role=Role.TEACHER,
            school=world.own.school,
        )


def _deliveries(endpoint):
    with scopes_disabled():
        return list(WebhookDelivery.objects.filter(endpoint=endpoint))


def test_a_role_started_reaches_the_receiver_once_signed_with_the_endpoint_s_secret(
    receiver, django_capture_on_commit_callbacks
):
    world = build_world()
    server = receiver()
    endpoint = make_endpoint(world.trust, url=server.url, scopes=[Scope.READ_PEOPLE], events=ROLES)
    membership = _start_a_role(world, django_capture_on_commit_callbacks)
    assert len(queued("webhooks_collect")) == 1  # queued by the commit's listener

    run_queued()

    assert len(server.requests) == 1
    headers, body = server.requests[0]
    assert verifies(endpoint.secret, headers, body)
    assert headers["content-type"] == "application/json"
    assert server.bodies()[0]["type"] == "role.started"
    assert server.bodies()[0]["data"] == {
        "id": membership.pk,
        "person": {"id": membership.user_id, "name": "Ada Newcomer", "email": "ada@example.org"},
        "role": "teacher",
        "school": "a1",
        "starts_on": membership.started_on.isoformat(),
        "ends_on": None,
    }
    [delivery] = _deliveries(endpoint)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.DELIVERED,
        1,
        200,
    )


def test_a_failed_delivery_is_tried_again_a_minute_later_and_the_log_shows_it(
    receiver, django_capture_on_commit_callbacks, client
):
    world = build_world()
    server = receiver(codes=[500, 200])
    endpoint = make_endpoint(world.trust, url=server.url, scopes=[Scope.READ_PEOPLE], events=ROLES)
    _start_a_role(world, django_capture_on_commit_callbacks)
    run_queued()

    [delivery] = _deliveries(endpoint)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.FAILED,
        1,
        500,
    )
    [again] = queued("webhook_deliver")
    wait = again.run_after - timezone.now()
    assert dt.timedelta(seconds=50) < wait <= dt.timedelta(minutes=1)
    assert run_queued() == []  # not before its time

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        run_queued()
    [delivery] = _deliveries(endpoint)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.DELIVERED,
        2,
        200,
    )
    assert len(server.requests) == 2
    assert server.requests[0][0]["webhook-id"] == server.requests[1][0]["webhook-id"]

    client.force_login(world.people["administrator"])
    page = client.get(
        reverse("webhooks:endpoint", args=[endpoint.integration_id, endpoint.pk])
    ).content.decode()
    assert "A role started" in page
    assert "Delivered" in page
    assert 'data-label="Tries">2<' in page


def test_collecting_twice_makes_one_delivery_and_sending_twice_posts_once(
    receiver, django_capture_on_commit_callbacks
):
    world = build_world()
    server = receiver()
    endpoint = make_endpoint(world.trust, url=server.url, scopes=[Scope.READ_PEOPLE], events=ROLES)
    _start_a_role(world, django_capture_on_commit_callbacks)

    first = webhooks_collect.call(world.trust.pk)
    second = webhooks_collect.call(world.trust.pk)
    assert (first, second) == (1, 0)
    [delivery] = _deliveries(endpoint)
    assert webhook_deliver.call(delivery.pk) == "delivered"
    assert webhook_deliver.call(delivery.pk) == "nothing to send"
    assert len(server.requests) == 1


def test_a_write_rolled_back_sends_nothing(receiver, django_capture_on_commit_callbacks):
    world = build_world()
    server = receiver()
    endpoint = make_endpoint(world.trust, url=server.url, scopes=[Scope.READ_PEOPLE], events=ROLES)

    class Undone(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks, scopes_disabled():
        person = UserFactory()
        with pytest.raises(Undone), transaction.atomic():
            membership_start(
                actor=world.people["administrator"],
                trust=world.trust,
                user=person,
                role=Role.TEACHER,
                school=world.own.school,
            )
            raise Undone
    assert callbacks == []
    assert webhooks_collect.call(world.trust.pk) == 0
    run_queued()
    assert server.requests == []
    assert _deliveries(endpoint) == []


def test_coaching_is_sent_only_for_the_token_s_schools(receiver):
    world = build_world()
    server = receiver()
    endpoint = make_endpoint(
        world.trust,
        url=server.url,
        scopes=[Scope.READ_ACTIVITY],
        schools=[world.own.school],
        events=["coaching.ended"],
    )
    with scopes_disabled():
        for records in (world.own, world.other_school):
            relationship_end(actor=world.people["coaching_lead"], relationship=records.relationship)
    webhooks_collect.call(world.trust.pk)
    run_queued()

    [body] = server.bodies()
    relationship = world.own.relationship
    assert body["type"] == "coaching.ended"
    assert body["data"] == {
        "id": relationship.pk,
        "school": "a1",
        "kind": relationship.kind,
        "started_on": relationship.started_on.isoformat(),
        "ended_on": timezone.localdate().isoformat(),
    }
    assert len(_deliveries(endpoint)) == 1


def test_a_role_is_not_sent_to_a_token_without_read_people(
    receiver, django_capture_on_commit_callbacks
):
    world = build_world()
    server = receiver()
    endpoint = make_endpoint(
        world.trust, url=server.url, scopes=[Scope.READ_AGGREGATES], events=ROLES
    )
    _start_a_role(world, django_capture_on_commit_callbacks)
    run_queued()
    assert server.requests == []
    assert _deliveries(endpoint) == []


def test_a_revoked_token_s_endpoint_hears_nothing_more(
    receiver, django_capture_on_commit_callbacks
):
    world = build_world()
    server = receiver()
    endpoint = make_endpoint(world.trust, url=server.url, scopes=[Scope.READ_PEOPLE], events=ROLES)
    _start_a_role(world, django_capture_on_commit_callbacks)
    webhooks_collect.call(world.trust.pk)  # collected while the token worked
    with scopes_disabled():
        endpoint.token.revoked_at = timezone.now()
        endpoint.token.save()
    _start_a_role(world, django_capture_on_commit_callbacks, email="bea@example.org")
    run_queued()

    assert server.requests == []
    [delivery] = _deliveries(endpoint)  # the second event was never collected
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert "token" in delivery.last_error


def test_another_trust_s_events_are_not_sent(receiver, django_capture_on_commit_callbacks):
    world = build_world()
    server = receiver()
    make_endpoint(world.other_trust, url=server.url, scopes=[Scope.READ_PEOPLE], events=ROLES)
    _start_a_role(world, django_capture_on_commit_callbacks)
    run_queued()
    webhooks_collect.call(world.other_trust.pk)
    assert server.requests == []


def test_a_trust_without_endpoints_queues_no_collection(django_capture_on_commit_callbacks):
    world = build_world()
    _start_a_role(world, django_capture_on_commit_callbacks)
    assert queued("webhooks_collect") == []


@pytest.mark.django_db(transaction=True)
def test_after_a_real_commit_the_event_is_collected_and_sent(receiver):
    """Without a test's wrapping transaction: the listener runs on the real commit (run on
    PostgreSQL too, where commits and row locks are the database's own)."""
    world = build_world()
    server = receiver()
    make_endpoint(world.trust, url=server.url, scopes=[Scope.READ_PEOPLE], events=ROLES)
    with scopes_disabled():
        membership_start(
            actor=world.people["administrator"],
            trust=world.trust,
            user=UserFactory(),
            role=Role.TEACHER,
            school=world.own.school,
        )
    assert len(queued("webhooks_collect")) == 1
    run_queued()
    run_queued()  # nothing is sent twice
    assert [body["type"] for body in server.bodies()] == ["role.started"]
