"""The demo's time rows: each coach's protected slots and each school's twilights; and no
calendar addresses, which only their people can make (an address is shown once, when made)."""

import datetime as dt
from collections import Counter, defaultdict

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import trust_scope
from coachloop.demo.build import build_demo
from coachloop.demo.calendar import is_school_day
from coachloop.demo.deletion import delete_demo
from coachloop.people.models import Membership, Role, School, User
from coachloop.people.queries import viewer_for
from coachloop.rollout.calendar import build_calendar
from coachloop.rollout.models import CalendarFeed, CpdInvitation, CpdSession, ProtectedSlot
from coachloop.rollout.queries.time import feed_data

TODAY = dt.date(2025, 11, 20)  # a Thursday in the autumn term, as in the coaching demo tests
pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return build_demo(today=TODAY)  # the demo includes its time rows


def _roles(trust):
    found = defaultdict(set)
    for user_id, school_id, role in Membership.objects.filter(trust=trust).values_list(
        "user_id", "school_id", "role"
    ):
        found[(school_id, role)].add(user_id)
    return found


def test_each_demo_coach_has_one_or_two_weekday_slots_in_their_school(trust):
    with trust_scope(trust):
        roles = _roles(trust)
        slots = list(ProtectedSlot.objects.all())
        schools = list(School.objects.all())
    per_coach = Counter((s.coach_id, s.school_id) for s in slots)
    coaches = {(c, school.pk) for school in schools for c in roles[(school.pk, Role.COACH)]}
    assert set(per_coach) == coaches
    assert set(per_coach.values()) <= {1, 2}
    for slot in slots:
        assert 0 <= slot.weekday <= 4
        assert slot.ends_at > slot.starts_at
        assert slot.starts_on.weekday() == slot.weekday
        assert slot.ends_on is None or slot.ends_on >= slot.starts_on


def test_each_school_has_past_twilights_with_attendance_and_one_to_come(trust):
    with trust_scope(trust):
        roles = _roles(trust)
        sessions = list(CpdSession.objects.select_related("strand__version"))
        invitations = list(CpdInvitation.objects.select_related("session"))
        schools = list(School.objects.all())
    by_school = defaultdict(list)
    for session in sessions:
        by_school[session.school_id].append(session)
    for school in schools:
        mine = by_school[school.pk]
        assert 2 <= len(mine) <= 3
        upcoming = [s for s in mine if timezone.localtime(s.starts_at).date() > TODAY]
        assert len(upcoming) == 1
        staff = set().union(*(ids for (sid, _r), ids in roles.items() if sid == school.pk))
        for session in mine:
            day = timezone.localtime(session.starts_at).date()
            assert is_school_day(day)
            assert session.ends_at > session.starts_at
            assert session.led_by_id in roles[(school.pk, Role.COACHING_LEAD)]
            assert session.strand is None or session.strand.version.is_current
        for invitation in invitations:
            if invitation.session.school_id == school.pk:
                assert invitation.person_id in staff
    for invitation in invitations:
        past = timezone.localtime(invitation.session.starts_at).date() < TODAY
        assert (invitation.attended is not None) == past
    attended = [i.attended for i in invitations if i.attended is not None]
    assert True in attended and False in attended


def test_the_demo_coachs_calendar_has_their_slots_and_twilights(trust):
    coach = User.objects.get(email="coach@riverside.example.org")
    with trust_scope(trust):
        person = viewer_for(coach, trust_id=trust.pk)
        now = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(12)))
        body = build_calendar(feed_data(person, now=now), now=now)
        slots = ProtectedSlot.objects.filter(coach=coach).count()
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert sum(uid.startswith("protected-slot-") for uid in uids) == slots
    assert any(uid.startswith("cpd-session-") for uid in uids)
    assert any(uid.startswith("dropin-due-") for uid in uids)


def test_the_demo_makes_nobody_a_calendar_address(trust):
    with trust_scope(trust):
        assert Membership.objects.exists()
        assert not CalendarFeed.objects.exists()


def test_a_demo_coach_is_offered_to_make_their_calendar_address(client, trust):
    client.force_login(User.objects.get(email="coach@riverside.example.org"))
    page = client.get(reverse("rollout:time_calendar"))
    assert page.status_code == 200
    assert "Make my calendar address" in page.text
    assert "calendar address was made on" not in page.text


def test_the_same_seed_gives_the_same_slots_and_sessions():
    def rows():
        trust = build_demo(today=TODAY)
        with trust_scope(trust):
            found = (
                list(
                    ProtectedSlot.objects.order_by("coach__email", "weekday").values_list(
                        "coach__email", "weekday", "starts_at", "starts_on", "ends_on", "label"
                    )
                ),
                list(
                    CpdSession.objects.order_by("school__slug", "starts_at").values_list(
                        "school__slug", "title", "starts_at", "location", "led_by__email"
                    )
                ),
                list(
                    CpdInvitation.objects.order_by(
                        "session__school__slug", "session__starts_at", "person__email"
                    ).values_list("session__title", "person__email", "attended")
                ),
            )
        return trust, found

    _trust, first = rows()
    delete_demo()
    _trust, second = rows()
    assert first == second
