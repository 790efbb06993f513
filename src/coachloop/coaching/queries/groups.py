"""Reads about coaching groups (dyads and action learning sets), given who is asking.

A group's sessions leave this module only for its current members (``coaching.read_group``),
each for the members who were in the group when it met (``coaching.read_group_session``): what
a group says is shared among the people there, so a member reading it is not another person's
record being read, and joining a group opens nothing said before. The school's coaching lead
gets activity built from named columns (who is in the group, how many sessions and when),
never a session's words. Each function runs a fixed number of queries, whatever the number
of groups or people.
"""

import datetime as dt
from dataclasses import dataclass

import rules
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404

from coachloop.coaching.models import CoachingGroup, GroupMember, GroupSession
from coachloop.coaching.rules.groups import STAFF_ROLES, member_since
from coachloop.people.models import Membership, User
from coachloop.people.rules import check_runs_school

READ = "coaching.read_group"
WRITE = "coaching.write_group"
RUN = "coaching.run_group"
READ_SESSION = "coaching.read_group_session"
WRITE_SESSION = "coaching.write_group_session"


def _pk(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _current_members_prefetch(to_attr="current_members"):
    return Prefetch(
        "members",
        queryset=GroupMember.objects.filter(left_on__isnull=True).select_related("person"),
        to_attr=to_attr,
    )


def _with_sessions(queryset):
    return queryset.annotate(session_count=Count("sessions"), last_met=Max("sessions__met_on"))


def next_due(group):
    """When the group's next meeting is due, from its last one and its rhythm, or ``None``."""
    if not group.cadence_days or group.finished_on is not None:
        return None
    last = getattr(group, "last_met", None) or group.started_on
    return last + dt.timedelta(days=group.cadence_days)


# -- the coaching lead: activity only ----------------------------------------------------------


def school_staff(viewer, *, school, on=None):
    """People who teach or coach at a school the viewer leads: who a group may be made of."""
    check_runs_school(viewer, school, hide=True)
    staff = Membership.objects.current(on).filter(
        trust=viewer.trust, school=school, role__in=STAFF_ROLES
    )
    return User.objects.filter(pk__in=staff.values("user_id")).order_by("full_name", "pk")


@dataclass
class LeadGroupRow:
    """What a coaching lead sees of one group: that it exists, who is in it, how often it
    has met. Nothing said in its sessions."""

    pk: int
    name: str
    kind: str
    started_on: object
    finished_on: object
    members: list
    session_count: int
    last_met: object


def _lead_rows(groups, members):
    kinds = dict(CoachingGroup.Kind.choices)
    names = {}
    for group_id, full_name in members:
        names.setdefault(group_id, []).append(full_name)
    return [
        LeadGroupRow(
            pk=g["pk"],
            name=g["name"],
            kind=kinds.get(g["kind"], g["kind"]),
            started_on=g["started_on"],
            finished_on=g["finished_on"],
            members=names.get(g["pk"], []),
            session_count=g["session_count"],
            last_met=g["last_met"],
        )
        for g in groups
    ]


@dataclass
class LeadGroups:
    running: list
    ended: list


def lead_groups(viewer, *, school):
    """The school's groups, running and ended, as activity (two queries)."""
    check_runs_school(viewer, school, hide=True)
    groups = list(
        _with_sessions(CoachingGroup.objects.filter(trust=viewer.trust, school=school))
        .order_by("name", "pk")
        .values("pk", "name", "kind", "started_on", "finished_on", "session_count", "last_met")
    )
    members = GroupMember.objects.filter(
        group__school=school, group__trust=viewer.trust, left_on__isnull=True
    ).values_list("group_id", "person__full_name")
    rows = _lead_rows(groups, members) if groups else []
    return LeadGroups(
        running=[r for r in rows if r.finished_on is None],
        ended=[r for r in rows if r.finished_on is not None],
    )


def led_group_for(viewer, *, school, pk):
    """A group at a school the viewer leads, or 404. Carries no session's words."""
    check_runs_school(viewer, school, hide=True)
    group = (
        CoachingGroup.objects.filter(trust=viewer.trust, school=school, pk=_pk(pk))
        .select_related("facilitator", "school")
        .first()
    )
    if group is None:
        raise Http404
    return group


@dataclass
class LeadGroupPage:
    group: CoachingGroup
    current_members: list
    earlier_members: list
    session_dates: list
    next_due: object


def lead_group_page(viewer, *, group):
    """One group as its coaching lead sees it: members over time and the dates it met."""
    if not rules.test_rule(RUN, viewer, group):
        raise Http404
    members = list(GroupMember.objects.filter(group=group).select_related("person"))
    dates = list(
        GroupSession.objects.filter(group=group)
        .order_by("-met_on", "-pk")
        .values_list("met_on", flat=True)
    )
    group.last_met = dates[0] if dates else None
    return LeadGroupPage(
        group=group,
        current_members=[m for m in members if m.left_on is None],
        earlier_members=sorted(
            (m for m in members if m.left_on is not None), key=lambda m: m.left_on, reverse=True
        ),
        session_dates=dates,
        next_due=next_due(group),
    )


def addable_staff(viewer, *, group):
    """Staff of the group's school who are not in it now: who may join."""
    return school_staff(viewer, school=group.school).exclude(
        pk__in=GroupMember.objects.filter(group=group, left_on__isnull=True).values("person_id")
    )


def led_member_for(viewer, *, group, pk):
    """A current member of a group the viewer runs, or 404."""
    if not rules.test_rule(RUN, viewer, group):
        raise Http404
    member = (
        GroupMember.objects.filter(group=group, pk=_pk(pk), left_on__isnull=True)
        .select_related("person")
        .first()
    )
    if member is None:
        raise Http404
    return member


# -- members -----------------------------------------------------------------------------------


@dataclass
class MyGroups:
    running: list
    ended: list


def my_groups(viewer):
    """The groups the viewer is in now, at a school where they still teach or coach."""
    schools = {m.school_id for m in viewer.memberships if m.role in STAFF_ROLES and m.school_id}
    groups = list(
        _with_sessions(
            CoachingGroup.objects.filter(
                trust=viewer.trust,
                school__in=schools,
                members__person=viewer.user,
                members__left_on__isnull=True,
            )
        )
        .select_related("facilitator")
        .prefetch_related(_current_members_prefetch())
        .order_by("name", "pk")
    )
    for group in groups:
        group.next_due = next_due(group)
    return MyGroups(
        running=[g for g in groups if g.finished_on is None],
        ended=[g for g in groups if g.finished_on is not None],
    )


def group_for(viewer, pk, *, rule=READ):
    """A group the viewer may act on under ``rule``, or 404 (never a hint it exists)."""
    group = CoachingGroup.objects.filter(pk=_pk(pk)).select_related("facilitator", "school").first()
    if group is None or not rules.test_rule(rule, viewer, group):
        raise Http404
    return group


@dataclass
class GroupPage:
    group: CoachingGroup
    can_write: bool
    current_members: list
    earlier_members: list
    sessions: list
    session_count: int
    open_actions: list
    next_due: object
    joined_on: object = None  # for a member who joined after the group began
    earlier_count: int = 0  # sessions before they joined: not shown to them


def _before_joining(group, since):
    """How many times the group met before ``since``, and when it last did (activity only,
    one query)."""
    return GroupSession.objects.filter(group=group, met_on__lt=since).aggregate(
        count=Count("pk"), last=Max("met_on")
    )


def group_page(viewer, *, group, session_limit=None):
    """A group's page for one of its members: who is in it, the actions waiting to be heard
    about, and its sessions since they joined, newest first."""
    if not rules.test_rule(READ, viewer, group):
        raise Http404
    can_write = group.finished_on is None  # READ passed: a member; running means writable
    since = member_since(viewer, group)
    members = list(GroupMember.objects.filter(group=group).select_related("person"))
    sessions = list(
        GroupSession.objects.filter(group=group, met_on__gte=since).select_related(
            "presenter", "recorded_by"
        )
    )
    earlier = {"count": 0, "last": None}
    if since > group.started_on:
        earlier = _before_joining(group, since)
    group.last_met = sessions[0].met_on if sessions else earlier["last"]
    return GroupPage(
        group=group,
        can_write=can_write,
        current_members=[m for m in members if m.left_on is None],
        earlier_members=[m for m in members if m.left_on is not None],
        sessions=sessions[:session_limit] if session_limit else sessions,
        session_count=len(sessions),
        open_actions=[s for s in sessions if s.action and s.reported_on is None],
        next_due=next_due(group),
        joined_on=since if since > group.started_on else None,
        earlier_count=earlier["count"],
    )


def current_members(viewer, *, group, session=None):
    """The people in the group now (who may bring a problem), by name; with ``session``,
    also whoever brought its problem, who stays a valid choice after leaving the group."""
    if not rules.test_rule(READ, viewer, group):
        raise Http404
    people = Q(
        pk__in=GroupMember.objects.filter(group=group, left_on__isnull=True).values("person_id")
    )
    if session is not None and session.presenter_id is not None:
        people |= Q(pk=session.presenter_id)
    return User.objects.filter(people).order_by("full_name", "pk")


def open_actions(viewer, *, group):
    """Actions set at earlier sessions, since the viewer joined, that the group has not yet
    heard about."""
    if not rules.test_rule(READ, viewer, group):
        raise Http404
    return list(
        GroupSession.objects.filter(
            group=group, reported_on__isnull=True, met_on__gte=member_since(viewer, group)
        )
        .exclude(action="")
        .select_related("presenter")
    )


def group_session_for(viewer, pk, *, rule=READ_SESSION):
    """One session the viewer may act on under ``rule`` (``READ_SESSION`` or
    ``WRITE_SESSION``: a member who was in the group when it met), or 404."""
    session = (
        GroupSession.objects.filter(pk=_pk(pk))
        .select_related("group__facilitator", "group__school", "presenter", "recorded_by")
        .first()
    )
    if session is None or not rules.test_rule(rule, viewer, session):
        raise Http404
    return session
