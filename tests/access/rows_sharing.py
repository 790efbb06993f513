"""Sharing: a teacher shares their own items (anyone else's item, or another school's or
trust's, is a 404); each person has their own "what I have shared" and "shared with me" pages;
only the teacher stops their share; an item is read under a share by its grantee only (here a
colleague, the school's other coach), and is a 404 for everyone else, the teacher's own coach
and every leader included."""

import datetime as dt

from django.utils import timezone

from coachloop.coaching.models import Reflection, ShareGrant
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from tests.access.codes import MEMBERS, content_route, page_route
from tests.access.rows_learning import evidence_file

EVERY_MEMBER = page_route(dict.fromkeys(MEMBERS, 200))


def _dropin(records):
    return {"kind": "dropin", "item_id": records.dropin.pk}


def _colleague(records):
    """Another coach at the teacher's school (not theirs), else the school's coaching lead."""
    with scopes_disabled():
        others = (
            Membership.objects.filter(school=records.school, role=Role.COACH)
            .exclude(user=records.coach)
            .order_by("pk")
        )
        found = (
            others.first()
            or Membership.objects.filter(school=records.school, role=Role.COACHING_LEAD)
            .order_by("pk")
            .first()
        )
    return found.user


def _share(records, item, kind, **grant_fields):
    """``item`` shared with a colleague for a month (unless ``grant_fields`` say otherwise)."""
    fields = {"expires_on": timezone.localdate() + dt.timedelta(days=30), **grant_fields}
    with scopes_disabled():
        grant = ShareGrant.objects.create(
            trust=records.school.trust,
            owner=records.teacher,
            grantee=_colleague(records),
            item_kind=kind,
            item_id=item.pk,
            item_title=item.title,
            created_at=timezone.now(),
            **fields,
        )
    return {"grant_id": grant.pk}


def _grant(records):
    """The teacher's reflection, shared with a colleague for a month."""
    with scopes_disabled():
        reflection = Reflection.objects.create(
            trust=records.school.trust,
            teacher=records.teacher,
            written_on=timezone.localdate(),
            title="Calmer starts",
            body="The door routine is working.",
        )
    return _share(records, reflection, ShareGrant.Item.REFLECTION)


def _shared_file(**grant_fields):
    """A piece of the teacher's evidence, a file on one of their goals, shared."""

    def kwargs(records):
        item = evidence_file(records)
        return _share(records, item, ShareGrant.Item.EVIDENCE, **grant_fields)

    return kwargs


ROWS = {
    "coaching:share_new": ("get", _dropin, content_route({"teacher": 200})),
    "coaching:my_shares": ("get", None, EVERY_MEMBER),
    "coaching:share_revoke": ("post", _grant, content_route({"teacher": 302})),
    "coaching:shared_with_me": ("get", None, EVERY_MEMBER),
    "coaching:shared_item": ("get", _grant, content_route({"other_coach": 200})),
}

# A shared file itself (``?file=1``), while the share is in force and once it is not.
VARIANTS = {
    "coaching:shared_item#file": (
        "get",
        _shared_file(),
        content_route({"other_coach": 200}),
        "file=1",
    ),
    "coaching:shared_item#file_stopped": (
        "get",
        _shared_file(revoked_at=timezone.now()),
        content_route({}),
        "file=1",
    ),
    "coaching:shared_item#file_ended": (
        "get",
        _shared_file(expires_on=timezone.localdate() - dt.timedelta(days=1)),
        content_route({}),
        "file=1",
    ),
}
