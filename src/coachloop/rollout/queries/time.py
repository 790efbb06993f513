"""Reads about time: protected coaching slots, CPD sessions (twilights) and calendar feeds.

Every function is given the ``viewer`` (who is asking). A school's slots and sessions are for
its coaching lead; another school's or trust's are a 404. A coach reads their own slots and
anyone their own invitations. Each function runs a fixed number of queries, whatever the
number of staff, slots or sessions.

The calendar feed is read without a session: its address (a person's id and a secret token)
is the key. ``feed_by_address`` finds the feed with scopes disabled, and the caller then reads
``feed_data`` inside that feed's trust scope, as that person. Nothing here reads a drop-in's
notes or a rehearsal's plan: the feed is built from named columns only.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q
from django.http import Http404
from django.utils import timezone

from coachloop.coaching.models import Rehearsal, Relationship
from coachloop.coaching.rhythm import cadences, rhythm_for
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role, User
from coachloop.people.queries import viewer_for
from coachloop.people.rules import check_runs_school
from coachloop.rollout.models import (
    FEED_TOKEN_FORMAT,
    CalendarFeed,
    CpdInvitation,
    CpdSession,
    ProtectedSlot,
    feed_token_hash,
)

# How far back a calendar feed reaches: older sessions, rehearsals and ended slots are left out,
# so a feed stays small after years of use.
FEED_PAST_DAYS = 120


# -- choices for forms -------------------------------------------------------------------------


def school_coaches(viewer, *, school, on=None):
    """People with a current coach role in a school the viewer leads (one query when used)."""
    check_runs_school(viewer, school, hide=True)
    coaches = Membership.objects.current(on).filter(
        trust=viewer.trust, school=school, role=Role.COACH
    )
    return User.objects.filter(pk__in=coaches.values("user_id")).order_by("full_name", "pk")


def school_staff(viewer, *, school, on=None):
    """People with any current role in a school the viewer leads, to invite to a session."""
    check_runs_school(viewer, school, hide=True)
    staff = Membership.objects.current(on).filter(trust=viewer.trust, school=school)
    return User.objects.filter(pk__in=staff.values("user_id")).order_by("full_name", "pk")


# -- protected slots ---------------------------------------------------------------------------


@dataclass
class SchoolSlots:
    current: list
    ended: list


def school_slots(viewer, *, school, today=None):
    """A school's protected slots, those running (or yet to start) and those that ended."""
    check_runs_school(viewer, school, hide=True)
    today = today or timezone.localdate()
    slots = list(
        ProtectedSlot.objects.filter(trust=viewer.trust, school=school)
        .select_related("coach")
        .order_by("coach__full_name", "weekday", "starts_at", "pk")
    )
    return SchoolSlots(
        current=[s for s in slots if s.ends_on is None or s.ends_on >= today],
        ended=[s for s in slots if s.ends_on is not None and s.ends_on < today],
    )


def slot_for(viewer, *, school, pk):
    """One slot in a school the viewer leads, or 404."""
    check_runs_school(viewer, school, hide=True)
    slot = (
        ProtectedSlot.objects.filter(trust=viewer.trust, school=school, pk=pk)
        .select_related("coach")
        .first()
    )
    if slot is None:
        raise Http404
    return slot


def my_slots(viewer, *, today=None):
    """The viewer's own protected slots that have not ended, in any school of the trust."""
    today = today or timezone.localdate()
    return list(
        ProtectedSlot.objects.filter(trust=viewer.trust, coach=viewer.user)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("school")
        .order_by("weekday", "starts_at", "pk")
    )


# -- CPD sessions ------------------------------------------------------------------------------


@dataclass
class SchoolSessions:
    upcoming: list
    past: list


def school_sessions(viewer, *, school, now=None):
    """A school's sessions: those still to start (soonest first) and the rest (latest first),
    each with how many were invited and how many came (one query)."""
    check_runs_school(viewer, school, hide=True)
    now = now or timezone.now()
    sessions = list(
        CpdSession.objects.filter(trust=viewer.trust, school=school)
        .select_related("strand")
        .annotate(
            invited=Count("invitations"),
            attended=Count("invitations", filter=Q(invitations__attended=True)),
            recorded=Count("invitations", filter=Q(invitations__attended__isnull=False)),
        )
        .order_by("starts_at", "pk")
    )
    return SchoolSessions(
        upcoming=[s for s in sessions if s.starts_at > now],
        past=[s for s in sessions if s.starts_at <= now][::-1],
    )


