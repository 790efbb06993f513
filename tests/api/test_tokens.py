"""A person's own tokens: made with a name and an end date, the secret shown once and never
kept, revoked at once; each audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from coachloop.api.models import ApiToken
from coachloop.api.queries import digest_of, own_token, own_tokens
from coachloop.api.tokens import personal_token_create, token_revoke
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.queries import viewer_for
from tests.api.tokens import bearer, make_token
from tests.world import lead_in_two_trusts

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def _viewer(person, trust=None):
    return viewer_for(person, trust_id=trust.pk if trust else None)


def _create(world, persona, *, days=30, name="Timetable sync"):
    viewer = _viewer(world.people[persona])
    with trust_scope(viewer.trust):
        return personal_token_create(
            viewer=viewer, name=name, expires_on=timezone.localdate() + timedelta(days=days)
        )


def test_only_the_secrets_digest_and_first_characters_are_kept(world):
    token, secret = _create(world, "coach")
    assert secret.startswith("cl_pat_")
    with scopes_disabled():
        stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == digest_of(secret)
    assert stored.prefix == secret[:12]
    assert secret not in {str(value) for value in vars(stored).values()}


def test_the_new_token_opens_the_api_as_its_person_until_the_end_of_its_day(client, world):
    token, secret = _create(world, "coach", days=7)
    response = client.get(ME, headers=bearer(secret))
    assert response.json()["name"] == world.people["coach"].full_name
    local_end = timezone.localtime(token.expires_at)
    assert local_end.date() == timezone.localdate() + timedelta(days=7)
    assert (local_end.hour, local_end.minute) == (23, 59)


def test_making_a_token_is_audited_without_its_secret(world):
    token, secret = _create(world, "coach")
    with scopes_disabled():
        event = AuditEvent.objects.get(verb="api_token.created")
    assert event.actor == world.people["coach"]
    assert event.target_id == str(token.pk)
    assert secret not in event.summary
    assert token.prefix in event.summary


def test_a_teachers_token_may_last_a_year_and_no_longer(world):
    _create(world, "teacher", days=365)
    with pytest.raises(ValidationError, match="365 days at most"):
        _create(world, "teacher", days=366)


def test_a_leaders_token_may_last_90_days_and_no_longer(world):
    _create(world, "headteacher", days=90)
    with pytest.raises(ValidationError, match="90 days at most"):
        _create(world, "headteacher", days=91)


@pytest.mark.parametrize("days", [0, -1])
def test_a_token_must_end_in_the_future(world, days):
    with pytest.raises(ValidationError, match="must be in the future"):
        _create(world, "coach", days=days)


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_short_name(world, name):
    with pytest.raises(ValidationError):
        _create(world, "coach", name=name)
    with scopes_disabled():
        assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working_at_once_and_revoking_is_audited(client, world):
    token, secret = _create(world, "coach")
    viewer = _viewer(world.people["coach"])
    with trust_scope(viewer.trust):
        token_revoke(viewer=viewer, token=token)
        token_revoke(viewer=viewer, token=token)  # a second time changes nothing
    assert client.get(ME, headers=bearer(secret)).status_code == 401
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="api_token.revoked").count() == 1


def test_a_person_lists_and_finds_only_their_own_tokens_in_their_trust(world):
    mine, _secret = _create(world, "coach")
    _other, theirs = make_token(world.people["teacher"], world.trust)
    viewer = _viewer(world.people["coach"])
    with trust_scope(viewer.trust):
        assert own_tokens(viewer) == [mine]
        assert own_token(viewer, mine.pk) == mine
        with pytest.raises(Http404):
            own_token(viewer, theirs.pk)


def test_a_token_of_another_trust_is_not_found(world):
    person = lead_in_two_trusts(world)
    _secret, in_b = make_token(person, world.other_trust)
    viewer = _viewer(person, world.trust)
    with trust_scope(viewer.trust):
        assert own_tokens(viewer) == []
        with pytest.raises(Http404):
            own_token(viewer, in_b.pk)
