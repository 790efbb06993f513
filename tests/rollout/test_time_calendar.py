"""The private calendar feed: what it lists, who can fetch it, and resetting its address."""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import Rehearsal, Relationship
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role, StaffGroup
from coachloop.rollout.models import CalendarFeed
from tests.factories import (
    ActionStepFactory,
    DropInFactory,
    MembershipFactory,
    RehearsalFactory,
    RelationshipFactory,
    UserFactory,
)
from tests.rollout.time_fixtures import (
    TODAY,
    address_on_page,
    cadence,
    events_by_uid,
    feed_of,
    feed_url,
    lead_of,
    monday_on_or_after,
    parse,
    session,
    slot,
    staff_member,
)
from tests.world import SECRET_NOTE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
HOST = "coaching.example.org"


@pytest.fixture(autouse=True)
def _the_sites_address(settings):
    settings.COACHLOOP_SITE_URL = f"https://{HOST}"


@pytest.fixture
def coach_setup(world):
    """Coach A1 in a fortnightly school: Teacher A1 (last seen two days ago), an early-career
    teacher on a weekly rhythm never seen, coaching that has ended, a slot that runs on and
    one that ended, a twilight they are invited to and one they are not."""
    own = world.own
    cadence(own.school, cadence_teachers=14, cadence_early_career=7)
    coach = own.coach
    with scopes_disabled():
        early_career = UserFactory(full_name="Early Career Teacher")
        MembershipFactory(
            user=early_career,
            school=own.school,
            role=Role.TEACHER,
            staff_group=StaffGroup.EARLY_CAREER,
        )
        new_rel = RelationshipFactory(
            school=own.school,
            coach=coach,
            teacher=early_career,
            started_on=TODAY - dt.timedelta(days=20),
        )
        ended_teacher = staff_member(own.school, full_name="Finished Teacher")
        RelationshipFactory(
            school=own.school,
            coach=coach,
            teacher=ended_teacher,
            started_on=TODAY - dt.timedelta(days=90),
            finished_on=TODAY - dt.timedelta(days=10),
        )
        alone = RehearsalFactory(action_step=own.step, mode=Rehearsal.Mode.ALONE, plan="Alone")
        done = RehearsalFactory(
            action_step=own.step, plan="Done already", done_on=TODAY, how_it_went="Fine"
        )
    running = slot(own.school, coach, weekday=0, label="Drop-ins")
    first_monday = monday_on_or_after(TODAY - dt.timedelta(days=60))
    ended = slot(
        own.school,
        coach,
        weekday=2,
        starts_at=dt.time(9, 0),
        ends_at=dt.time(9, 50),
        starts_on=first_monday,
        ends_on=first_monday + dt.timedelta(days=30),
    )
    slot(own.school, world.people["other_coach"], weekday=3)
    lead = lead_of(world)
    twilight = session(
        own.school,
        lead,
        [coach, own.teacher],
        starts_at=timezone.make_aware(
            dt.datetime.combine(TODAY + dt.timedelta(days=6), dt.time(16))
        ),
        title="Questioning twilight",
        strand=own.framework_step.strand,
    )
    not_for_the_coach = session(own.school, lead, [own.teacher], title="Not for the coach")
    return {
        "not_for_the_coach": not_for_the_coach,
        "coach": coach,
        "new_rel": new_rel,
        "alone": alone,
        "done": done,
        "running": running,
        "ended": ended,
        "twilight": twilight,
    }


def test_a_coachs_feed_parses_and_lists_exactly_the_right_events(client, world, coach_setup):
    own = world.own
    calendar = parse(client.get(feed_url(feed_of(own.coach, world.trust))))
    events = events_by_uid(calendar)
    assert set(events) == {
        f"dropin-due-{own.relationship.pk}@{HOST}",
        f"dropin-due-{coach_setup['new_rel'].pk}@{HOST}",
        f"rehearsal-{own.rehearsal.pk}@{HOST}",
        f"protected-slot-{coach_setup['running'].pk}@{HOST}",
        f"protected-slot-{coach_setup['ended'].pk}@{HOST}",
        f"cpd-session-{coach_setup['twilight'].pk}@{HOST}",
    }
    assert str(calendar["VERSION"]) == "2.0"
    assert "Coachloop" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Coachloop: Coach a1"
    assert all("DTSTAMP" in event for event in events.values())
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"  # clients check back hourly


