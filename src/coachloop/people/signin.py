"""Who is trying to sign in, and from where: what django-axes counts failures against.

Axes records each failed sign-in in the database (so every worker sees the same count) and
pauses signing in for an email address, or from a network address, that has failed too often.
Axes holds both to one limit; a school's staff share one public address, so the address here
has its own, larger limit (``COACHLOOP_SIGN_IN_ADDRESS_LIMIT``).
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

# One household, phone or attacker is given a whole IPv6 /64: it counts as one address.
IPV6_NETWORK_PREFIX = 64


def attempted_email(request, credentials=None):
    """The email address a sign-in was for, as the account stores it (lower case), so that
    changing the case of a letter does not start a fresh count."""
    if credentials:
        email = credentials.get("username") or credentials.get("email")
    else:
        email = request.POST.get("login")
    return email.strip().lower() if email else None


def client_address(request):
    """The address the request came from: REMOTE_ADDR, unless ``COACHLOOP_TRUSTED_PROXIES``
    says how many proxies in front of the server add to X-Forwarded-For; then the address
    the outermost of them saw. Anything before that in the header is the client's to forge."""
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.COACHLOOP_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [hop for hop in forwarded if hop]
        if forwarded:
            address = forwarded[-min(proxies, len(forwarded))]
    return _counted_as(address) or _counted_as(request.META.get("REMOTE_ADDR"))


def _counted_as(address):
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return None
    if parsed.version == 6 and parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        network = ipaddress.ip_network(f"{parsed}/{IPV6_NETWORK_PREFIX}", strict=False)
        return str(network.network_address)
    return str(parsed)


class SignInThrottle(AxesDatabaseHandler):
    """Axes' database handler with a limit for each thing it counts by."""

    def get_failures(self, request, credentials=None):
        """The failures that count against this sign-in, on the account's scale: an address
        that has reached its own limit counts as the account's limit reached."""
        limits = {
            "username": settings.AXES_FAILURE_LIMIT,
            "ip_address": settings.COACHLOOP_SIGN_IN_ADDRESS_LIMIT,
        }
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        failures = {
            parameter: recent.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for parameter, recent in zip(parameters, attempts, strict=True)
        }
        if any(failures[parameter] >= limits[parameter] for parameter in failures):
            return max(failures.get("username", 0), settings.AXES_FAILURE_LIMIT)
        return failures.get("username", 0)

    def reset_user_attempts(self, request, credentials=None):
        """Signing in clears that account's failures only: one person's success says nothing
        about the other accounts tried from the same address."""
        email = get_client_username(request, credentials)
        return self.reset_attempts(username=email) if email else 0
