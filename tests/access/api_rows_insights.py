"""The API's dashboards: the pages' people (tests/access/rows_insights.py), and integrations
with ``read_aggregates`` as a trust lead. Another school's is a 404 for its head and lead;
another trust's for everyone who may read dashboards."""

from tests.access.codes import API_MEMBERS, UNAUTHORISED, api_route

SCHOOL = {"coaching_lead": 200, "headteacher": 200, "trust_lead": 200, "int_aggregates": 200}


def _codes(allowed):
    codes = {"anonymous": UNAUTHORISED, **dict.fromkeys(API_MEMBERS, 403)}
    codes.update(allowed)
    return codes


ROWS = {
    "api:v1:school_dashboard": (
        "get",
        lambda r: {"slug": r.school.slug},
        {
            "own": _codes(SCHOOL),
            "other_school": _codes(
                {"coaching_lead": 404, "headteacher": 404, "trust_lead": 200, "int_aggregates": 200}
            ),
            "other_trust": _codes(dict.fromkeys(SCHOOL, 404)),
        },
    ),
    "api:v1:trust_dashboard": (
        "get",
        None,
        api_route({"headteacher": 200, "trust_lead": 200, "int_aggregates": 200}),
    ),
}
