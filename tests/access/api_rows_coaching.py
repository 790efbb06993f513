"""The API's coaching resources. A school's activity and visits are its coaching lead's and
the ``read_activity`` integration's (of school A1 only): another school or trust is a 404 for
them, a 403 for everyone else. Content (the own record, a coach's teachers, drop-ins) is a
person's, never an integration's (403); a drop-in is its teacher's and coach's (404 for anyone
else, and for everyone in another school or trust), and only its coach records one."""

import uuid

from django.utils import timezone

from tests.access.codes import API_MEMBERS, UNAUTHORISED, api_route

INTEGRATIONS = ("int_people", "int_activity", "int_aggregates", "int_roles")


def _codes(allowed, *, others):
    codes = {"anonymous": UNAUTHORISED}
    codes.update(dict.fromkeys(API_MEMBERS, others))
    codes.update(allowed)
    return codes


def _people_only(allowed, *, others=404):
    """Content: integrations 403 everywhere; people ``allowed`` on their own school's, a 404
    for everything else."""
    refused = dict.fromkeys(INTEGRATIONS, 403)
    return {
        "own": _codes({**allowed, **refused}, others=others),
        "other_school": _codes(refused, others=404),
        "other_trust": _codes(refused, others=404),
    }


def _leads(code):
    readers = ("coaching_lead", "int_activity")
    return {
        "own": _codes(dict.fromkeys(readers, code), others=403),
        "other_school": _codes(dict.fromkeys(readers, 404), others=403),
        "other_trust": _codes(dict.fromkeys(readers, 404), others=403),
    }


def _school(records):
    return {"school_slug": records.school.slug}


def _relationship(records):
    return {"relationship_id": records.relationship.pk}


def _dropin(records):
    return {"dropin_id": records.dropin.pk}


def _new_dropin(records):
    """A whole drop-in, with its own ``uuid`` (only the coach may record it, once)."""
    return {
        "uuid": str(uuid.uuid4()),
        "visited_on": timezone.localdate().isoformat(),
        "class_or_group": "9X2",
        "minutes": 15,
        "strengths": "A clear signal for attention, used every time.",
        "followup": "emerging",
    }


PEOPLE = {persona: 200 for persona in API_MEMBERS if not persona.startswith("int_")}

ROWS = {
    "api:v1:school_activity": ("get", _school, _leads(200)),
    "api:v1:school_visits": ("get", _school, _leads(200)),
    "api:v1:my_record": ("get", None, api_route(PEOPLE)),
    "api:v1:coaching": ("get", None, api_route({"coach": 200, "other_coach": 200})),
    "api:v1:dropins": ("post", _relationship, _people_only({"coach": 201}), _new_dropin),
    "api:v1:dropin": ("get", _dropin, _people_only({"teacher": 200, "coach": 200})),
}
