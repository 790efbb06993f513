"""Making and revoking tokens: each one service, one transaction, with its audit event.

A token's secret is ``cl_pat_`` (a person's own) or ``cl_int_`` (an integration's) and 32
random bytes; it is returned once, to be shown once, and only its SHA-256 digest is kept, with
its first characters (``prefix``) to tell tokens apart. A person's token may last up to a year,
a leader's (whose sessions need two-step sign-in) up to 90 days.
"""

import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.api.models import ApiToken
from coachloop.api.queries import digest_of
from coachloop.common.audit import audit_record
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.two_step import LEADER_ROLES

PERSONAL = "cl_pat_"
INTEGRATION = "cl_int_"
PREFIX_CHARS = 12
LONGEST_DAYS = 365
LONGEST_DAYS_FOR_LEADERS = 90


def new_secret(kind):
    return kind + secrets.token_urlsafe(32)


def longest_days(viewer):
    return LONGEST_DAYS_FOR_LEADERS if viewer.roles() & LEADER_ROLES else LONGEST_DAYS


def _expiry(viewer, expires_on):
    """The end of ``expires_on``, local time, once checked against the person's limit."""
    return expiry_at(
        expires_on,
        longest_days(viewer),
        _("A token of yours can work for %(days)s days at most."),
    )


def expiry_at(expires_on, days, too_long):
    """The end of ``expires_on``, local time, once checked: in the future and no more than
    ``days`` away (``too_long`` says so, given ``days``)."""
    today = timezone.localdate()
    if expires_on is None:
        raise ValidationError({"expires_on": _("Enter the date the token stops working.")})
    if expires_on <= today:
        raise ValidationError(
            {"expires_on": _("The date the token stops working must be in the future.")}
        )
    if expires_on > today + timedelta(days=days):
        raise ValidationError({"expires_on": too_long % {"days": days}})
    return timezone.make_aware(datetime.combine(expires_on, time.max))


def checked_name(name):
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter a name for the token, to know it by.")})
    if len(name) > 100:
        raise ValidationError({"name": _("The name must be 100 characters or fewer.")})
    return name


@transaction.atomic
def personal_token_create(*, viewer, name, expires_on):
    """A token for the viewer themself in the viewer's trust: ``(token, secret)``. The secret
    is not kept: show it once."""
    name = checked_name(name)
    expires_at = _expiry(viewer, expires_on)
    secret = new_secret(PERSONAL)
    token = ApiToken.objects.create(
        trust=viewer.trust,
        user=viewer.user,
        name=name,
        prefix=secret[:PREFIX_CHARS],
        digest=digest_of(secret),
        expires_at=expires_at,
        rate_per_minute=settings.COACHLOOP_API_RATE_PER_MINUTE,
    )
    audit_record(
        actor=viewer.user,
        verb="api_token.created",
        target=token,
        subject=viewer.user,
        summary=f"{name} ({token.prefix}…), until {expires_on:%Y-%m-%d}",
    )
    return token, secret


@transaction.atomic
def token_revoke(*, viewer, token):
    """Stop ``token`` working, at once. Revoking a revoked token changes nothing."""
    stored = ApiToken.objects.select_for_update().get(pk=token.pk)
    if stored.revoked_at is not None:
        return stored
    stored.revoked_at = timezone.now()
    stored.revoked_by = viewer.user
    stored.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=viewer.user,
        verb="api_token.revoked",
        target=stored,
        subject=stored.user,
        summary=f"{stored.name} ({stored.prefix}…)",
    )
    return stored


def token_use_note(token, now):
    """Keep when the token was last used (bookkeeping, like a session's last use: not
    audited). Written before the request's trust scope is set, hence unscoped by its id."""
    with scopes_disabled():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
