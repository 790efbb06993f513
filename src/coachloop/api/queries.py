"""Reads of tokens, always for someone who is asking: a person sees and revokes only their own
(in the trust they are working in). The token middleware finds a request's token here, and
the personal-data contributor a person's rows."""

import hashlib

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from coachloop.api.models import ApiToken, Integration, WebhookDelivery
from coachloop.common.tenancy import scopes_disabled


def digest_of(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def token_for_secret(secret):
    """The usable token whose secret is ``secret`` (not revoked, not expired, its person
    active), or ``None``. Read before any trust is chosen: the token says which."""
    with scopes_disabled():
        token = (
            ApiToken.objects.select_related("user", "trust", "integration")
            .filter(digest=digest_of(secret))
            .first()
        )
    if token is None or token.revoked_at is not None or token.expires_at <= timezone.now():
        return None
    if not token.user.is_active:
        return None
    return token


def open_schools_of_token(token):
    """The schools an integration's token reads activity of: those chosen for it that are in
    its trust and still open (a school that has closed is read no more)."""
    return list(token.schools.filter(trust_id=token.trust_id, closed_on__isnull=True))


def personal_tokens_of(person, trust):
    """A person's own tokens in the trust (an integration's tokens are not theirs)."""
    return ApiToken.objects.filter(user=person, trust=trust, integration__isnull=True)


def integrations_set_up_by(person, trust):
    return Integration.objects.filter(created_by=person, trust=trust)


def deliveries_about(person, trust):
    """Webhook deliveries of events by or about the person."""
    return WebhookDelivery.objects.filter(trust=trust).filter(
        Q(event__actor=person) | Q(event__subject=person)
    )


def own_tokens(viewer):
    """The viewer's own tokens in the viewer's trust, newest first (revoked and expired too)."""
    return list(personal_tokens_of(viewer.user, viewer.trust))


def own_token(viewer, pk):
    """One of the viewer's own tokens; anyone else's, or another trust's, is a 404."""
    token = personal_tokens_of(viewer.user, viewer.trust).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def _check_manages_integrations(viewer):
    if not rules.test_rule("api.manage_integrations", viewer):
        raise PermissionDenied


def check_manages_integrations(viewer):
    """Refuse (403) anyone who may not set up the trust's integrations."""
    _check_manages_integrations(viewer)


def integrations_of(viewer):
    """The viewer's trust's integrations, for its administrators; anyone else is refused."""
    _check_manages_integrations(viewer)
    return list(Integration.objects.filter(trust=viewer.trust))


def integration_for(viewer, pk):
    """One of the viewer's trust's integrations, for its administrators; another trust's is a
    404, and anyone but an administrator is refused."""
    _check_manages_integrations(viewer)
    integration = Integration.objects.filter(pk=pk, trust=viewer.trust).first()
    if integration is None:
        raise Http404
    return integration


def integration_tokens(viewer, integration):
    """An integration's tokens (the viewer may manage it: ``integration_for``), newest first,
    with the schools each reads."""
    return list(
        ApiToken.objects.filter(integration=integration, trust=viewer.trust).prefetch_related(
            "schools"
        )
    )


def integration_token_for(viewer, integration, pk):
    """One of an integration's tokens; any other token is a 404."""
    token = ApiToken.objects.filter(pk=pk, integration=integration, trust=viewer.trust).first()
    if token is None:
        raise Http404
    return token
