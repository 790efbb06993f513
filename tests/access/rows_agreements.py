"""Learning agreements are content: the teacher and coach of a relationship (and a group's
members) reach them; every other role, however senior, and every other school or trust gets a
404. Anyone signed in has their own list of agreements (empty if they have none)."""

import datetime as dt

from django.utils import timezone

from coachloop.coaching.models import (
    AgreementConsent,
    AgreementVersion,
    CoachingGroup,
    GroupMember,
)
from coachloop.common.tenancy import scopes_disabled
from tests.access.codes import MEMBERS, content_route, page_route

PARTIES = content_route({"teacher": 200, "coach": 200})
# Agreeing redirects back to the agreement (with a message if it was already agreed).
AGREEING = content_route({"teacher": 302, "coach": 302})


def _version(records, **subject):
    """Version 1, proposed (and so agreed) by the coach, waiting for the teacher. Made once:
    some matrix tests ask for the same route's arguments again."""
    existing = AgreementVersion.objects.filter(number=1, **subject).first()
    if existing is not None:
        return existing
    now = timezone.now()
    version = AgreementVersion.objects.create(
        trust=records.school.trust,
        number=1,
        ground_rules="We meet when we say we will.",
        confidentiality="What we say stays between us.",
        sharing="The teacher decides what is shared.",
        meeting_frequency="Every two weeks.",
        proposed_by=records.coach,
        proposed_at=now,
        **subject,
    )
    AgreementConsent.objects.create(
        trust=records.school.trust, version=version, person=records.coach, agreed_at=now
    )
    return version


def _relationship(records):
    return {"relationship_id": records.relationship.pk}


def _relationship_version(records):
    with scopes_disabled():
        version = _version(records, relationship=records.relationship)
    return {"relationship_id": records.relationship.pk, "number": version.number}


def _group(records):
    """A dyad of the school's teacher and coach."""
    with scopes_disabled():
        group = CoachingGroup.objects.create(
            trust=records.school.trust,
            school=records.school,
            kind=CoachingGroup.Kind.DYAD,
            name="Dyad",
            started_on=timezone.localdate() - dt.timedelta(days=20),
            created_by=records.coach,
        )
        for person in (records.teacher, records.coach):
            GroupMember.objects.create(
                trust=group.trust, group=group, person=person, joined_on=group.started_on
            )
    return group


def _group_only(records):
    return {"group_id": _group(records).pk}


def _group_version(records):
    group = _group(records)
    with scopes_disabled():
        version = _version(records, group=group)
    return {"group_id": group.pk, "number": version.number}


ROWS = {
    "coaching:agreements_mine": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    "coaching:agreement": ("get", _relationship, PARTIES),
    "coaching:agreement_propose": ("get", _relationship, PARTIES),
    "coaching:agreement_version": ("get", _relationship_version, PARTIES),
    "coaching:agreement_agree": ("post", _relationship_version, AGREEING),
    "coaching:group_agreement": ("get", _group_only, PARTIES),
    "coaching:group_agreement_propose": ("get", _group_only, PARTIES),
    "coaching:group_agreement_version": ("get", _group_version, PARTIES),
    "coaching:group_agreement_agree": ("post", _group_version, AGREEING),
}
