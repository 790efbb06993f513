"""Tokens for tests: a persona's personal token, and integrations' tokens with their scopes.

Made straight in the tables, as a harness may: the services that people use to make them
(coachloop.api.tokens) have tests of their own.
"""

import secrets
import uuid
from datetime import timedelta

from django.utils import timezone

from coachloop.api.models import ApiToken, Integration, Scope
from coachloop.api.queries import digest_of
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import User

# The integration personas of the API matrix: trust A's integrations, one scope each
# (``read_activity`` for school A1 only).
INTEGRATION_SCOPES = {
    "int_people": [Scope.READ_PEOPLE],
    "int_activity": [Scope.READ_ACTIVITY],
    "int_aggregates": [Scope.READ_AGGREGATES],
    "int_roles": [Scope.WRITE_ROLES],
}


def make_token(user, trust, *, integration=None, scopes=(), schools=(), days=30, **fields):
    """A usable token's secret (and the token), made directly."""
    secret = f"cl_test_{secrets.token_urlsafe(24)}"
    with scopes_disabled():
        token = ApiToken.objects.create(
            trust=trust,
            user=user,
            integration=integration,
            name=fields.pop("name", "Test token"),
            prefix=secret[:12],
            digest=digest_of(secret),
            scopes=[str(scope) for scope in scopes],
            expires_at=fields.pop("expires_at", timezone.now() + timedelta(days=days)),
            **fields,
        )
        token.schools.set(schools, through_defaults={"trust_id": token.trust_id})
    return secret, token


def make_integration(trust, name="MIS"):
    with scopes_disabled():
        account = User.objects.create_user(
            email=f"integration-{uuid.uuid4()}@invalid", full_name=name, password=None
        )
        return Integration.objects.create(trust=trust, name=name, account=account)


def integration_token(world, scopes, schools=()):
    """The secret of a token of a new integration of trust A with ``scopes``."""
    integration = make_integration(world.trust)
    secret, _token = make_token(
        integration.account,
        world.trust,
        integration=integration,
        scopes=scopes,
        schools=schools,
    )
    return secret


def token_for(world, persona):
    """The secret of a token for an API persona: a person's own token in trust A, or an
    integration's (``int_*``); ``None`` for ``anonymous``."""
    if persona == "anonymous":
        return None
    if persona in INTEGRATION_SCOPES:
        schools = [world.own.school] if persona == "int_activity" else []
        return integration_token(world, INTEGRATION_SCOPES[persona], schools)
    secret, _token = make_token(world.people[persona], world.trust)
    return secret


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"} if secret else {}


def token_in_use(user, trust):
    """Bearer headers of a token in use (its last use noted this minute), as an integration's
    that polls is: a page's query count is then the resource's and the rate limit's, not a first
    use's bookkeeping (one write a minute)."""
    secret, _token = make_token(user, trust, last_used_at=timezone.now())
    return bearer(secret)
