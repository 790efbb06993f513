"""Who a request under ``/api/v1/`` is: the holder of its ``Authorization: Bearer`` token.

Runs after the session's authentication and before ``people.middleware.TrustScopeMiddleware``.
Under ``/api/v1/`` a session never counts: the request is its token's person (or integration)
or nobody. A token that is unknown, revoked, expired or whose person has no role left in its
trust is a JSON 401 here, before any view. With a good token the request carries
``api_token`` and ``api_viewer``, which the trust scope, the session limits and the two-step
set-up read (they leave token requests alone: no session is read or written).
"""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.api.queries import token_for_secret
from coachloop.api.tokens import token_use_note
from coachloop.api.viewers import token_viewer
from coachloop.common.api_errors import json_error
from coachloop.common.tenancy import scopes_disabled

V1_PATH = "/api/v1/"
LAST_USE_PRECISION = timedelta(minutes=1)
BEARER = "bearer"


def bearer_secret(request):
    """The token in the ``Authorization`` header, ``""`` when there is none, ``None`` when the
    header is there but is not a bearer token."""
    header = request.headers.get("Authorization", "")
    if not header:
        return ""
    kind, _space, secret = header.partition(" ")
    if kind.lower() != BEARER or not secret.strip():
        return None
    return secret.strip()


def find_token(secret):
    """The usable token whose secret is ``secret``, or ``None``."""
    if not secret or len(secret) > 200:
        return None
    return token_for_secret(secret)


def _note_use(token):
    """Keep when the token was last used, to the minute: one write a minute at most, as
    sessions' last use (``people.sessions``)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_PRECISION:
        return
    token_use_note(token, now)


def unauthorised():
    return json_error(
        401,
        "not_authenticated",
        _("Send a current token: Authorization: Bearer <token>."),
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


class ApiTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(V1_PATH):
            return self.get_response(request)
        request.user = AnonymousUser()
        request.api_token = None
        request.api_viewer = None
        secret = bearer_secret(request)
        if secret == "":
            # No token: the view answers (401 for a resource; a 404 for an unknown address).
            return self.get_response(request)
        token = find_token(secret)
        if token is None:
            return unauthorised()
        with scopes_disabled():
            viewer = token_viewer(token)
        if viewer is None:
            return unauthorised()
        _note_use(token)
        request.user = token.user
        request.api_token = token
        request.api_viewer = viewer
        return self.get_response(request)
