"""Time: a school's protected slots and twilights are its coaching lead's; each person's own
time, calendar page and new address are theirs; the calendar feed needs no session, only its
secret address (an address since replaced is nobody's), and carries no coaching notes to
anyone."""

import datetime as dt

from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.rollout.models import CpdInvitation, CpdSession, ProtectedSlot
from tests.access.codes import LOGIN, MEMBERS, everyone, only, page_route
from tests.rollout.time_fixtures import feed_of


def _lead_route():
    """A school's page: its own lead only; another school's lead gets a 404."""
    return {
        "own": only({"coaching_lead": 200}, others=403),
        "other_school": only({"coaching_lead": 404}, others=403),
        "other_trust": only({"coaching_lead": 404}, others=403),
    }


def _school(r):
    return {"school_slug": r.school.slug}


def _slot(r):
    with scopes_disabled():
        slot = ProtectedSlot.objects.create(
            trust=r.school.trust,
            school=r.school,
            coach=r.coach,
            weekday=ProtectedSlot.Weekday.TUESDAY,
            starts_at=dt.time(9),
            ends_at=dt.time(10),
            starts_on=timezone.localdate(),
        )
    return {"school_slug": r.school.slug, "slot_id": slot.pk}


def _session(r):
    """A twilight that has started, so its page shows the attendance form."""
    starts = timezone.now() - dt.timedelta(hours=1)
    with scopes_disabled():
        session = CpdSession.objects.create(
            trust=r.school.trust,
            school=r.school,
            title="Twilight",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            led_by=r.coach,
        )
        CpdInvitation.objects.create(trust=r.school.trust, session=session, person=r.teacher)
    return {"school_slug": r.school.slug, "session_id": session.pk}


def _feed(r):
    return {"person_id": r.coach.pk, "token": feed_of(r.coach, r.school.trust).token}


def _replaced_feed(r):
    """An address the coach has since replaced with a new one."""
    old = feed_of(r.coach, r.school.trust)
    feed_of(r.coach, r.school.trust)
    return {"person_id": r.coach.pk, "token": old.token}


ROWS = {
    "rollout:time_slots": ("get", _school, _lead_route()),
    "rollout:time_slot_new": ("get", _school, _lead_route()),
    "rollout:time_slot_end": ("get", _slot, _lead_route()),
    "rollout:time_sessions": ("get", _school, _lead_route()),
    "rollout:time_session_new": ("get", _school, _lead_route()),
    "rollout:time_session": ("get", _session, _lead_route()),
    "rollout:time_mine": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    "rollout:time_calendar": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    # Making one's address shows it, this once, in the answer to the POST.
    "rollout:time_calendar_reset": (
        "post",
        None,
        {"own": {**dict.fromkeys(MEMBERS, 200), "anonymous": LOGIN}},
    ),
    # The address is the key: whoever has it (signed in or not) gets that person's calendar.
    "rollout:time_feed": (
        "get",
        _feed,
        {"own": everyone(200), "other_school": everyone(200), "other_trust": everyone(200)},
    ),
}

VARIANTS = {
    # An address that has been replaced is nobody's key any more.
    "rollout:time_feed#old_address": (
        "get",
        _replaced_feed,
        {"own": everyone(404), "other_school": everyone(404), "other_trust": everyone(404)},
    ),
}