def test_a_drop_in_is_due_a_fortnight_after_the_last_one_in_a_fortnightly_school(
    client, world, coach_setup
):
    own = world.own
    events = events_by_uid(parse(client.get(feed_url(feed_of(own.coach, world.trust)))))
    due = events[f"dropin-due-{own.relationship.pk}@{HOST}"]
    # The last recorded drop-in was two days ago; today's draft does not count.
    assert due.start == TODAY + dt.timedelta(days=12)
    assert due.end == TODAY + dt.timedelta(days=13)
    assert not isinstance(due.start, dt.datetime)  # all day
    assert str(due["SUMMARY"]) == "Drop-in due: Teacher a1"


def test_a_mentees_drop_in_is_due_on_the_rhythm_of_their_own_mentoring(client, world, coach_setup):
    own = world.own
    with scopes_disabled():
        Relationship.objects.filter(pk=own.relationship.pk).update(cadence_days=21)
    events = events_by_uid(parse(client.get(feed_url(feed_of(own.coach, world.trust)))))
    due = events[f"dropin-due-{own.relationship.pk}@{HOST}"]
    assert due.start == TODAY + dt.timedelta(days=19)  # three weeks after two days ago


def test_an_overdue_drop_in_under_the_weekly_early_career_rhythm_shows_today(
    client, world, coach_setup
):
    events = events_by_uid(parse(client.get(feed_url(feed_of(world.own.coach, world.trust)))))
    due = events[f"dropin-due-{coach_setup['new_rel'].pk}@{HOST}"]
    assert due.start == TODAY  # started 20 days ago, due after 7, so overdue now
    assert str(due["SUMMARY"]) == "Drop-in overdue: Early Career Teacher"


def test_protected_slots_repeat_weekly_in_london_time_until_their_last_date(
    client, world, coach_setup
):
    events = events_by_uid(parse(client.get(feed_url(feed_of(world.own.coach, world.trust)))))
    running = events[f"protected-slot-{coach_setup['running'].pk}@{HOST}"]
    assert running["RRULE"]["FREQ"] == ["WEEKLY"]
    assert running["RRULE"]["BYDAY"] == ["MO"]
    assert "UNTIL" not in running["RRULE"]
    assert running["DTSTART"].params["TZID"] == "Europe/London"
    start = running.start
    assert start.weekday() == 0
    assert (start.hour, start.minute) == (13, 30)
    assert start.date() == monday_on_or_after(coach_setup["running"].starts_on)
    assert str(running["SUMMARY"]) == "Protected coaching time: Drop-ins"
    assert str(running["LOCATION"]) == "School A1"

    ended = coach_setup["ended"]
    event = events[f"protected-slot-{ended.pk}@{HOST}"]
    assert event["RRULE"]["BYDAY"] == ["WE"]
    last = dt.datetime.combine(ended.ends_on, dt.time(9, 0), tzinfo=LONDON)
    assert event["RRULE"]["UNTIL"] == [last.astimezone(dt.UTC)]


def test_a_feed_with_timed_events_describes_the_london_time_zone(client, world, coach_setup):
    calendar = parse(client.get(feed_url(feed_of(world.own.coach, world.trust))))
    zones = calendar.walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in zones] == ["Europe/London"]
    assert calendar.subcomponents[0].name == "VTIMEZONE"


def test_twilights_show_at_their_local_time_with_place_and_strand(client, world, coach_setup):
    events = events_by_uid(parse(client.get(feed_url(feed_of(world.own.coach, world.trust)))))
    twilight = events[f"cpd-session-{coach_setup['twilight'].pk}@{HOST}"]
    assert str(twilight["SUMMARY"]) == "Questioning twilight"
    assert twilight.start.astimezone(LONDON).hour == 16
    assert twilight["DTSTART"].params["TZID"] == "Europe/London"
    assert str(twilight["LOCATION"]) == "Library, School A1"
    assert "Behaviour and routines" in str(twilight["DESCRIPTION"])


