"""Setting up two-step sign-in and signing in with it: the authenticator app proves itself with
a real code, recovery codes are shown once set up, a wrong code is refused and signs nobody
in, a right one does, each recovery code works once, and wrong codes are limited as wrong
passwords are."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.factories import (
    MembershipFactory,
    SchoolFactory,
    UserFactory,
    recovery_codes,
    totp_code,
    two_step_set_up,
)

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"
WRONG_CODE = (
    "The code is not right. Enter the code your authenticator app shows now, or one of your "
    "recovery codes."
)


@pytest.fixture(autouse=True)
def _codes_used_are_forgotten():
    """allauth remembers codes used in the cache, so a code is not accepted twice."""
    cache.clear()
    yield
    cache.clear()


def person(role=Role.HEADTEACHER, *, two_step=True):
    with scopes_disabled():
        school = SchoolFactory()
        someone = UserFactory()
        MembershipFactory(user=someone, school=school, role=role)
        if two_step:
            two_step_set_up(someone)
    return someone


def password_step(client, someone):
    return client.post(reverse("login"), {"login": someone.email, "password": PASSWORD})


def code_step(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def password_again(client):
    """Confirm the password again, as changing two-step sign-in asks."""
    return client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def signed_in(client):
    return "_auth_user_id" in client.session


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_head_sets_up_an_authenticator_app_with_a_code_it_shows_and_sees_recovery_codes():
    head = person(two_step=False)
    client = Client()
    password_step(client, head)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_index")

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = re.search(r'id="two-step-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
    secret = secret.replace(" ", "")
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    assert 'inputmode="numeric"' in page.content.decode()
    assert 'autocomplete="one-time-code"' in page.content.decode()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = page_text(client.get(response["Location"]))
    assert "Keep these somewhere safe" in codes_page
    codes = recovery_codes(head)
    assert len(codes) == 10
    assert all(code in codes_page for code in codes)
    assert client.get(reverse("home")).status_code == 200
    assert Authenticator.objects.filter(user=head, type=Authenticator.Type.TOTP).exists()


def test_setting_up_an_app_with_a_wrong_code_says_so_and_sets_nothing_up():
    head = person(two_step=False)
    client = Client()
    password_step(client, head)
    client.get(reverse("mfa_activate_totp"))

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    empty = client.post(reverse("mfa_activate_totp"), {"code": ""})

    assert response.status_code == 200
    assert "The code is not right. Enter the 6-digit code the app shows now." in page_text(response)
    assert "Enter the code from your authenticator app." in page_text(empty)
    assert not Authenticator.objects.filter(user=head).exists()
    assert client.get(reverse("home"))["Location"] == reverse("mfa_index")


def test_with_two_step_sign_in_the_password_alone_does_not_sign_in():
    head = person()
    client = Client()

    response = password_step(client, head)

    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)
    page = page_text(client.get(reverse("mfa_authenticate")))
    assert "Enter the code from your authenticator app" in page
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_wrong_code_is_refused_with_a_clear_message_and_signs_nobody_in():
    head = person()
    client = Client()
    password_step(client, head)

    response = code_step(client, "123456" if totp_code() != "123456" else "654321")

    assert response.status_code == 200
    assert WRONG_CODE in page_text(response)
    assert "There is a problem" in page_text(response)
    assert not signed_in(client)


def test_the_right_code_signs_in_and_lands_on_the_persons_home():
    head = person()
    client = Client()
    password_step(client, head)

    response = code_step(client, totp_code())

    assert signed_in(client)
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_each_recovery_code_signs_in_once_and_not_twice():
    head = person()
    first, second = recovery_codes(head)[:2]

    for code, works in ((first, True), (first, False), (second, True)):
        client = Client()
        password_step(client, head)
        response = code_step(client, code)
        assert signed_in(client) is works, code
        if not works:
            assert WRONG_CODE in page_text(response)

    assert first not in recovery_codes(head)
    assert second not in recovery_codes(head)
    assert len(recovery_codes(head)) == 8


def test_wrong_codes_pause_signing_in_to_the_account_as_wrong_passwords_do():
    head = person()
    client = Client()
    password_step(client, head)

    for attempt in range(settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT):
        response = code_step(client, f"{attempt:06d}")
    right = code_step(client, totp_code())

    assert response.status_code == 429
    assert "Signing in is paused" in page_text(response)
    assert "Signing in to this account is paused" in page_text(right)
    assert not signed_in(client)
    # The password is paused too, from any browser.
    elsewhere = Client()
    assert password_step(elsewhere, head).status_code == 429


def test_someone_who_must_use_it_cannot_remove_their_only_way_of_doing_it():
    head = person()
    client = Client()
    password_step(client, head)
    code_step(client, totp_code())
    password_again(client)

    page = client.get(reverse("mfa_deactivate_totp"))
    client.post(reverse("mfa_deactivate_totp"))

    assert "Your role needs two-step sign-in" in page_text(page)
    assert Authenticator.objects.filter(user=head, type=Authenticator.Type.TOTP).exists()


def test_someone_who_need_not_use_it_can_remove_it():
    teacher = person(Role.TEACHER)
    client = Client()
    password_step(client, teacher)
    code_step(client, totp_code())
    password_again(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=teacher).exists()


def test_changing_two_step_sign_in_long_after_signing_in_asks_for_the_password_again(
    settings,
):
    head = person(two_step=False)
    client = Client()
    password_step(client, head)
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # as if signed in long ago

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = page_text(client.get(response["Location"]))
    assert "Confirm it is you" in page
    assert "enter your password again" in page


@pytest.mark.parametrize(
    "page", ["mfa_view_recovery_codes", "mfa_deactivate_totp", "mfa_generate_recovery_codes"]
)
def test_even_just_after_signing_in_changing_two_step_sign_in_asks_for_the_password_again(page):
    """Only someone being made to set it up is spared (see above): anyone else at a school
    computer a minute after its owner signed in must know the password."""
    teacher = person(Role.TEACHER)
    client = Client()
    password_step(client, teacher)
    code_step(client, totp_code())

    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
