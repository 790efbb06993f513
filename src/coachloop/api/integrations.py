"""Setting up integrations and their tokens: each one service, one transaction, with its
audit event. Only the trust's administrators may (rule ``api.manage_integrations``).

An integration acts through its own service account: a ``User`` with no password and no
memberships, whose address (``integration-<uuid>@invalid``) can receive nothing. What its
tokens may do are their scopes (``api.viewers.integration_viewer``); a token reading coaching
activity names the schools it reads. An integration's token may last up to a year.
"""

import uuid

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coachloop.api.models import ApiToken, Integration, Scope
from coachloop.api.queries import digest_of
from coachloop.api.tokens import INTEGRATION, PREFIX_CHARS, checked_name, expiry_at, new_secret
from coachloop.common.audit import audit_record
from coachloop.people.models import User

LONGEST_DAYS = 365
# Calls a minute an integration's token may make: at least one, at most ten a second.
FEWEST_CALLS = 1
MOST_CALLS = 600


def _check(viewer):
    if not rules.test_rule("api.manage_integrations", viewer):
        raise PermissionDenied


@transaction.atomic
def integration_create(*, viewer, name):
    """A new integration of the viewer's trust, with its own service account."""
    _check(viewer)
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"name": _("Enter a name for the integration, such as the system it is.")}
        )
    if len(name) > 100:
        raise ValidationError({"name": _("The name must be 100 characters or fewer.")})
    account = User.objects.create_user(
        email=f"integration-{uuid.uuid4()}@invalid", password=None, full_name=name
    )
    integration = Integration.objects.create(
        trust=viewer.trust, name=name, account=account, created_by=viewer.user
    )
    audit_record(actor=viewer.user, verb="integration.created", target=integration, summary=name)
    return integration


def _scopes(scopes):
    chosen = {str(scope) for scope in scopes or ()}
    if not chosen:
        raise ValidationError({"scopes": _("Choose at least one thing the token may do.")})
    if chosen - set(Scope.values):
        raise ValidationError({"scopes": _("Choose only from the things listed.")})
    return [scope for scope in Scope.values if scope in chosen]


def _schools(viewer, scopes, schools):
    schools = list(schools or ())
    if any(school.trust_id != viewer.trust.pk for school in schools):
        raise ValidationError({"schools": _("Choose only schools of your trust.")})
    if Scope.READ_ACTIVITY in scopes and not schools:
        raise ValidationError(
            {"schools": _("Choose the schools whose coaching activity the token may read.")}
        )
    if Scope.READ_ACTIVITY not in scopes and schools:
        raise ValidationError(
            {"schools": _("Schools are only for a token that reads coaching activity.")}
        )
    return schools


def _rate(rate_per_minute):
    if rate_per_minute is None:
        raise ValidationError(
            {"rate_per_minute": _("Enter how many calls a minute the token may make.")}
        )
    if not FEWEST_CALLS <= rate_per_minute <= MOST_CALLS:
        raise ValidationError(
            {
                "rate_per_minute": _("The calls a minute must be between %(fewest)s and %(most)s.")
                % {"fewest": FEWEST_CALLS, "most": MOST_CALLS}
            }
        )
    return rate_per_minute


@transaction.atomic
def integration_token_create(
    *, viewer, integration, name, scopes, schools, expires_on, rate_per_minute
):
    """A token for ``integration`` with ``scopes`` (and, reading coaching activity, the
    ``schools`` it reads): ``(token, secret)``. The secret is not kept: show it once."""
    _check(viewer)
    if integration.trust_id != viewer.trust.pk:
        raise PermissionDenied
    name = checked_name(name)
    scopes = _scopes(scopes)
    schools = _schools(viewer, scopes, schools)
    expires_at = expiry_at(
        expires_on, LONGEST_DAYS, _("An integration's token can work for %(days)s days at most.")
    )
    rate_per_minute = _rate(rate_per_minute)
    secret = new_secret(INTEGRATION)
    token = ApiToken.objects.create(
        trust=viewer.trust,
        user=integration.account,
        integration=integration,
        name=name,
        prefix=secret[:PREFIX_CHARS],
        digest=digest_of(secret),
        scopes=scopes,
        expires_at=expires_at,
        rate_per_minute=rate_per_minute,
    )
    token.schools.set(schools, through_defaults={"trust_id": token.trust_id})
    school_names = ", ".join(sorted(school.name for school in schools))
    audit_record(
        actor=viewer.user,
        verb="api_token.created",
        target=token,
        summary=(
            f"{integration.name}: {name} ({token.prefix}…), {', '.join(scopes)}"
            + (f" ({school_names})" if school_names else "")
            + f", until {expires_on:%Y-%m-%d}, {rate_per_minute} a minute"
        ),
    )
    return token, secret