def test_practice_planned_together_is_a_meeting_for_both_without_the_plan(
    client, world, coach_setup
):
    own = world.own
    uid = f"rehearsal-{own.rehearsal.pk}@{HOST}"
    coach_events = events_by_uid(parse(client.get(feed_url(feed_of(own.coach, world.trust)))))
    teacher_response = client.get(feed_url(feed_of(own.teacher, world.trust)))
    teacher_events = events_by_uid(parse(teacher_response))
    assert str(coach_events[uid]["SUMMARY"]) == "Practice with Teacher a1"
    assert str(teacher_events[uid]["SUMMARY"]) == "Practice with Coach a1"
    assert coach_events[uid].start == own.rehearsal.planned_for
    # The teacher's feed has their twilights too, and no drop-ins due: they coach nobody.
    assert set(teacher_events) == {
        uid,
        f"cpd-session-{coach_setup['twilight'].pk}@{HOST}",
        f"cpd-session-{coach_setup['not_for_the_coach'].pk}@{HOST}",
    }
    assert own.rehearsal.plan.encode() not in teacher_response.content


def test_the_feed_never_carries_coaching_notes_or_plans(client, world, coach_setup):
    own = world.own
    body = client.get(feed_url(feed_of(own.coach, world.trust))).content.decode()
    unfolded = body.replace("\r\n ", "")
    for text in (
        SECRET_NOTE,
        own.dropin.strengths,
        own.dropin.evidence,
        own.rehearsal.plan,
        own.step.success_looks_like,
        own.draft.strengths,
    ):
        assert text not in unfolded


def test_a_lead_sees_the_sessions_they_lead(client, world, coach_setup):
    lead = lead_of(world)
    events = events_by_uid(parse(client.get(feed_url(feed_of(lead, world.trust)))))
    assert set(events) == {
        f"cpd-session-{coach_setup['twilight'].pk}@{HOST}",
        f"cpd-session-{coach_setup['not_for_the_coach'].pk}@{HOST}",
    }
    assert "You are leading this session." in str(
        events[f"cpd-session-{coach_setup['twilight'].pk}@{HOST}"]["DESCRIPTION"]
    )


