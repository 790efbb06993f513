"""Expected status codes for the permission matrix, and helpers to write them briefly.

Each area keeps its rows in a ``rows_<area>.py`` module beside this one, as a ``ROWS`` dict:
route name -> (method, kwargs builder, expected codes per target and persona). The kwargs
builder is given one school's ``Records`` (tests.world) and may create what it needs.
"""

PERSONAS = [
    "anonymous",
    "teacher",
    "coach",
    "other_coach",
    "coaching_lead",
    "headteacher",
    "trust_lead",
    "administrator",
    "programme_lead",
    "tutor",
    "moderator",
]
TARGETS = ["own", "other_school", "other_trust"]
MEMBERS = PERSONAS[1:]

LOGIN = 302  # anonymous people are sent to sign in


def only(allowed, *, others):
    """``allowed`` personas get their code; every other member gets ``others``."""
    codes = {"anonymous": LOGIN}
    codes.update(dict.fromkeys(MEMBERS, others))
    codes.update(allowed)
    return codes


def everyone(code):
    return dict.fromkeys(PERSONAS, code)


NOT_FOUND_FOR_MEMBERS = only({}, others=404)


def content_route(allowed, *, others=404):
    """A route about one record: another school's or trust's record is a 404 for everyone."""
    return {
        "own": only(allowed, others=others),
        "other_school": NOT_FOUND_FOR_MEMBERS,
        "other_trust": NOT_FOUND_FOR_MEMBERS,
    }


def page_route(allowed, *, others=403):
    return {"own": only(allowed, others=others)}


def public_route(code=200):
    return {"own": everyone(code)}


# The API (tests/access/test_api_matrix.py): each persona with a token of their own in trust A,
# and trust A's integrations with one scope each (tests.api.tokens.INTEGRATION_SCOPES).
# ``anonymous`` sends no token. Rows live in ``api_rows_<area>.py`` modules beside this one.
API_PERSONAS = PERSONAS + ["int_people", "int_activity", "int_aggregates", "int_roles"]
API_MEMBERS = API_PERSONAS[1:]
UNAUTHORISED = 401  # no token, or one that is not current


def api_route(allowed, *, others=403):
    """An API route about the trust: ``allowed`` personas get their code; every other
    token's holder ``others``; no token a 401."""
    codes = {"anonymous": UNAUTHORISED}
    codes.update(dict.fromkeys(API_MEMBERS, others))
    codes.update(allowed)
    return {"own": codes}
