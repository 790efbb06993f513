"""The API's frameworks: any member's own token reads the trust's versions (not an
integration's); only an administrator loads one; the JSON Schemas are public."""

from coachloop.frameworks.loader import starter_framework_data
from tests.access.codes import API_MEMBERS, API_PERSONAS, PERSONAS, UNAUTHORISED, api_route

MEMBERS = {persona: 200 for persona in PERSONAS if persona != "anonymous"}


def _version(records):
    return {"pk": records.framework_step.strand.version_id}


def _codes(allowed):
    codes = {"anonymous": UNAUTHORISED, **dict.fromkeys(API_MEMBERS, 403)}
    codes.update(allowed)
    return codes


def _starter_without_references():
    """The starter framework, its steps mapped to no reference framework (the test world loads
    none)."""
    document = starter_framework_data()
    for strand in document["strands"]:
        for step in strand["steps"]:
            step.pop("maps_to", None)
    return document


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
    # The starter framework, loaded as a framework of the trust's by the administrator alone.
    "api:v1:framework_import": (
        "post",
        None,
        api_route({"administrator": 201}),
        lambda records: _starter_without_references(),
    ),
    "api:v1:schema_framework": ("get", None, {"own": dict.fromkeys(API_PERSONAS, 200)}),
    "api:v1:schema_teacher_record": ("get", None, {"own": dict.fromkeys(API_PERSONAS, 200)}),
}
