"""The API's programmes resources: the programmes a person leads (an empty list for anyone
who leads none), and an assignment's released marks, its programme's lead's alone (a 403 for
its tutor and moderator, a 404 for anyone not on its staff and for another trust's
assignment). Integrations are refused both, ``read_marks`` included (docs/api.md)."""

from tests.access.codes import API_MEMBERS, UNAUTHORISED, api_route
from tests.access.programme_records import programme_for

INTEGRATIONS = {"int_people": 403, "int_activity": 403, "int_aggregates": 403, "int_roles": 403}


def _codes(allowed, *, others):
    codes = {"anonymous": UNAUTHORISED}
    codes.update(dict.fromkeys(API_MEMBERS, others))
    codes.update(INTEGRATIONS)
    codes.update(allowed)
    return codes


def _assignment(records):
    return {"assignment_id": programme_for(records).assignment.pk}


LEAD_ONLY = _codes({"programme_lead": 200, "tutor": 403, "moderator": 403}, others=404)

ROWS = {
    "api:v1:programmes": (
        "get",
        None,
        api_route({p: 200 for p in API_MEMBERS if p not in INTEGRATIONS}),
    ),
    "api:v1:released_marks": (
        "get",
        _assignment,
        {"own": LEAD_ONLY, "other_school": LEAD_ONLY, "other_trust": _codes({}, others=404)},
    ),
}
