"""Helpers for the tests of protected slots, CPD sessions and calendar feeds.

Each creates its rows with scopes disabled, the way a test harness sets data up.
"""

import datetime as dt
import re

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role, User
from coachloop.people.viewer import Viewer
from coachloop.policy.models import SchoolModel
from coachloop.rollout.models import CpdInvitation, CpdSession, ProtectedSlot
from coachloop.rollout.services.time import calendar_feed_reset
from tests.factories import MembershipFactory, UserFactory

TODAY = timezone.localdate()


def monday_on_or_after(day):
    return day + dt.timedelta(days=(0 - day.weekday()) % 7)


def lead_of(world):
    return world.people["coaching_lead"]


@pytest.fixture
def lead_client(client, world):
    """A client signed in as the coaching lead of school A1."""
    client.force_login(lead_of(world))
    return client


def lead_of_a2():
    with scopes_disabled():
        return User.objects.get(email="lead-a2@example.org")


def staff_member(school, role=Role.TEACHER, **user_fields):
    with scopes_disabled():
        user = UserFactory(**user_fields)
        MembershipFactory(user=user, school=school, role=role)
    return user


def slot(school, coach, **fields):
    values = {
        "weekday": ProtectedSlot.Weekday.MONDAY,
        "starts_at": dt.time(13, 30),
        "ends_at": dt.time(14, 20),
        "starts_on": TODAY - dt.timedelta(days=30),
        "ends_on": None,
        "label": "",
    }
    values.update(fields)
    with scopes_disabled():
        return ProtectedSlot.objects.create(
            trust=school.trust, school=school, coach=coach, **values
        )


def session(school, led_by, invitees=(), *, starts_at=None, minutes=75, **fields):
    starts_at = starts_at or timezone.now() + dt.timedelta(days=7)
    values = {"title": "Cold calling: the pause", "location": "Library", "strand": None}
    values.update(fields)
    with scopes_disabled():
        made = CpdSession.objects.create(
            trust=school.trust,
            school=school,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=minutes),
            led_by=led_by,
            **values,
        )
        for person in invitees:
            CpdInvitation.objects.create(trust=school.trust, session=made, person=person)
    return made


def cadence(school, **fields):
    """Set a school's coaching model (a fortnightly rhythm, say)."""
    with scopes_disabled():
        return SchoolModel.objects.create(trust=school.trust, school=school, **fields)


def feed_of(person, trust):
    """The person's calendar address, made now as the "Your calendar" page makes it: a
    ``NewAddress``, the feed with its secret, which exists only at this moment (a second call
    replaces the first address)."""
    with trust_scope(trust):
        return calendar_feed_reset(viewer=Viewer(user=person, trust=trust))


def feed_url(new):
    return reverse("rollout:time_feed", args=[new.feed.person_id, new.token])


def parse(response):
    assert response.status_code == 200, response.status_code
    return icalendar.Calendar.from_ical(response.content)


def events_by_uid(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def address_on_page(response):
    """The feed address shown on the "Your calendar" page, as a path."""
    match = re.search(r'value="https?://[^/"]+(/rollout/calendar/[^"]+\.ics)"', response.text)
    assert match, "no calendar address on the page"
    return match.group(1)
