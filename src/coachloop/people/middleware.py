"""The request's viewer and trust scope, found from the signed-in person's memberships.

Every page runs in one trust's scope. A person with current roles in more than one trust
works in the one they chose (``services.trust_choose`` keeps it in the session); until they
have chosen, or once the trust they chose has no current role of theirs and more than one
trust still does, every page sends them to choose. Only the pages about the account itself
(signing in and out, passwords, the choice), all under ``ACCOUNT_PATH``, still open, with no
viewer and no trust scope.

``SessionLimitsMiddleware`` holds signed-in sessions to their limits (``people.sessions``).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from coachloop.common.tenancy import trust_scope
from coachloop.people.backends import take_current_memberships
from coachloop.people.queries import viewer_for
from coachloop.people.sessions import ended_message, session_ended

SESSION_TRUST_KEY = "coachloop_trust_id"
# Set when the session was signed in through a trust's own provider: that trust's identity
# service vouches for the person there only, so the session works in that trust alone.
SESSION_SIGNED_IN_FOR_TRUST_KEY = "coachloop_signed_in_for_trust_id"
ACCOUNT_PATH = "/accounts/"


class TrustScopeMiddleware:
    """Sets ``request.viewer`` and runs the request inside the viewer's trust scope.

    Without a signed-in member no trust scope is opened, so any tenant query fails closed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = None
        if getattr(request, "api_token", None) is not None:
            # A token's request (coachloop.api's middleware found its viewer, in the token's
            # trust): no session is read and no trust is chosen.
            request.viewer = request.api_viewer
        elif request.user.is_authenticated:
            chosen = request.session.get(SESSION_TRUST_KEY)
            viewer = viewer_for(
                request.user,
                trust_id=chosen,
                only_trust_id=request.session.get(SESSION_SIGNED_IN_FOR_TRUST_KEY),
                memberships=take_current_memberships(request.user),
            )
            if viewer is not None and viewer.works_in_several_trusts and viewer.trust.pk != chosen:
                if not request.path_info.startswith(ACCOUNT_PATH):
                    return to_the_choice(request)
                viewer = None
            request.viewer = viewer
        if request.viewer is None:
            return self.get_response(request)
        with trust_scope(request.viewer.trust):
            return self.get_response(request)


def to_the_choice(request):
    """Send the person to choose a trust, then back to the page they asked for (when it was
    a page to read: a form sent without a trust is not sent again)."""
    url = reverse("trust_choose")
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    if request.method in ("GET", "HEAD") and request.path_info != "/":
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    return redirect(url)


class SessionLimitsMiddleware:
    """Signs the person out when their session has ended (``people.sessions``: unused for
    their trust's idle time, signed in too long ago, or no role left), and sends them to the
    sign-in page, which says why. An htmx request is sent there by an ``HX-Redirect``.

    Runs after ``TrustScopeMiddleware``: the idle time is the viewer's trust's setting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A token's request has no session to end (coachloop.api checks the token instead).
        if request.user.is_authenticated and getattr(request, "api_token", None) is None:
            ended = session_ended(request)
            if ended is not None:
                return self.sign_out(request, ended)
        return self.get_response(request)

    def sign_out(self, request, ended):
        message = ended_message(ended, getattr(request, "viewer", None))
        logout(request)
        request.viewer = None
        messages.warning(request, message)
        htmx = getattr(request, "htmx", None)
        if htmx:
            return HttpResponseClientRedirect(_sign_in_url(htmx.current_url_abs_path))
        return redirect(_sign_in_url(request.get_full_path() if request.method == "GET" else None))


def _sign_in_url(back_to):
    """The sign-in page, then back to ``back_to`` (a path on this site), when given."""
    if back_to:
        return redirect_to_login(back_to).url
    return resolve_url(settings.LOGIN_URL)
