"""The record of each time a person signs in (``SignIn``), which their account page lists.

A sign-in is recorded when django-allauth has finished signing the person in (its own
``user_logged_in`` signal, sent after every step: the password or single sign-on, then the
second step where the person has one), from allauth's note in the session of each step taken
(``get_authentication_records``). Records older than ``SIGN_INS_KEPT_DAYS`` are deleted
whenever one is written, so the table holds about three months of sign-ins and no more.

The device is described from the browser's user agent by ua-parser (the uap-core rules), in
plain words: "Chrome on Android", "Safari on an iPhone".
"""

import datetime as dt
import logging

from allauth.account.authentication import get_authentication_records
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ua_parser import parse as parse_user_agent

from coachloop.people.models import SignIn

logger = logging.getLogger(__name__)

SIGN_INS_KEPT_DAYS = 90
SIGN_INS_SHOWN = 20
USER_AGENT_KEPT = SignIn._meta.get_field("user_agent").max_length

# ua-parser's names for browsers, as people know them.
BROWSERS = {
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "Chrome",
    "HeadlessChrome": "Chrome",
    "Chromium": "Chromium",
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": "Safari",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Edge Mobile": "Edge",
    "Opera Mobile": "Opera",
}
UNKNOWN = {None, "", "Other"}

SECOND_STEPS = {
    "totp": SignIn.SecondStep.AUTHENTICATOR_APP,
    "webauthn": SignIn.SecondStep.SECURITY_KEY,
    "recovery_codes": SignIn.SecondStep.RECOVERY_CODE,
}


def _system(os_family, device_family):
    """The operating system or kind of device, to follow "on": "Android", "an iPhone"."""
    if os_family == "iOS":
        if device_family == "iPad":
            return _("an iPad")
        return _("an iPhone") if device_family == "iPhone" else _("an Apple phone or tablet")
    if os_family in {"Mac OS X", "macOS"}:
        return _("a Mac")
    if os_family == "Chrome OS":
        return _("a Chromebook")
    if os_family in {"Ubuntu", "Fedora", "Debian", "Linux"}:
        return "Linux"
    return None if os_family in UNKNOWN else os_family


def device_described(user_agent):
    """The browser and the device or system it runs on, in plain words."""
    result = parse_user_agent(user_agent or "")
    family = result.user_agent.family if result.user_agent else None
    browser = None if family in UNKNOWN else BROWSERS.get(family, family)
    system = _system(
        result.os.family if result.os else None,
        result.device.family if result.device else None,
    )
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser:
        return browser
    if system:
        return _("A browser on %(system)s") % {"system": system}
    return _("An unknown browser or device")


def _provider_name(request, sociallogin, record):
    """The single sign-on provider's name as its trust's administrator gave it."""
    if sociallogin is not None:
        try:
            return sociallogin.account.get_provider(request).name
        except Exception:  # a provider since removed still leaves a sign-in to record
            logger.warning("No provider found for a single sign-on", exc_info=True)
    return record.get("provider", "")


def steps_of_this_sign_in(request, person):
    """allauth's record of the steps of the latest sign-in in this session, its first step
    (a password, a provider, a passkey alone) first: the records also keep earlier sign-ins in
    the same browser, and a later re-entry of a password to confirm an action is not a step."""
    steps = [
        record
        for record in get_authentication_records(request, person)
        if not record.get("reauthenticated")
    ]
    firsts = [
        index
        for index, record in enumerate(steps)
        if record.get("method") != "mfa" or record.get("passwordless")
    ]
    return steps[firsts[-1] :] if firsts else steps


def how_signed_in(request, person, *, sociallogin=None):
    """(method, second step, provider) of the latest sign-in in this session."""
    steps = steps_of_this_sign_in(request, person)
    social = [record for record in steps if record.get("method") == "socialaccount"]
    methods = {record.get("method") for record in steps}
    keys = [record for record in steps if record.get("method") == "mfa"]
    provider = ""
    if social or sociallogin is not None:
        method = SignIn.Method.SINGLE_SIGN_ON
        provider = _provider_name(request, sociallogin, social[-1] if social else {})
    elif "password" in methods:
        method = SignIn.Method.PASSWORD
    elif any(record.get("passwordless") for record in keys):
        method = SignIn.Method.PASSKEY
    else:
        method = SignIn.Method.OTHER
    second_steps = [record for record in keys if not record.get("passwordless")]
    second_step = SECOND_STEPS.get(second_steps[-1].get("type"), "") if second_steps else ""
    return method, second_step, provider


@transaction.atomic
def sign_in_record(*, person, user_agent, method, second_step="", provider=""):
    """Record a sign-in, and forget everyone's sign-ins older than the days kept.

    The person's own sign-in, written by no one else and shown to no one else: not audited
    (the audit trail is each trust's, and a sign-in is to no one trust)."""
    now = timezone.now()
    SignIn.objects.filter(at__lt=now - dt.timedelta(days=SIGN_INS_KEPT_DAYS)).delete()
    return SignIn.objects.create(
        person=person,
        at=now,
        user_agent=(user_agent or "")[:USER_AGENT_KEPT],
        device=device_described(user_agent)[: SignIn._meta.get_field("device").max_length],
        method=method,
        second_step=second_step,
        provider=provider[: SignIn._meta.get_field("provider").max_length],
    )


def on_signed_in(sender, request, user, sociallogin=None, **kwargs):
    """django-allauth has signed ``user`` in, every step done: record how."""
    method, second_step, provider = how_signed_in(request, user, sociallogin=sociallogin)
    sign_in_record(
        person=user,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        method=method,
        second_step=second_step,
        provider=provider,
    )
