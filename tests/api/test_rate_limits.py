"""Each token may make its number of calls a minute (60 unless it says otherwise); past that a
call is a 429 with Retry-After, until the next minute. Counted per token, not per person."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from coachloop.api.models import TokenWindow
from coachloop.common.tenancy import scopes_disabled
from tests.api.tokens import bearer, make_token

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
MINUTE = datetime(2026, 12, 7, 10, 15, tzinfo=timezone.get_current_timezone())


def _calls(client, secret, count):
    return [client.get(ME, headers=bearer(secret)).status_code for _ in range(count)]


def test_the_call_past_the_tokens_rate_in_a_minute_is_refused_until_the_next(client, world):
    secret, _token = make_token(world.people["coach"], world.trust, rate_per_minute=3)
    with time_machine.travel(MINUTE + timedelta(seconds=20), tick=False):
        assert _calls(client, secret, 3) == [200, 200, 200]
        refused = client.get(ME, headers=bearer(secret))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert refused.json()["code"] == "throttled"
    with time_machine.travel(MINUTE + timedelta(seconds=60), tick=False):
        assert _calls(client, secret, 1) == [200]


def test_sixty_calls_a_minute_unless_the_token_says_otherwise(client, world):
    secret, _token = make_token(world.people["coach"], world.trust)
    with time_machine.travel(MINUTE, tick=False):
        assert set(_calls(client, secret, 60)) == {200}
        assert _calls(client, secret, 1) == [429]


def test_the_limit_is_per_token_not_per_person(client, world):
    first, _token = make_token(world.people["coach"], world.trust, rate_per_minute=1)
    second, _token = make_token(world.people["coach"], world.trust, rate_per_minute=1)
    with time_machine.travel(MINUTE, tick=False):
        assert _calls(client, first, 2) == [200, 429]
        assert _calls(client, second, 1) == [200]


def test_only_the_current_minute_is_kept(client, world):
    secret, token = make_token(world.people["coach"], world.trust)
    for minutes in range(3):
        with time_machine.travel(MINUTE + timedelta(minutes=minutes), tick=False):
            _calls(client, secret, 2)
    with scopes_disabled():
        counts = list(TokenWindow.objects.filter(token=token).values_list("count", flat=True))
    assert counts == [2]


def test_a_tokens_windows_are_in_its_trust(client, world):
    secret, token = make_token(world.people["coach"], world.trust)
    _calls(client, secret, 1)
    with scopes_disabled():
        assert list(TokenWindow.objects.values_list("trust", flat=True)) == [token.trust_id]
