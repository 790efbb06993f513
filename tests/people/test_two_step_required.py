"""Who must use two-step sign-in, and being made to set it up: headteachers, trust leads,
administrators and programme leads, and everyone in a trust that asks it of everyone, are sent
to set it up at sign-in before any other page; a teacher is not; the demo's trust waives it."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from coachloop.people.two_step import must_use_two_step
from coachloop.programmes.models import ProgrammeStaff
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, two_step_set_up
from tests.programmes.fixtures import build_programme

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"
SET_UP = reverse("mfa_index")


def person_with(role, *, trust=None, two_step=False):
    with scopes_disabled():
        school = SchoolFactory(**({"trust": trust} if trust else {}))
        person = UserFactory()
        school_wide = role not in (Role.TRUST_LEAD, Role.ADMINISTRATOR, Role.PARTNER_STAFF)
        MembershipFactory(
            user=person,
            school=school if school_wide else None,
            trust=school.trust,
            role=role,
        )
        if two_step:
            two_step_set_up(person)
    return person


def trust_of(person):
    with scopes_disabled():
        return person.memberships.get().trust


def signed_in(person):
    client = Client()
    response = client.post(reverse("login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client, response


def is_sent_to_set_up(client):
    response = client.get(reverse("home"))
    return response.status_code == 302 and response["Location"] == SET_UP


LEADERS = [Role.HEADTEACHER, Role.TRUST_LEAD, Role.ADMINISTRATOR]


@pytest.mark.parametrize("role", LEADERS)
def test_a_leader_without_two_step_sign_in_is_sent_to_set_it_up_at_sign_in(role):
    client, response = signed_in(person_with(role))

    assert "_auth_user_id" in client.session
    assert is_sent_to_set_up(client)
    page = client.get(SET_UP).content.decode()
    assert "Set up two-step sign-in" in page
    assert "Your role in Coachloop needs two-step sign-in" in page


def test_a_programme_lead_without_two_step_sign_in_is_sent_to_set_it_up(world):
    lead = build_programme(world).lead
    with scopes_disabled():
        MembershipFactory(user=lead, school=None, trust=world.trust, role=Role.PARTNER_STAFF)
    Authenticator.objects.filter(user=lead).delete()  # the fixture's lead has set it up

    client, _response = signed_in(lead)

    assert is_sent_to_set_up(client)


def test_a_tutor_on_a_programme_need_not_use_two_step_sign_in(world):
    tutor = build_programme(world).tutor
    with scopes_disabled():
        MembershipFactory(user=tutor, school=None, trust=world.trust, role=Role.PARTNER_STAFF)
        assert ProgrammeStaff.objects.filter(person=tutor, role="tutor").exists()

    assert not must_use_two_step(tutor)


@pytest.mark.parametrize("role", [Role.TEACHER, Role.COACH, Role.COACHING_LEAD])
def test_teachers_coaches_and_coaching_leads_are_not_made_to_set_it_up(role):
    client, _response = signed_in(person_with(role))

    assert not is_sent_to_set_up(client)
    assert client.get(SET_UP).status_code == 200  # but they may, if they wish


@pytest.mark.parametrize("role", LEADERS)
def test_a_leader_who_has_set_it_up_is_asked_for_a_code_not_sent_to_set_it_up(role):
    client, response = signed_in(person_with(role, two_step=True))

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_a_trust_can_ask_everyone_to_use_two_step_sign_in_from_their_next_sign_in():
    teacher = person_with(Role.TEACHER)
    trust = trust_of(teacher)
    before, _response = signed_in(teacher)

    trust.two_step_for_everyone = True
    trust.save()
    after, _response = signed_in(teacher)

    assert not is_sent_to_set_up(before)  # decided when they signed in
    assert is_sent_to_set_up(after)


def test_a_role_in_a_trust_that_asks_everyone_counts_wherever_the_person_works():
    teacher = person_with(Role.TEACHER)
    other = person_with(Role.TEACHER)
    strict = trust_of(other)
    strict.two_step_for_everyone = True
    strict.save()
    with scopes_disabled():
        MembershipFactory(user=teacher, school=SchoolFactory(trust=strict), role=Role.TEACHER)

    assert must_use_two_step(teacher)


def test_a_finished_leaders_role_no_longer_needs_two_step_sign_in():
    head = person_with(Role.HEADTEACHER)
    with scopes_disabled():
        membership = head.memberships.get()
        membership.finished_on = membership.started_on
        membership.save()
        MembershipFactory(user=head, school=membership.school, role=Role.TEACHER)

    assert not must_use_two_step(head)


def test_the_demo_trust_waives_two_step_sign_in_for_its_people():
    head = person_with(Role.HEADTEACHER)
    trust = trust_of(head)
    trust.two_step_waived_for_demo = True
    trust.save()

    assert not must_use_two_step(head)
    client, _response = signed_in(head)
    assert not is_sent_to_set_up(client)


def test_someone_sent_to_set_it_up_may_still_open_the_setting_up_pages_and_sign_out():
    client, _response = signed_in(person_with(Role.HEADTEACHER))

    for route in ("mfa_index", "mfa_activate_totp", "mfa_add_webauthn", "privacy"):
        assert client.get(reverse(route)).status_code == 200, route
    for route in ("coaching:my_audit", "admin:index", "rollout:emails", "frameworks:library"):
        response = client.get(reverse(route))
        assert (response.status_code, response["Location"]) == (302, SET_UP), route
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_is_sent_to_set_it_up_as_a_whole_page():
    client, _response = signed_in(person_with(Role.HEADTEACHER))

    response = client.get(reverse("coaching:my_audit"), headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == SET_UP


def test_once_it_is_set_up_the_person_goes_where_they_were_going():
    head = person_with(Role.HEADTEACHER)
    client, _response = signed_in(head)
    assert is_sent_to_set_up(client)

    two_step_set_up(head)

    assert not is_sent_to_set_up(client)
    assert client.get(reverse("home")).status_code == 200
