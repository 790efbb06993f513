"""The API's frameworks: any member's own token reads the trust's versions (not an
integration's); only an administrator loads one; the JSON Schemas are public."""

from tests.access.codes import API_MEMBERS, API_PERSONAS, PERSONAS, UNAUTHORISED, api_route

MEMBERS = {persona: 200 for persona in PERSONAS if persona != "anonymous"}


def _version(records):
    return {"pk": records.framework_step.strand.version_id}


def _codes(allowed):
    codes = {"anonymous": UNAUTHORISED, **dict.fromkeys(API_MEMBERS, 403)}
    codes.update(allowed)
    return codes


ROWS = {
    "api:v1:frameworks": ("get", None, api_route(MEMBERS)),
    "api:v1:framework_version": (
        "get",
        _version,
        {
            "own": _codes(MEMBERS),
            "other_school": _codes(MEMBERS),
            "other_trust": _codes(dict.fromkeys(MEMBERS, 404)),
        },
    ),
    # The matrix's body is no framework: the administrator is told its problems.
    "api:v1:framework_import": ("post", None, api_route({"administrator": 400})),
    "api:v1:schema_framework": ("get", None, {"own": dict.fromkeys(API_PERSONAS, 200)}),
    "api:v1:schema_teacher_record": ("get", None, {"own": dict.fromkeys(API_PERSONAS, 200)}),
}
