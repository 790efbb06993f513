"""Signing in through a trust's own provider (django-allauth's OpenID Connect pages): the
same for everyone, signed in or not. The pages that would link a provider's account to a
person, or sign someone up through one, are closed."""

import uuid

from tests.access.codes import everyone, public_route
from tests.factories import SignInProviderFactory

UNAUTHORIZED = 401  # allauth's answer to a return from a provider it did not send anyone to


def _provider_of(records):
    provider = SignInProviderFactory(trust=records.school.trust, client_id=f"matrix-{uuid.uuid4()}")
    return {"provider_id": provider.provider_id}


ROWS = {
    # Opened directly (GET), a provider's address asks first: setting off is a POST.
    "openid_connect_login": ("get", _provider_of, public_route()),
    "openid_connect_callback": ("get", _provider_of, public_route(UNAUTHORIZED)),
    "socialaccount_login_cancelled": ("get", None, public_route()),
    "socialaccount_login_error": ("get", None, public_route(UNAUTHORIZED)),
    "socialaccount_connections": ("get", None, {"own": everyone(404)}),
    "socialaccount_signup": ("get", None, {"own": everyone(404)}),
}
