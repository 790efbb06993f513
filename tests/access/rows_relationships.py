"""Kinds of coaching, ending and handover: the school's coaching lead starts, ends and hands
over coaching (a lead of another school or trust is shown a 404, anyone else a 403); the
teacher answers about their earlier notes; the new coach reads the earlier coaching."""

import datetime as dt

from django.utils import timezone

from coachloop.coaching.models import Relationship
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.access.codes import content_route, only
from tests.factories import DropInFactory, MembershipFactory, RelationshipFactory, UserFactory
from tests.world import SECRET_NOTE

LEAD_ONLY = {
    "own": only({"coaching_lead": 200}, others=403),
    "other_school": only({"coaching_lead": 404}, others=403),
    "other_trust": only({"coaching_lead": 404}, others=403),
}
TEACHER_ONLY = {
    "own": only({"teacher": 200}, others=403),
    "other_school": only({"teacher": 404}, others=403),
    "other_trust": only({"teacher": 404}, others=403),
}


def _school(records):
    return {"school_slug": records.school.slug}


def _start(records):
    return {"school_slug": records.school.slug, "kind": "mentoring"}


def _relationship(records):
    return {"relationship_id": records.relationship.pk}


def _handed_over(records):
    """The records' coaching, handed over to their coach from a former coach, whose own
    reading period is over; the earlier coaching has a note nobody else may read."""
    today = timezone.localdate()
    with scopes_disabled():
        former = UserFactory(full_name="Former Coach")
        MembershipFactory(user=former, school=records.school, role=Role.COACH)
        earlier = RelationshipFactory(
            school=records.school,
            coach=former,
            teacher=records.teacher,
            started_on=today - dt.timedelta(days=200),
            finished_on=today - dt.timedelta(days=90),
            coach_reads_until=today - dt.timedelta(days=60),
        )
        DropInFactory(
            relationship=earlier,
            noticed=f"{SECRET_NOTE} earlier",
            visited_on=today - dt.timedelta(days=100),
        )
        Relationship.objects.filter(pk=records.relationship.pk).update(handed_over_from=earlier)
    return {"relationship_id": records.relationship.pk}


ROWS = {
    "coaching:relationship_new": ("get", _school, LEAD_ONLY),
    "coaching:relationship_start": ("get", _start, LEAD_ONLY),
    "coaching:relationship_end": ("get", _relationship, LEAD_ONLY),
    "coaching:relationship_handover": ("get", _relationship, LEAD_ONLY),
    "coaching:earlier_consent": ("get", _handed_over, TEACHER_ONLY),
    "coaching:earlier_record": ("get", _handed_over, content_route({"coach": 200})),
}
