"""The pages for API tokens and integrations. Every member has their own tokens, and nobody
reaches anyone else's (a 404); the trust's integrations are its administrators' alone (anyone
else a 403), and another trust's integration is a 404 even to an administrator."""

from tests.access.codes import (
    MEMBERS,
    content_route,
    only,
    page_route,
)
from tests.api.tokens import make_integration, make_token


def _teacher_token(r):
    """A token of the records' teacher: trust A's school A1 teacher is the ``teacher`` persona."""
    _secret, token = make_token(r.teacher, r.school.trust)
    return {"pk": token.pk}


def _integration(r):
    return {"pk": make_integration(r.school.trust).pk}


def _integration_token(r):
    integration = make_integration(r.school.trust)
    _secret, token = make_token(integration.account, r.school.trust, integration=integration)
    return {"pk": integration.pk, "token_pk": token.pk}


EVERY_MEMBER = page_route(dict.fromkeys(MEMBERS, 200))
ADMINISTRATORS = page_route({"administrator": 200})
# The administrator's own trust's integration (school A1's or A2's trust); trust B's is a 404.
AN_INTEGRATION = {
    "own": only({"administrator": 200}, others=403),
    "other_school": only({"administrator": 200}, others=403),
    "other_trust": only({"administrator": 404}, others=403),
}

ROWS = {
    "api:tokens": ("get", None, EVERY_MEMBER),
    "api:token_new": ("get", None, EVERY_MEMBER),
    "api:token_revoke": ("get", _teacher_token, content_route({"teacher": 200})),
    "api:integrations": ("get", None, ADMINISTRATORS),
    "api:integration_new": ("get", None, ADMINISTRATORS),
    "api:integration": ("get", _integration, AN_INTEGRATION),
    "api:integration_token_new": ("get", _integration, AN_INTEGRATION),
    "api:integration_token_revoke": ("get", _integration_token, AN_INTEGRATION),
}
