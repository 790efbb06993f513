"""Calendar addresses added to people's calendar apps before feeds kept only a hash of their
secret keep working after the migration; nothing of the secret is left in the database."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.rollout.models import CalendarFeed
from tests.world import build_world

BEFORE = [("rollout", "0003_read_after_end_days")]
AFTER = [("rollout", "0004_calendar_feed_keeps_a_hash")]
OLD_TOKEN = "an-address-added-to-outlook-last-term-0123456789abcdef"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_an_address_made_before_the_change_keeps_working_and_only_its_hash_is_kept(client):
    world = build_world()
    coach = world.own.coach
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(BEFORE)
        old_apps.get_model("rollout", "CalendarFeed").objects.create(
            trust_id=world.trust.pk, person_id=coach.pk, token=OLD_TOKEN
        )
        _migrate(AFTER)
    finally:
        _migrate(latest)
    response = client.get(reverse("rollout:time_feed", args=[coach.pk, OLD_TOKEN]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    with scopes_disabled():
        stored = CalendarFeed.objects.values().get(person=coach)
    assert stored["token_hash"] == hashlib.sha256(OLD_TOKEN.encode()).hexdigest()
    assert OLD_TOKEN not in {str(value) for value in stored.values()}
    wrong = reverse("rollout:time_feed", args=[coach.pk, OLD_TOKEN[:-1] + "0"])
    assert client.get(wrong).status_code == 404
