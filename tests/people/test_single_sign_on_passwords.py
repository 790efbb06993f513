"""A trust can switch password sign-in off for its staff: then someone whose every current
role is in such trusts cannot sign in with a password (the page names the trust's buttons,
once the password is right) and is sent no password link, while the page about links reads
the same as for anyone."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people import services
from coachloop.people.models import Membership, PasswordLinkRequest, Role, Trust
from tests.factories import MembershipFactory, SignInProviderFactory
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db
WRONG = "Enter the email address and password of your Coachloop account."


@pytest.fixture
def passwords_off(world):
    """Trust A signs its staff in only through its Microsoft accounts."""
    with scopes_disabled():
        SignInProviderFactory(trust=world.trust, name="Trust A Microsoft account")
    Trust.objects.filter(pk=world.trust.pk).update(password_sign_in=False)
    return world


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"login": email, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


def test_the_right_password_is_refused_with_the_trusts_buttons_named(client, passwords_off):
    response = sign_in(client, passwords_off.people["teacher"].email)
    page = response.content.decode()
    assert response.status_code == 200
    assert not signed_in(client)
    assert (
        "Trust A signs its staff in with their own accounts, not a Coachloop password. "
        "Use “Sign in with Trust A Microsoft account” below."
    ) in page
    assert 'href="#single-sign-on"' in page
    assert "Sign in with Trust A Microsoft account</button>" in page
    assert WRONG not in page


def test_a_wrong_password_says_only_what_it_always_says(client, passwords_off):
    response = sign_in(client, passwords_off.people["teacher"].email, "not-the-password")
    page = response.content.decode()
    assert WRONG in page
    assert "not a Coachloop password" not in page


def test_someone_who_also_works_in_a_trust_that_allows_passwords_keeps_theirs(
    client, passwords_off
):
    teacher = passwords_off.people["teacher"]
    with scopes_disabled():
        MembershipFactory(user=teacher, school=passwords_off.other_trust_records.school)
    assert sign_in(client, teacher.email).status_code == 302
    assert signed_in(client)


def test_staff_of_trusts_that_allow_passwords_still_sign_in_with_one(client, passwords_off):
    assert sign_in(client, passwords_off.other_trust_records.teacher.email).status_code == 302


def test_once_their_role_there_has_ended_a_person_signs_in_with_a_password_again(
    client, passwords_off
):
    teacher = passwords_off.people["teacher"]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with scopes_disabled():
        for role in Membership.objects.filter(user=teacher):
            services.membership_finish(actor=None, membership=role, finished_on=yesterday)
    # Nobody with no role anywhere sees anything; the password is not what stops them.
    assert sign_in(client, teacher.email).status_code == 302


def ask_for_a_link(client, email):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR="203.0.113.9")


def test_no_password_link_is_sent_and_the_page_reads_the_same(client, passwords_off, mailoutbox):
    teacher = passwords_off.people["teacher"]
    answers = [ask_for_a_link(client, email) for email in (teacher.email, "nobody@example.org")]
    assert [(r.status_code, r.url) for r in answers] == [(302, reverse("password_reset_done"))] * 2
    assert mailoutbox == []
    assert PasswordLinkRequest.objects.count() == 2  # counted like any other request
    Trust.objects.filter(pk=passwords_off.trust.pk).update(password_sign_in=True)
    ask_for_a_link(client, teacher.email)
    assert [message.to for message in mailoutbox] == [[teacher.email]]


def test_someone_added_to_such_a_trust_is_told_which_button_to_use_not_sent_a_link(
    passwords_off, mailoutbox, django_capture_on_commit_callbacks
):
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        person = services.person_add(
            actor=None, trust=passwords_off.trust, email="new@example.org", full_name="New Person"
        )
        services.person_invite(person=person, base_url="https://coaching.example.org/")
        services.membership_start(
            actor=None,
            trust=passwords_off.trust,
            user=person,
            role=Role.TEACHER,
            school=passwords_off.own.school,
        )
    [message] = mailoutbox
    assert "https://coaching.example.org/accounts/login/" in message.body
    assert "“Sign in with Trust A Microsoft account”" in message.body
    assert "/accounts/reset/" not in message.body
    assert "password" not in message.body
