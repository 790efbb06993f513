"""Setting up integrations and their tokens: administrators only, each write audited, the
scopes (and the schools read) stored as chosen; bad input changes nothing and says why."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coachloop.api.integrations import integration_create, integration_token_create
from coachloop.api.models import ApiToken, Integration, Scope
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Membership
from coachloop.people.queries import viewer_for
from tests.api.tokens import bearer, make_integration

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
SOON = timezone.localdate() + timedelta(days=30)


def _admin(world):
    return viewer_for(world.people["administrator"], trust_id=world.trust.pk)


def _make(viewer, integration, **overrides):
    arguments = {
        "name": "Nightly sync",
        "scopes": [Scope.READ_PEOPLE],
        "schools": [],
        "expires_on": SOON,
        "rate_per_minute": 60,
    } | overrides
    with trust_scope(viewer.trust):
        return integration_token_create(viewer=viewer, integration=integration, **arguments)


def _tokens():
    with scopes_disabled():
        return ApiToken.objects.count()


def _events(verb):
    with scopes_disabled():
        return list(AuditEvent.objects.filter(verb=verb))


def test_an_integration_has_a_service_account_with_no_password_and_no_roles(world):
    admin = _admin(world)
    with trust_scope(world.trust):
        integration = integration_create(viewer=admin, name=" School MIS ")
    account = integration.account
    assert integration.name == "School MIS"
    assert integration.trust == world.trust and integration.created_by == admin.user
    assert account.email.startswith("integration-") and account.email.endswith("@invalid")
    assert not account.has_usable_password()
    with scopes_disabled():
        assert not Membership.objects.filter(user=account).exists()
    (event,) = _events("integration.created")
    assert event.actor == admin.user and event.summary == "School MIS"


def test_an_integration_with_no_name_is_not_set_up(world):
    with trust_scope(world.trust), pytest.raises(ValidationError) as raised:
        integration_create(viewer=_admin(world), name="  ")
    assert "Enter a name for the integration" in str(raised.value)
    with scopes_disabled():
        assert not Integration.objects.exists()


def test_only_an_administrator_sets_up_an_integration_or_makes_its_tokens(world):
    integration = make_integration(world.trust)
    head = viewer_for(world.people["headteacher"], trust_id=world.trust.pk)
    with trust_scope(world.trust), pytest.raises(PermissionDenied):
        integration_create(viewer=head, name="MIS")
    with pytest.raises(PermissionDenied):
        _make(head, integration)
    assert _tokens() == 0


def test_another_trust_s_integration_gets_no_token_from_this_trust_s_administrator(world):
    theirs = make_integration(world.other_trust)
    with pytest.raises(PermissionDenied):
        _make(_admin(world), theirs)
    assert _tokens() == 0


def test_the_token_keeps_its_scopes_schools_rate_and_works_as_the_integration(client, world):
    integration = make_integration(world.trust, "School MIS")
    token, secret = _make(
        _admin(world),
        integration,
        scopes=[Scope.READ_ACTIVITY, Scope.READ_PEOPLE],
        schools=[world.own.school],
        rate_per_minute=120,
    )
    assert secret.startswith("cl_int_")
    with scopes_disabled():
        stored = ApiToken.objects.get(pk=token.pk)
        assert stored.scopes == ["read_people", "read_activity"]
        assert list(stored.schools.all()) == [world.own.school]
    assert stored.user == integration.account and stored.integration == integration
    assert stored.rate_per_minute == 120
    me = client.get(ME, headers=bearer(secret)).json()
    assert me["token"] == {
        "name": "Nightly sync",
        "kind": "integration",
        "scopes": ["read_people", "read_activity"],
        "expires_at": me["token"]["expires_at"],
    }
    assert {"role": "coaching_lead", "school": world.own.school.slug} in me["roles"]


def test_making_an_integration_token_is_audited_without_its_secret(world):
    integration = make_integration(world.trust, "School MIS")
    token, secret = _make(_admin(world), integration, scopes=[Scope.WRITE_ROLES])
    (event,) = _events("api_token.created")
    assert event.actor == world.people["administrator"]
    assert "School MIS" in event.summary and "write_roles" in event.summary
    assert secret not in event.summary and token.prefix in event.summary


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"scopes": []}, "scopes", "Choose at least one thing the token may do."),
        ({"scopes": ["delete_everything"]}, "scopes", "Choose only from the things listed."),
        (
            {"scopes": [Scope.READ_ACTIVITY]},
            "schools",
            "Choose the schools whose coaching activity the token may read.",
        ),
        ({"name": ""}, "name", "Enter a name for the token, to know it by."),
        ({"expires_on": None}, "expires_on", "Enter the date the token stops working."),
        (
            {"expires_on": timezone.localdate() + timedelta(days=366)},
            "expires_on",
            "An integration's token can work for 365 days at most.",
        ),
        ({"rate_per_minute": 0}, "rate_per_minute", "between 1 and 600"),
        ({"rate_per_minute": 601}, "rate_per_minute", "between 1 and 600"),
    ],
)
def test_bad_input_makes_no_token_and_says_why(world, overrides, field, says):
    integration = make_integration(world.trust)
    with pytest.raises(ValidationError) as raised:
        _make(_admin(world), integration, **overrides)
    assert says in " ".join(raised.value.message_dict[field])
    assert _tokens() == 0
    assert _events("api_token.created") == []


def test_a_school_of_another_trust_is_refused(world):
    integration = make_integration(world.trust)
    with pytest.raises(ValidationError) as raised:
        _make(
            _admin(world),
            integration,
            scopes=[Scope.READ_ACTIVITY],
            schools=[world.other_trust_records.school],
        )
    assert raised.value.message_dict["schools"] == ["Choose only schools of your trust."]
    assert _tokens() == 0


def test_schools_are_refused_for_a_token_that_does_not_read_activity(world):
    integration = make_integration(world.trust)
    with pytest.raises(ValidationError) as raised:
        _make(_admin(world), integration, schools=[world.own.school])
    assert "only for a token that reads coaching activity" in str(raised.value)
    assert _tokens() == 0
