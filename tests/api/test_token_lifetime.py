"""A personal token works while its person has held a role in its trust every day since it
was made, and carries a leader's powers only as a leader's own token would: made to last 90
days at most, with two-step sign-in set up. An integration reads only open schools."""

import datetime as dt

import pytest
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role, School
from tests.api.tokens import bearer, integration_token, make_token
from tests.factories import MembershipFactory, UserFactory, two_step_set_up

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
TODAY = timezone.localdate()


def _person(world, *, role=Role.TEACHER, started=365):
    with scopes_disabled():
        person = UserFactory()
        MembershipFactory(
            user=person,
            trust=world.trust,
            school=world.own.school,
            role=role,
            started_on=TODAY - dt.timedelta(days=started),
        )
    return person


def _made(person, world, *, days_ago=0, lasting=30):
    made = timezone.now() - dt.timedelta(days=days_ago)
    secret, token = make_token(person, world.trust, expires_at=made + dt.timedelta(days=lasting))
    with scopes_disabled():
        type(token).objects.filter(pk=token.pk).update(created_at=made)
    return secret


def _end_roles(person, on):
    with scopes_disabled():
        Membership.objects.filter(user=person).update(finished_on=on)


def test_a_teacher_s_token_stops_when_their_last_role_ends(client, world):
    teacher = _person(world)
    secret = _made(teacher, world, days_ago=10)
    assert client.get(ME, headers=bearer(secret)).status_code == 200
    _end_roles(teacher, TODAY - dt.timedelta(days=1))
    assert client.get(ME, headers=bearer(secret)).status_code == 401


def test_a_leaver_s_token_never_works_again_when_they_come_back(client, world):
    teacher = _person(world)
    secret = _made(teacher, world, days_ago=60, lasting=300)
    _end_roles(teacher, TODAY - dt.timedelta(days=30))
    with scopes_disabled():
        MembershipFactory(
            user=teacher,
            trust=world.trust,
            school=world.own.school,
            role=Role.TEACHER,
            started_on=TODAY - dt.timedelta(days=5),
        )
    assert client.get(ME, headers=bearer(secret)).status_code == 401
    assert client.get(ME, headers=bearer(_made(teacher, world))).status_code == 200


def test_a_token_keeps_working_through_a_change_of_role_with_no_day_between(client, world):
    person = _person(world)
    secret = _made(person, world, days_ago=60, lasting=300)
    _end_roles(person, TODAY - dt.timedelta(days=10))
    with scopes_disabled():
        MembershipFactory(
            user=person,
            trust=world.trust,
            school=world.own.school,
            role=Role.COACH,
            started_on=TODAY - dt.timedelta(days=9),
        )
    body = client.get(ME, headers=bearer(secret)).json()
    assert body["roles"] == [{"role": "coach", "school": world.own.school.slug}]


def test_a_year_long_token_made_before_a_promotion_does_not_act_as_the_head(client, world):
    person = _person(world)
    secret = _made(person, world, days_ago=20, lasting=365)
    with scopes_disabled():
        MembershipFactory(
            user=person, trust=world.trust, school=world.own.school, role=Role.HEADTEACHER
        )
    two_step_set_up(person)
    assert client.get(ME, headers=bearer(secret)).status_code == 401
    # A token made to a leader's length works for them, with two-step sign-in set up.
    assert client.get(ME, headers=bearer(_made(person, world, lasting=90))).status_code == 200


def test_an_integration_reads_no_activity_of_a_school_that_has_closed(client, world):
    secret = integration_token(world, ["read_activity"], schools=[world.own.school])
    assert client.get(ME, headers=bearer(secret)).json()["roles"] == [
        {"role": "coaching_lead", "school": world.own.school.slug}
    ]
    with scopes_disabled():
        School.objects.filter(pk=world.own.school.pk).update(closed_on=TODAY)
    assert client.get(ME, headers=bearer(secret)).json()["roles"] == []
