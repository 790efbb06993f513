"""Who must use two-step sign-in, and making them set it up before anything else.

Two-step sign-in is django-allauth's: an authenticator app (a code that changes every 30
seconds) or a passkey or security key, with recovery codes for when neither is at hand.
Headteachers, trust leads and administrators must use it, and so must anyone a higher app says
(``contribute``: programme leads, from ``programmes``), because their accounts reach figures
about many people; a trust can ask it of everyone (``Trust.two_step_for_everyone``). It is an
account's, not a trust's: someone who must use it in one trust uses it in every trust.

Whether a person must set it up is decided when they sign in (``decide_at_sign_in``) and kept
in their session, so a page costs nothing more; someone who must and has not is sent to set it
up (``TwoStepSetUpMiddleware``) until they have. A role given while signed in counts from the
next sign-in. Removing their only way of doing it is refused to anyone who must use it
(``people.two_step_signin.TwoStepAdapter``), and an administrator's reset ends every session.
"""

import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role

LEADER_ROLES = frozenset({Role.HEADTEACHER, Role.TRUST_LEAD, Role.ADMINISTRATOR})
# The ways of doing the second step; recovery codes only stand in for them.
SECOND_STEPS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# A check from a higher app: given a person and the trusts (ids) where they hold a current role
# and two-step sign-in is not waived, whether that app needs them to use it in any of them.
Check = Callable[[object, set], bool]
_CHECKS: list[Check] = []


def contribute(check: Check):
    """Add a higher app's reason to use two-step sign-in (from its ``AppConfig.ready``)."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def must_use_two_step(person) -> bool:
    """Whether ``person`` must use two-step sign-in: a current leader's role in any trust, a
    current role in a trust that asks it of everyone, or a higher app's reason. Trusts that
    waive it (only the demo's) do not count."""
    with scopes_disabled():
        roles = list(
            Membership.objects.current()
            .filter(user=person, trust__two_step_waived_for_demo=False)
            .values_list("trust_id", "role", "trust__two_step_for_everyone")
        )
        if any(role in LEADER_ROLES or everyone for _trust, role, everyone in roles):
            return True
        trust_ids = {trust_id for trust_id, _role, _everyone in roles}
        return bool(trust_ids) and any(check(person, trust_ids) for check in _CHECKS)


def has_two_step(person) -> bool:
    """Whether ``person`` has set up an authenticator app or a passkey or security key."""
    return Authenticator.objects.filter(user_id=person.pk, type__in=SECOND_STEPS).exists()


# The session remembers what was decided at sign-in: OK, or two-step sign-in to set up.
SESSION_KEY = "coachloop_two_step"
# When, in this session, the person finished setting up the two-step sign-in they were made
# to set up (their recovery codes are shown next, without asking for the password again).
SET_UP_AT_KEY = "coachloop_two_step_set_up_at"
OK, SET_UP = "ok", "set_up"


def _decide(person):
    return SET_UP if must_use_two_step(person) and not has_two_step(person) else OK


@receiver(user_logged_in, dispatch_uid="coachloop.people.two_step.decide_at_sign_in")
def decide_at_sign_in(sender, request, user, **kwargs):
    """At sign-in (by any route), decide whether the person must set up two-step sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = _decide(user)


# What someone who must set up two-step sign-in may still open: setting it up (and confirming
# their password first), signing out, choosing a password, and the pages about Coachloop.
SET_UP_PAGES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "logout",
        "account_logout",
        "account_change_password",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "privacy",
        "accessibility",
    }
)


def _route_name(path):
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


class TwoStepSetUpMiddleware:
    """Send someone who must use two-step sign-in, and has not set it up, to set it up.

    ``request.two_step_to_set_up`` tells the pages they may open (the setting-up pages) to say
    why they are there. Runs after the authentication middleware; a session from before this
    was decided is decided on its first request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.two_step_to_set_up = False
        # A token's request has no session to hold the decision, and no page to send it to.
        if request.user.is_authenticated and getattr(request, "api_token", None) is None:
            state = request.session.get(SESSION_KEY)
            if state is None or (state == SET_UP and has_two_step(request.user)):
                was = state
                state = request.session[SESSION_KEY] = _decide(request.user)
                if was == SET_UP and state != SET_UP:
                    request.session[SET_UP_AT_KEY] = time.time()
            if state == SET_UP:
                request.two_step_to_set_up = True
                if _route_name(request.path_info) not in SET_UP_PAGES:
                    return _to_set_up(request)
        return self.get_response(request)


def _to_set_up(request):
    url = reverse("mfa_index")
    if getattr(request, "htmx", False):
        # htmx follows this header with a whole page, rather than swapping a part of one.
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)
