"""Deployment checks for signing in (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks

NO_TRUSTED_PROXY = "people.W001"


@checks.register(checks.Tags.security, deploy=True)
def sign_in_limits_see_past_the_proxy(app_configs=None, **kwargs):
    """Behind a TLS proxy (``SECURE_PROXY_SSL_HEADER`` set) with no trusted proxy, every
    request seems to come from the proxy's address, so the limits per network address on
    signing in and on password links would apply to the whole site at once."""
    if settings.SECURE_PROXY_SSL_HEADER and settings.COACHLOOP_TRUSTED_PROXIES == 0:
        return [
            checks.Warning(
                "COACHLOOP_TRUSTED_PROXIES is 0 while SECURE_PROXY_SSL_HEADER says a proxy "
                "is in front of the server: every request will seem to come from the proxy, "
                "and the sign-in and password-link limits per network address will pause "
                "everyone at once.",
                hint="Set COACHLOOP_TRUSTED_PROXIES to the number of proxies that add to "
                "X-Forwarded-For (1 for one TLS proxy). See docs/operating.md.",
                id=NO_TRUSTED_PROXY,
            )
        ]
    return []
