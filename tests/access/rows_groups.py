"""Coaching groups: a school's groups are run by its coaching lead (a lead of another school
or trust gets a 404, anyone else a 403), who sees activity only; a group's sessions are for
its current members (here the school's teacher and coach) and a 404 for everyone else, the
lead, head, trust lead, administrator and other coaches included."""

from coachloop.common.tenancy import scopes_disabled
from tests.access.codes import MEMBERS, content_route, only, page_route
from tests.coaching.groups_fixtures import group_in

LEAD_ONLY = {
    "own": only({"coaching_lead": 200}, others=403),
    "other_school": only({"coaching_lead": 404}, others=403),
    "other_trust": only({"coaching_lead": 404}, others=403),
}
MEMBERS_ONLY = content_route({"teacher": 200, "coach": 200})


def _school(records):
    return {"school_slug": records.school.slug}


def _led_group(records):
    return {"school_slug": records.school.slug, "group_id": group_in(records).pk}


def _led_member(records):
    group = group_in(records, extra=2)
    with scopes_disabled():
        member = group.members.order_by("-pk").first()
    return {"school_slug": records.school.slug, "group_id": group.pk, "member_id": member.pk}


def _group(records):
    return {"group_id": group_in(records).pk}


def _session(records):
    with scopes_disabled():
        return {"session_id": group_in(records).sessions.get().pk}


ROWS = {
    "coaching:lead_groups": ("get", _school, LEAD_ONLY),
    "coaching:lead_group_new": ("get", _school, LEAD_ONLY),
    "coaching:lead_group": ("get", _led_group, LEAD_ONLY),
    "coaching:lead_group_member_add": ("get", _led_group, LEAD_ONLY),
    "coaching:lead_group_member_remove": ("get", _led_member, LEAD_ONLY),
    "coaching:lead_group_end": ("get", _led_group, LEAD_ONLY),
    "coaching:my_groups": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    "coaching:group": ("get", _group, MEMBERS_ONLY),
    "coaching:group_session_new": ("get", _group, MEMBERS_ONLY),
    "coaching:group_session_edit": ("get", _session, MEMBERS_ONLY),
    "coaching:group_action_report": ("get", _session, MEMBERS_ONLY),
}
