"""The API's people resources: the trust's schools for any token; people and roles for its
administrators and integrations with ``read_people``; ending a role for administrators and
integrations with ``write_roles``. Another trust's person or role is a 404."""

import datetime as dt

from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.access.codes import API_MEMBERS, UNAUTHORISED, api_route
from tests.factories import MembershipFactory

READERS = {"administrator": 200, "int_people": 200}


def _codes(allowed, *, others=403):
    codes = {"anonymous": UNAUTHORISED, **dict.fromkeys(API_MEMBERS, others)}
    codes.update(allowed)
    return codes


def _about_one(allowed):
    """A route about one person or role: theirs in another school of the trust as in the own
    school; another trust's a 404 for those allowed."""
    return {
        "own": _codes(allowed),
        "other_school": _codes(allowed),
        "other_trust": _codes(dict.fromkeys(allowed, 404)),
    }


def _current_role(records):
    """A coach's role begun last year: the administrator, asked first, ends it (200); the
    integration, asked after, is told it has ended already (400)."""
    with scopes_disabled():
        role = MembershipFactory(
            user=records.teacher,
            school=records.school,
            trust=records.school.trust,
            role=Role.COACH,
            started_on=timezone.localdate() - dt.timedelta(days=365),
        )
    return {"pk": role.pk}


def _future_role(records):
    """A coach's role starting next month: ending it today is refused (a 400) for everyone
    who may end roles, so each of them meets it as it was."""
    with scopes_disabled():
        role = MembershipFactory(
            user=records.teacher,
            school=records.school,
            trust=records.school.trust,
            role=Role.COACH,
            started_on=timezone.localdate() + dt.timedelta(days=30),
        )
    return {"pk": role.pk}


ROWS = {
    "api:v1:schools": ("get", None, api_route(dict.fromkeys(API_MEMBERS, 200))),
    "api:v1:people": ("get", None, api_route(READERS)),
    "api:v1:person": ("get", lambda r: {"pk": r.teacher.pk}, _about_one(READERS)),
    # Starting a role (POST) is in tests/api/test_people.py: the matrix's body has no person.
    "api:v1:roles": ("get", None, api_route(READERS)),
    "api:v1:role_end": (
        "post",
        _current_role,
        _about_one({"administrator": 200, "int_roles": 400}),
        lambda records: {},
    ),
}
