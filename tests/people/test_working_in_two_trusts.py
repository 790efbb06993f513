"""A person with roles in more than one trust works in one at a time: they choose which after
signing in, before any other page, and switch from the header. Someone in one trust is never
asked. Choosing a trust that is not theirs changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.middleware import SESSION_TRUST_KEY
from coachloop.people.models import Membership, Role
from coachloop.people.services import trust_choose
from tests.factories import MembershipFactory, SchoolFactory, TrustFactory
from tests.world import lead_in_two_trusts

pytestmark = pytest.mark.django_db

CHOOSE = reverse("trust_choose")
QUESTION = "Which trust are you working in today?"
NOT_YOURS = "You do not have a role in that trust."


@pytest.fixture
def person(world):
    return lead_in_two_trusts(world)


@pytest.fixture
def third_trust(world):
    """A trust the person has nothing to do with."""
    with scopes_disabled():
        school = SchoolFactory(trust=TrustFactory(name="Trust C", slug="trust-c"), slug="c1")
        MembershipFactory(school=school, role=Role.COACHING_LEAD)
    return school.trust


def _choices(events_of):
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(actor=events_of, verb="trust.chosen").values_list(
                "trust_id", flat=True
            )
        )


def _end_roles(person, trust):
    with scopes_disabled():
        Membership.objects.filter(user=person, trust=trust).update(
            finished_on=timezone.localdate() - dt.timedelta(days=1)
        )


def _choose(client, trust, **extra):
    return client.post(CHOOSE, {"trust": trust.pk, **extra})


# The service


def test_choosing_one_of_their_trusts_keeps_it_for_the_session_and_records_it(world, person):
    session = {}
    trust_choose(person=person, trust=world.other_trust, session=session)
    assert session == {SESSION_TRUST_KEY: world.other_trust.pk}
    assert _choices(person) == [world.other_trust.pk]


def test_a_trust_that_is_not_theirs_is_refused_and_changes_nothing(world, person, third_trust):
    session = {SESSION_TRUST_KEY: world.trust.pk}
    with pytest.raises(ValidationError) as refused:
        trust_choose(person=person, trust=third_trust, session=session)
    assert NOT_YOURS in refused.value.message_dict["trust"][0]
    assert session == {SESSION_TRUST_KEY: world.trust.pk}
    assert _choices(person) == []


def test_a_trust_whose_roles_have_ended_is_no_longer_theirs_to_choose(world, person):
    _end_roles(person, world.other_trust)
    session = {}
    with pytest.raises(ValidationError):
        trust_choose(person=person, trust=world.other_trust, session=session)
    assert session == {}


# Being asked


def test_after_signing_in_a_person_in_two_trusts_is_asked_before_any_other_page(
    client, world, person
):
    client.force_login(person)
    lead_home = reverse("coaching:lead_home", args=["a1"])
    response = client.get(lead_home)
    assert response.status_code == 302
    assert response["Location"] == f"{CHOOSE}?next={lead_home.replace('/', '%2F')}"
    assert client.get(reverse("home"))["Location"] == CHOOSE
    assert client.get(reverse("frameworks:library"))["Location"].startswith(CHOOSE)


def test_the_question_lists_their_trusts_by_name_and_no_other(client, world, person, third_trust):
    client.force_login(person)
    response = client.get(CHOOSE)
    assert response.status_code == 200
    page = response.content.decode()
    assert QUESTION in page
    assert [str(trust) for trust in response.context["form"].fields["trust"].queryset] == [
        "Trust A",
        "Trust B",
    ]
    assert f'value="{world.trust.pk}"' in page
    assert f'value="{world.other_trust.pk}"' in page
    assert "Trust C" not in page


def test_before_choosing_the_question_shows_no_trust_s_links(client, world, person):
    client.force_login(person)
    response = client.get(CHOOSE)
    assert response.context["viewer"] is None
    assert response.context["nav_links"] == []
    assert response.context["trust_switch"] is None


def test_choosing_a_trust_returns_to_the_page_asked_for_and_works_in_that_trust(
    client, world, person
):
    client.force_login(person)
    lead_b1 = reverse("coaching:lead_home", args=["b1"])
    response = _choose(client, world.other_trust, next=lead_b1)
    assert response.status_code == 302
    assert response["Location"] == lead_b1
    assert client.session[SESSION_TRUST_KEY] == world.other_trust.pk
    page = client.get(lead_b1)
    assert page.status_code == 200
    assert page.context["viewer"].trust == world.other_trust
    assert "School B1" in page.content.decode()
    assert client.get(reverse("coaching:lead_home", args=["a1"])).status_code == 404


def test_choosing_goes_home_when_the_page_asked_for_is_on_another_site(client, world, person):
    client.force_login(person)
    response = _choose(client, world.trust, next="https://example.com/steal")
    assert response["Location"] == reverse("home")


def test_another_trust_s_id_is_refused_with_a_clear_error_and_changes_nothing(
    client, world, person, third_trust
):
    client.force_login(person)
    _choose(client, world.trust)
    response = _choose(client, third_trust)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert NOT_YOURS in page
    assert client.session[SESSION_TRUST_KEY] == world.trust.pk
    assert _choices(person) == [world.trust.pk]


def test_choosing_nothing_asks_again(client, world, person):
    client.force_login(person)
    response = client.post(CHOOSE, {})
    assert "Select the trust you are working in today" in response.content.decode()
    assert SESSION_TRUST_KEY not in client.session


def test_signing_out_and_the_password_pages_open_before_choosing(client, world, person):
    client.force_login(person)
    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_page_updated_in_place_before_choosing_sends_the_whole_page_to_choose(
    client, world, person
):
    client.force_login(person)
    response = client.get(reverse("frameworks:library"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == CHOOSE


# Switching


def test_the_header_names_the_trust_and_offers_a_switch_to_a_person_in_two(client, world, person):
    client.force_login(person)
    _choose(client, world.trust)
    page = client.get(reverse("privacy")).content.decode()
    assert '<span class="cl-header__trust-name">Trust A</span>' in page
    assert f'<a class="cl-header__link" href="{CHOOSE}">Switch trust</a>' in page


def test_switching_shows_the_trust_they_work_in_now_ticked(client, world, person):
    client.force_login(person)
    _choose(client, world.other_trust)
    page = client.get(CHOOSE).content.decode()
    assert f'value="{world.other_trust.pk}" checked' in page
    _choose(client, world.trust)
    assert client.get(reverse("privacy")).context["viewer"].trust == world.trust


@pytest.mark.parametrize("persona", ["teacher", "coaching_lead", "administrator", "tutor"])
def test_a_person_in_one_trust_is_never_asked_nor_offered_a_switch(client, world, persona):
    client.force_login(world.people[persona])
    assert client.get(CHOOSE)["Location"] == reverse("home")
    page = client.get(reverse("privacy"))
    assert page.context["trust_switch"] is None
    assert "Switch trust" not in page.content.decode()


def test_anyone_signed_out_is_sent_to_sign_in(client):
    assert client.get(CHOOSE)["Location"].startswith(reverse("login"))


# When roles end


def test_when_the_chosen_trust_s_last_role_ends_they_work_in_their_only_other_trust(
    client, world, person
):
    client.force_login(person)
    _choose(client, world.other_trust)
    _end_roles(person, world.other_trust)
    response = client.get(reverse("coaching:lead_home", args=["a1"]))
    assert response.status_code == 200
    assert response.context["viewer"].trust == world.trust
    assert response.context["trust_switch"] is None


def test_when_the_chosen_trust_s_last_role_ends_they_are_asked_again_among_the_rest(
    client, world, person, third_trust
):
    with scopes_disabled():
        MembershipFactory(user=person, school=SchoolFactory(trust=third_trust), role=Role.TEACHER)
    client.force_login(person)
    _choose(client, world.other_trust)
    _end_roles(person, world.other_trust)
    response = client.get(reverse("coaching:lead_home", args=["a1"]))
    assert response["Location"].startswith(CHOOSE)
    choices = client.get(CHOOSE).context["form"].fields["trust"].queryset
    assert [str(trust) for trust in choices] == ["Trust A", "Trust C"]