def session_for(viewer, *, school, pk):
    """One session in a school the viewer leads, with its invitations and invitees, or 404."""
    check_runs_school(viewer, school, hide=True)
    session = (
        CpdSession.objects.filter(trust=viewer.trust, school=school, pk=pk)
        .select_related("strand", "led_by")
        .first()
    )
    if session is None:
        raise Http404
    session.invitation_list = list(
        CpdInvitation.objects.filter(session=session)
        .select_related("person")
        .order_by("person__full_name", "pk")
    )
    return session


@dataclass
class MyInvitations:
    upcoming: list
    past: list


def my_invitations(viewer, *, now=None):
    """Sessions the viewer is invited to, in any school of the trust (one query)."""
    now = now or timezone.now()
    invitations = list(
        CpdInvitation.objects.filter(trust=viewer.trust, person=viewer.user)
        .select_related("session__school", "session__strand", "session__led_by")
        .order_by("session__starts_at", "pk")
    )
    return MyInvitations(
        upcoming=[i for i in invitations if i.session.starts_at > now],
        past=[i for i in invitations if i.session.starts_at <= now][::-1],
    )


# -- calendar feeds ----------------------------------------------------------------------------


def my_feed(viewer):
    """The viewer's calendar feed in this trust, or ``None`` if they have none yet."""
    return CalendarFeed.objects.filter(trust=viewer.trust, person=viewer.user).first()


def feed_by_address(*, person_id, token, signed_in=None):
    """The feed at this address, and the person it belongs to as a ``Viewer`` in the feed's
    trust; otherwise 404: an unknown or old token, someone else's id, or a person who no
    longer holds a role in that trust.

    The token is the only key a calendar client has, so the feed is found with scopes
    disabled, by the token's hash (only the hash is stored, and looking it up compares no
    secret a byte at a time); everything after that is read inside the feed's trust scope by
    the caller.
    ``signed_in`` (the request's viewer, if any) is used as the person when it is them in
    that trust, rather than reading their roles again.
    """
    if not isinstance(token, str) or not FEED_TOKEN_FORMAT.fullmatch(token):
        raise Http404  # checked before any lookup: no address of another shape was ever made
    with scopes_disabled():
        feed = (
            CalendarFeed.objects.select_related("person")
            .filter(token_hash=feed_token_hash(token))
            .first()
        )
    if feed is None or feed.person_id != person_id or not feed.person.is_active:
        raise Http404
    if signed_in is not None and (signed_in.pk, signed_in.trust.pk) == (
        feed.person_id,
        feed.trust_id,
    ):
        return feed, signed_in
    person = viewer_for(feed.person, trust_id=feed.trust_id)
    if person is None or person.trust.pk != feed.trust_id:
        raise Http404
    return feed, person


@dataclass(frozen=True)
class DropInDue:
    relationship_id: int
    teacher_name: str
    school_name: str
    due_on: dt.date
    overdue: bool


@dataclass(frozen=True)
class PracticeMeeting:
    rehearsal_id: int
    relationship_id: int
    planned_for: dt.date
    with_name: str
    as_coach: bool


@dataclass(frozen=True)
class SessionEntry:
    session_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    school_name: str
    strand_title: str
    leads: bool


@dataclass
class FeedData:
    name: str
    trust_name: str
    dropins_due: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    slots: list = field(default_factory=list)
    sessions: list = field(default_factory=list)


