"""Protected coaching slots: a coaching lead adds and ends them; a coach sees their own."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.people.queries import viewer_for
from coachloop.rollout.models import ProtectedSlot
from coachloop.rollout.services import time as services
from tests.rollout import time_fixtures
from tests.rollout.time_fixtures import TODAY, lead_of, lead_of_a2, slot, staff_member

pytestmark = pytest.mark.django_db
lead_client = time_fixtures.lead_client


def count_slots():
    with scopes_disabled():
        return ProtectedSlot.objects.count()


def slot_post(person, **overrides):
    data = {
        "coach": str(person.pk),
        "weekday": "2",
        "starts_at": "13:30",
        "ends_at": "14:20",
        "starts_on": TODAY.isoformat(),
        "ends_on": "",
        "label": "Feedback conversations",
    }
    data.update(overrides)
    return data


def test_a_lead_adds_a_weekly_slot_for_a_coach_in_their_school(lead_client, world):
    coach = world.own.coach
    url = reverse("rollout:time_slot_new", args=["a1"])
    assert lead_client.get(url).status_code == 200
    response = lead_client.post(url, slot_post(coach))
    assert response.status_code == 302
    assert response.url == reverse("rollout:time_slots", args=["a1"])
    with scopes_disabled():
        saved = ProtectedSlot.objects.get()
        assert AuditEvent.objects.filter(verb="protected_slot.added").count() == 1
    assert (saved.coach, saved.school, saved.weekday) == (coach, world.own.school, 2)
    assert (saved.starts_at, saved.ends_at) == (dt.time(13, 30), dt.time(14, 20))
    assert saved.ends_on is None
    page = lead_client.get(response.url).text
    assert "Protected time added for Coach a1 on Wednesday." in page
    assert "Wednesday, 13:30 to 14:20" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": "13:00"}, "The slot must end after it starts."),
        ({"ends_at": "13:30"}, "The slot must end after it starts."),
        ({"weekday": "5"}, "Choose a day from Monday to Friday."),
        ({"weekday": "6"}, "Choose a day from Monday to Friday."),
        ({"weekday": ""}, "Choose the day of the week."),
        (
            {"ends_on": (TODAY - dt.timedelta(days=1)).isoformat()},
            "The last date cannot be before the first date.",
        ),
        ({"starts_at": "25:00"}, "Enter a time, for example 13:30."),
        ({"starts_on": "2026-02-31"}, "Enter a real date."),
        ({"coach": ""}, "Choose the coach this time is for."),
        ({"coach": "999999"}, "Choose a coach at this school."),
        ({"label": "x" * 121}, "at most 120 characters"),
    ],
)
def test_bad_slot_input_gets_a_clear_message_and_saves_nothing(
    lead_client, world, overrides, message
):
    response = lead_client.post(
        reverse("rollout:time_slot_new", args=["a1"]), slot_post(world.own.coach, **overrides)
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert count_slots() == 0


def test_a_coach_from_another_school_or_someone_who_does_not_coach_is_refused(lead_client, world):
    url = reverse("rollout:time_slot_new", args=["a1"])
    for person in (world.other_school.coach, world.other_trust_records.coach, world.own.teacher):
        response = lead_client.post(url, slot_post(person))
        assert response.status_code == 200
        assert "Choose a coach at this school." in response.text
    assert count_slots() == 0


def test_the_service_refuses_a_slot_the_form_would_not_offer(world):
    viewer = viewer_for(lead_of(world))
    with trust_scope(world.trust):
        school = world.own.school
        good = {
            "school": school,
            "coach": world.own.coach,
            "weekday": 0,
            "starts_at": dt.time(9),
            "ends_at": dt.time(10),
            "starts_on": TODAY,
        }
        for change, field in [
            ({"coach": world.other_school.coach}, "coach"),
            ({"weekday": 5}, "weekday"),
            ({"ends_at": dt.time(8)}, "ends_at"),
            ({"ends_on": TODAY - dt.timedelta(days=1)}, "ends_on"),
        ]:
            with pytest.raises(ValidationError) as raised:
                services.protected_slot_add(viewer=viewer, **{**good, **change})
            assert field in raised.value.message_dict
        with pytest.raises(PermissionDenied):
            services.protected_slot_add(
                viewer=viewer, **{**good, "school": world.other_school.school}
            )
    assert count_slots() == 0


def test_a_lead_ends_a_slot_which_is_kept_with_its_last_date(lead_client, world):
    made = slot(world.own.school, world.own.coach)
    url = reverse("rollout:time_slot_end", args=["a1", made.pk])
    assert lead_client.get(url).status_code == 200
    last = TODAY + dt.timedelta(days=14)
    response = lead_client.post(url, {"ends_on": last.isoformat()})
    assert response.status_code == 302
    with scopes_disabled():
        made.refresh_from_db()
        assert AuditEvent.objects.filter(verb="protected_slot.ended").count() == 1
    assert made.ends_on == last
    assert count_slots() == 1


def test_a_slot_that_has_ended_moves_to_the_ended_list(lead_client, world):
    slot(world.own.school, world.own.coach, label="Still running")
    slot(
        world.own.school,
        world.own.coach,
        label="Given up",
        starts_on=TODAY - dt.timedelta(days=60),
        ends_on=TODAY - dt.timedelta(days=5),
    )
    page = lead_client.get(reverse("rollout:time_slots", args=["a1"])).text
    current, ended = page.split("Slots that have ended")
    assert "Still running" in current and "Given up" not in current
    assert "Coach a1" in ended


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the last date of the slot."),
        ("not a date", "Enter a real date."),
        ((TODAY - dt.timedelta(days=31)).isoformat(), "end it on that day or later"),
    ],
)
def test_a_bad_last_date_changes_nothing(lead_client, world, value, message):
    made = slot(world.own.school, world.own.coach)
    url = reverse("rollout:time_slot_end", args=["a1", made.pk])
    response = lead_client.post(url, {"ends_on": value})
    assert response.status_code == 200
    assert message in response.text
    with scopes_disabled():
        made.refresh_from_db()
    assert made.ends_on is None


def test_a_slot_that_already_ended_cannot_be_ended_again(lead_client, world):
    ended_on = TODAY - dt.timedelta(days=3)
    made = slot(world.own.school, world.own.coach, ends_on=ended_on)
    url = reverse("rollout:time_slot_end", args=["a1", made.pk])
    response = lead_client.post(url, {"ends_on": TODAY.isoformat()})
    assert response.status_code == 200
    assert "This slot already ended" in response.text
    with scopes_disabled():
        made.refresh_from_db()
    assert made.ends_on == ended_on


def test_a_lead_of_another_school_gets_not_found(client, world):
    made = slot(world.own.school, world.own.coach)
    client.force_login(lead_of_a2())
    for url in (
        reverse("rollout:time_slots", args=["a1"]),
        reverse("rollout:time_slot_new", args=["a1"]),
        reverse("rollout:time_slot_end", args=["a1", made.pk]),
        reverse("rollout:time_slot_end", args=["a2", made.pk]),  # their school, not their slot
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("rollout:time_slot_end", args=["a2", made.pk]), {"ends_on": TODAY.isoformat()}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("rollout:time_slot_new", args=["a1"]), slot_post(world.own.coach)
    )
    assert response.status_code == 404
    with scopes_disabled():
        made.refresh_from_db()
    assert made.ends_on is None
    assert count_slots() == 1


def test_people_who_do_not_lead_coaching_are_refused(client, world):
    for persona in ("coach", "teacher", "headteacher", "trust_lead"):
        client.force_login(world.people[persona])
        assert client.get(reverse("rollout:time_slots", args=["a1"])).status_code == 403


def test_a_coach_sees_their_own_slots_and_nobody_elses(client, world):
    slot(world.own.school, world.own.coach, label="Mine, for drop-ins")
    slot(world.own.school, world.people["other_coach"], label="Someone else's")
    slot(
        world.own.school,
        world.own.coach,
        label="Finished last month",
        starts_on=TODAY - dt.timedelta(days=90),
        ends_on=TODAY - dt.timedelta(days=30),
    )
    client.force_login(world.own.coach)
    page = client.get(reverse("rollout:time_mine")).text
    assert "Mine, for drop-ins" in page
    assert "Monday, 13:30 to 14:20" in page
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page
    assert "Finished last month" not in page


def test_only_current_coaches_of_the_school_are_offered(lead_client, world):
    former = staff_member(world.own.school, role=Role.COACH, full_name="Former Coach")
    with scopes_disabled():
        former.memberships.filter(role=Role.COACH).update(finished_on=TODAY - dt.timedelta(1))
    page = lead_client.get(reverse("rollout:time_slot_new", args=["a1"])).text
    assert "Coach a1" in page and "Another Coach" in page
    assert "Former Coach" not in page and "Coach a2" not in page


def test_the_service_lets_only_the_schools_lead_end_a_slot(world):
    made = slot(world.own.school, world.own.coach)
    for person in (lead_of_a2(), world.own.coach, world.people["headteacher"]):
        viewer = viewer_for(person)
        with trust_scope(world.trust), pytest.raises(PermissionDenied):
            services.protected_slot_end(viewer=viewer, slot=made, ends_on=TODAY)
    with scopes_disabled():
        made.refresh_from_db()
    assert made.ends_on is None


def test_a_slot_dated_years_ahead_is_refused_with_a_clear_message(lead_client, world):
    url = reverse("rollout:time_slot_new", args=["a1"])
    far = dt.date(9999, 12, 27)  # a Monday
    response = lead_client.post(url, slot_post(world.own.coach, starts_on=far.isoformat()))
    assert response.status_code == 200
    assert "Choose a date within the next 5 years." in response.text
    assert count_slots() == 0
