"""A signed-in page reads the person with their current roles in one query, afresh on every
request: nothing about roles is kept between requests, so whatever ends a role (the service, a
roster's bulk update, erasure, midnight) holds from the very next page."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.erasure import person_erase
from coachloop.people.models import Membership, Role
from coachloop.people.services import membership_finish
from tests.factories import MembershipFactory
from tests.world import lead_in_two_trusts

pytestmark = pytest.mark.django_db

PAGE = reverse("privacy")
TEACHER_LINK = "My development"
COACH_LINK = "My teachers"


def _tables_read(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return [q["sql"].split(" FROM ", 1)[1].split()[0].strip('"') for q in queries]


@pytest.fixture
def coach_who_teaches(world, client):
    """The world's coach, who is also a teacher in their school: two roles, two links."""
    coach = world.people["coach"]
    with scopes_disabled():
        role = MembershipFactory(user=coach, school=world.own.school, role=Role.TEACHER)
    client.force_login(coach)
    return role


def test_a_signed_in_page_reads_the_session_then_the_person_with_their_roles(world, client):
    client.force_login(world.people["teacher"])
    client.get(PAGE)

    assert _tables_read(client) == ["django_session", "people_membership"]


def test_the_person_and_their_roles_are_one_query_joined(world, client):
    client.force_login(world.people["teacher"])
    with CaptureQueriesContext(connection) as queries:
        client.get(PAGE)

    (roles,) = [q["sql"] for q in queries if "people_membership" in q["sql"]]
    assert "people_user" in roles and "people_school" in roles and "people_trust" in roles


def test_a_role_finished_by_the_service_is_gone_on_the_very_next_page(
    world, client, coach_who_teaches
):
    assert TEACHER_LINK in client.get(PAGE).text
    with scopes_disabled():
        membership_finish(
            actor=world.people["administrator"],
            membership=coach_who_teaches,
            finished_on=timezone.localdate() - dt.timedelta(days=1),
        )

    page = client.get(PAGE).text
    assert TEACHER_LINK not in page and COACH_LINK in page


def test_a_role_ended_by_a_bulk_update_is_gone_on_the_very_next_page(
    world, client, coach_who_teaches
):
    """As a roster's apply ends roles: a queryset update, no service per role, no signal."""
    assert TEACHER_LINK in client.get(PAGE).text
    with scopes_disabled():
        Membership.objects.filter(pk=coach_who_teaches.pk).update(
            finished_on=timezone.localdate() - dt.timedelta(days=1)
        )

    page = client.get(PAGE).text
    assert TEACHER_LINK not in page and COACH_LINK in page


def test_an_erased_person_is_signed_out_on_the_very_next_page(world, client):
    teacher = world.people["teacher"]
    client.force_login(teacher)
    assert client.get(PAGE).status_code == 200
    with scopes_disabled():
        person_erase(
            actor=world.people["administrator"],
            trust=world.trust,
            person=teacher,
            reason="Asked for erasure by email.",
        )

    answer = client.get(reverse("coaching:teacher_home"))
    assert answer.status_code == 302 and reverse("login") in answer["Location"]


def test_a_role_finishing_today_stops_at_midnight(world, client):
    today = timezone.localdate()
    evening = timezone.make_aware(dt.datetime.combine(today, dt.time(23, 58)))
    coach = world.people["coach"]
    with scopes_disabled():
        MembershipFactory(user=coach, school=world.own.school, role=Role.TEACHER, finished_on=today)
    with time_machine.travel(evening, tick=False):
        client.force_login(coach)
        assert TEACHER_LINK in client.get(PAGE).text
    with time_machine.travel(evening + dt.timedelta(minutes=3), tick=False):
        page = client.get(PAGE).text
    assert TEACHER_LINK not in page and COACH_LINK in page


def test_a_person_in_two_trusts_sees_the_trust_they_switch_to(world, client):
    person = lead_in_two_trusts(world)
    client.force_login(person)
    choose = reverse("trust_choose")
    client.post(choose, {"trust": world.trust.pk})
    assert "Coaching at School A1" in client.get(PAGE).text

    client.post(choose, {"trust": world.other_trust.pk})

    page = client.get(PAGE).text
    assert "Coaching at School B1" in page and "Coaching at School A1" not in page


def test_the_header_follows_a_school_renamed_since_the_last_page(world, client):
    """The links are made once per set of roles and schools: a new name is a new set."""
    client.force_login(world.people["coaching_lead"])
    assert "Coaching at School A1" in client.get(PAGE).text
    with scopes_disabled():
        world.own.school.name = "Oak Academy"
        world.own.school.save(update_fields=["name"])

    assert "Coaching at Oak Academy" in client.get(PAGE).text


def test_someone_whose_account_is_switched_off_is_not_signed_in(world, client):
    teacher = world.people["teacher"]
    client.force_login(teacher)
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])

    answer = client.get(reverse("coaching:teacher_home"))
    assert answer.status_code == 302 and reverse("login") in answer["Location"]