def _dropins_due(viewer, today):
    """Each current coachee's next drop-in under the school's cadence, or the relationship's
    own rhythm (four queries).

    A drop-in already overdue is shown today, so it stays in sight until it is done.
    """
    rows = list(
        Relationship.objects.filter(
            trust=viewer.trust,
            coach=viewer.user,
            finished_on__isnull=True,
            school__in=viewer.school_ids_with(Role.COACH),
        )
        # The rows carry their own rhythm, so ``cadences`` need not read it again.
        .only("pk", "teacher", "school", "started_on", "cadence_days")
        .annotate(
            last_visit=Max("dropins__visited_on", filter=Q(dropins__is_draft=False)),
            teacher_name=F("teacher__full_name"),
            school_name=F("school__name"),
        )
        .order_by("teacher__full_name", "pk")
    )
    cadence = cadences(viewer.trust, rows, on=today)
    due = []
    for row in rows:
        days = cadence[row.pk]
        due_on = (row.last_visit or row.started_on) + dt.timedelta(days=days)
        rhythm = rhythm_for(
            last_visit=row.last_visit,
            started_on=row.started_on,
            today=today,
            cadence_days=days,
        )
        overdue = rhythm.status == "overdue"
        due.append(
            DropInDue(
                relationship_id=row.pk,
                teacher_name=row.teacher_name,
                school_name=row.school_name,
                due_on=today if overdue else due_on,
                overdue=overdue,
            )
        )
    return due


def _practice_meetings(viewer, since):
    """Rehearsals the coach and teacher planned to do together, not yet done (one query).

    Only dates and names: what they will practise stays on the coaching record.
    """
    coaching = Q(
        action_step__relationship__coach=viewer.user,
        action_step__relationship__school__in=viewer.school_ids_with(Role.COACH),
    )
    rows = (
        Rehearsal.objects.filter(
            trust=viewer.trust,
            mode=Rehearsal.Mode.TOGETHER,
            done_on__isnull=True,
            planned_for__gte=since,
            action_step__closed_on__isnull=True,
            action_step__relationship__finished_on__isnull=True,
        )
        .filter(coaching | Q(action_step__relationship__teacher=viewer.user))
        .order_by("planned_for", "pk")
        .values(
            "pk",
            "planned_for",
            "action_step__relationship_id",
            "action_step__relationship__coach_id",
            "action_step__relationship__coach__full_name",
            "action_step__relationship__teacher__full_name",
        )
    )
    meetings = []
    for row in rows:
        as_coach = row["action_step__relationship__coach_id"] == viewer.pk
        meetings.append(
            PracticeMeeting(
                rehearsal_id=row["pk"],
                relationship_id=row["action_step__relationship_id"],
                planned_for=row["planned_for"],
                with_name=row[
                    "action_step__relationship__teacher__full_name"
                    if as_coach
                    else "action_step__relationship__coach__full_name"
                ],
                as_coach=as_coach,
            )
        )
    return meetings


def _sessions(viewer, since):
    """Sessions the person is invited to or leads (one query)."""
    invited = CpdInvitation.objects.filter(trust=viewer.trust, person=viewer.user).values(
        "session_id"
    )
    rows = (
        CpdSession.objects.filter(trust=viewer.trust, starts_at__gte=since)
        .filter(Q(led_by=viewer.user) | Q(pk__in=invited))
        .order_by("starts_at", "pk")
        .values(
            "pk",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "school__name",
            "strand__title",
            "led_by_id",
        )
    )
    return [
        SessionEntry(
            session_id=row["pk"],
            title=row["title"],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            location=row["location"],
            school_name=row["school__name"],
            strand_title=row["strand__title"] or "",
            leads=row["led_by_id"] == viewer.pk,
        )
        for row in rows
    ]


def feed_data(person, *, now=None):
    """What goes in ``person``'s calendar (a ``Viewer``), in a fixed number of queries
    (seven, whatever the data): drop-ins due, practice planned together, protected slots and
    sessions. Run it inside the person's trust scope."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = today - dt.timedelta(days=FEED_PAST_DAYS)
    slots = list(
        ProtectedSlot.objects.filter(trust=person.trust, coach=person.user)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))
        .select_related("school")
        .order_by("weekday", "starts_at", "pk")
    )
    return FeedData(
        name=person.user.full_name,
        trust_name=person.trust.name,
        dropins_due=_dropins_due(person, today),
        meetings=_practice_meetings(person, since),
        slots=slots,
        sessions=_sessions(person, now - dt.timedelta(days=FEED_PAST_DAYS)),
    )