def test_the_feed_is_served_as_a_private_calendar_file_without_signing_in(client, world):
    response = client.get(feed_url(feed_of(world.own.coach, world.trust)))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="coachloop.ics"' in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_an_unknown_token_or_someone_elses_id_is_not_found(client, world):
    coach_feed = feed_of(world.own.coach, world.trust)
    teacher_feed = feed_of(world.own.teacher, world.trust)
    urls = [
        reverse("rollout:time_feed", args=[world.own.coach.pk, "not-a-real-token"]),
        reverse("rollout:time_feed", args=[world.own.teacher.pk, coach_feed.token]),
        reverse("rollout:time_feed", args=[world.own.coach.pk, teacher_feed.token]),
        reverse("rollout:time_feed", args=[world.own.coach.pk, "x" * 200]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(world.own.teacher)  # signed in makes no difference
    assert client.get(urls[1]).status_code == 404


def test_a_feed_stops_working_when_its_person_leaves_the_trust(client, world):
    feed = feed_of(world.own.coach, world.trust)
    with scopes_disabled():
        Membership.objects.filter(user=world.own.coach).update(finished_on=TODAY - dt.timedelta(1))
    assert client.get(feed_url(feed)).status_code == 404


def test_another_trusts_feed_is_read_in_its_own_trust(client, world):
    other = world.other_trust_records
    client.force_login(world.own.coach)  # the request's scope is trust A
    events = events_by_uid(parse(client.get(feed_url(feed_of(other.coach, world.other_trust)))))
    assert set(events) == {
        f"dropin-due-{other.relationship.pk}@{HOST}",
        f"rehearsal-{other.rehearsal.pk}@{HOST}",
    }


def test_opening_your_calendar_makes_no_address_and_changes_nothing(client, world):
    client.force_login(world.own.coach)
    response = client.get(reverse("rollout:time_calendar"))
    assert response.status_code == 200
    assert "You do not have a calendar address yet." in response.text
    assert "Make my calendar address" in response.text
    assert ".ics" not in response.text
    with scopes_disabled():
        assert not CalendarFeed.objects.filter(person=world.own.coach).exists()
        assert not AuditEvent.objects.filter(verb__startswith="calendar_feed.").exists()


def test_making_an_address_shows_it_once_and_it_works(client, world):
    client.force_login(world.own.coach)
    response = client.post(reverse("rollout:time_calendar_reset"))
    assert response.status_code == 200
    assert "Your calendar" in response.text
    assert "Your calendar address is ready." in response.text
    assert "this is the only time it is shown" in response.text
    assert "webcal://" in response.text
    assert "no-store" in response["Cache-Control"]
    address = address_on_page(response)
    assert client.get(address).status_code == 200
    # The next visit says there is an address, made today, and does not show it again.
    page = client.get(reverse("rollout:time_calendar"))
    assert address not in page.text and "webcal://" not in page.text
    assert "Your calendar address was made on" in page.text
    assert "Get a new address" in page.text
    assert client.get(address).status_code == 200  # and it still works
    with scopes_disabled():
        assert CalendarFeed.objects.filter(person=world.own.coach).count() == 1
        assert AuditEvent.objects.filter(verb="calendar_feed.created").count() == 1


def test_only_a_hash_of_the_address_is_kept(client, world):
    client.force_login(world.own.coach)
    address = address_on_page(client.post(reverse("rollout:time_calendar_reset")))
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    with scopes_disabled():
        stored = CalendarFeed.objects.values().get(person=world.own.coach)
    assert token not in {str(value) for value in stored.values()}
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()


def test_a_new_address_stops_the_old_one_working(client, world):
    client.force_login(world.own.coach)
    old = address_on_page(client.post(reverse("rollout:time_calendar_reset")))
    page = client.post(reverse("rollout:time_calendar_reset"))
    assert page.status_code == 200
    assert "The old one no longer works" in page.text
    new = address_on_page(page)
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    with scopes_disabled():
        assert CalendarFeed.objects.filter(person=world.own.coach).count() == 1
        assert AuditEvent.objects.filter(verb="calendar_feed.reset").count() == 1


def test_resetting_the_address_needs_a_post(client, world):
    client.force_login(world.own.coach)
    assert client.get(reverse("rollout:time_calendar_reset")).status_code == 405


def test_the_calendar_page_is_for_every_member_but_needs_signing_in(client, world):
    url = reverse("rollout:time_calendar")
    assert client.get(url).status_code == 302
    client.force_login(world.people["trust_lead"])
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_feed_runs_the_same_queries_whatever_the_amount_of_data(client, world):
    own = world.own
    feed = feed_of(own.coach, world.trust)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(feed_url(feed)).status_code == 200
        return len(queries)

    before = count()
    lead = lead_of(world)
    with scopes_disabled():
        for n in range(4):
            teacher = staff_member(own.school, full_name=f"Extra Teacher {n}")
            rel = RelationshipFactory(school=own.school, coach=own.coach, teacher=teacher)
            DropInFactory(relationship=rel)
            RehearsalFactory(action_step=ActionStepFactory(relationship=rel))
            slot(own.school, own.coach, weekday=n)
            session(own.school, lead, [own.coach], title=f"Twilight {n}")
    assert count() == before
    assert before <= 12


def test_event_uids_name_the_sites_host_so_two_installations_never_share_one(
    client, world, settings
):
    url = feed_url(feed_of(world.own.coach, world.trust))
    here = set(events_by_uid(parse(client.get(url))))
    settings.COACHLOOP_SITE_URL = "https://coaching.other-trust.example.net:8443"
    elsewhere = set(events_by_uid(parse(client.get(url))))
    assert here and all(uid.endswith(f"@{HOST}") for uid in here)
    assert all(uid.endswith("@coaching.other-trust.example.net:8443") for uid in elsewhere)
    assert {uid.split("@")[0] for uid in here} == {uid.split("@")[0] for uid in elsewhere}
