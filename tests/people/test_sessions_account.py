"""The person's own account page: who they are, links to change their password and two-step
sign-in, their recent sign-ins (when, on what, how) and nobody else's, and signing out
everywhere. Each sign-in is recorded once django-allauth has finished it, every step done."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import SignIn
from coachloop.people.sign_in_records import (
    SIGN_INS_KEPT_DAYS,
    device_described,
    how_signed_in,
    sign_in_record,
)
from tests.factories import UserFactory
from tests.people.sessions_helpers import (
    ANDROID_CHROME,
    IPHONE_SAFARI,
    START,
    WINDOWS_EDGE,
    signed_in_client,
)
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def main_of(response):
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def _text(html):
    return re.sub(r"<[^>]+>", "", html).strip()


def sign_in_rows(response):
    """The recent sign-ins table, as (when, device, how) per row."""
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', main_of(response), re.S)[1:]
    return [
        tuple(_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)) for row in rows
    ]


def test_the_account_page_shows_the_persons_name_email_and_how_they_sign_in(world):
    person = world.people["coach"]
    client = signed_in_client(person)
    response = client.get(reverse("account"))
    assert response.status_code == 200
    body = main_of(response)
    assert person.full_name in body and person.email in body
    assert f'href="{reverse("account_change_password")}?next=/account/"' in body
    assert f'href="{reverse("mfa_index")}"' in body
    assert f'action="{reverse("sign_out_everywhere")}"' in body


def test_someone_without_a_password_is_not_offered_to_change_it(world, client):
    person = world.people["coach"]
    person.set_unusable_password()
    person.save()
    client.force_login(person)
    body = main_of(client.get(reverse("account")))
    assert reverse("account_change_password") not in body
    assert reverse("mfa_index") in body


def test_sign_ins_are_listed_newest_first_with_time_device_and_how(world):
    person = world.people["coach"]
    with time_machine.travel(START, tick=False) as clock:  # 8:30 in the UK
        signed_in_client(person, user_agent=WINDOWS_EDGE)
        clock.shift(dt.timedelta(days=1, hours=5, minutes=15))
        client = signed_in_client(person, user_agent=IPHONE_SAFARI)
        response = client.get(reverse("account"))
    assert sign_in_rows(response) == [
        ("9 June 2026, 13:45", "Safari on an iPhone", "Password"),
        ("8 June 2026, 08:30", "Edge on Windows", "Password"),
    ]


def test_only_the_persons_own_sign_ins_are_listed(world):
    signed_in_client(world.people["teacher"], user_agent=WINDOWS_EDGE)
    signed_in_client(world.people["other_coach"], user_agent=WINDOWS_EDGE)
    client = signed_in_client(world.people["coach"], user_agent=ANDROID_CHROME)
    rows = sign_in_rows(client.get(reverse("account")))
    assert [(device, how) for _when, device, how in rows] == [("Chrome on Android", "Password")]


def test_the_last_twenty_sign_ins_are_listed(world, client):
    person = world.people["coach"]
    for day in range(25):
        SignIn.objects.create(
            person=person,
            at=START - dt.timedelta(days=day),
            device="Chrome on Android",
            method=SignIn.Method.PASSWORD,
        )
    client.force_login(person)
    rows = sign_in_rows(client.get(reverse("account")))
    assert len(rows) == 20
    assert rows[0][0] == "8 June 2026, 08:30"


def test_a_sign_in_with_a_password_and_an_authenticator_app_says_so(world):
    person = world.people["coach"]
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    client = Client(HTTP_USER_AGENT=ANDROID_CHROME)
    response = client.post(reverse("login"), {"login": person.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert not SignIn.objects.exists()  # not signed in until the second step is done
    code = format_hotp_value(hotp_value(secret, int(START.timestamp()) // 30))
    with time_machine.travel(START, tick=False):
        response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    (sign_in,) = SignIn.objects.filter(person=person)
    assert sign_in.how() == "Password and authenticator app"


def test_a_wrong_password_records_no_sign_in(world):
    person = world.people["coach"]
    Client().post(reverse("login"), {"login": person.email, "password": "not-the-password"})
    assert not SignIn.objects.exists()


def _request_with(records, person):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.session["account_authentication_methods"] = records
    request.session["account_authentication_methods_user"] = str(person.pk)
    return request


@pytest.mark.parametrize(
    ("records", "how"),
    [
        ([{"method": "password"}], "Password"),
        (
            [{"method": "password"}, {"method": "mfa", "type": "webauthn"}],
            "Password and security key or passkey",
        ),
        (
            [{"method": "password"}, {"method": "mfa", "type": "recovery_codes"}],
            "Password and recovery code",
        ),
        ([{"method": "mfa", "type": "webauthn", "passwordless": True}], "Passkey"),
        (
            [{"method": "socialaccount", "provider": "riverside-google", "uid": "1"}],
            "Single sign-on (riverside-google)",
        ),
        (
            [
                {"method": "password"},
                {"method": "password", "reauthenticated": True},
                {"method": "mfa", "type": "totp", "reauthenticated": True},
            ],
            "Password",
        ),
    ],
)
def test_how_someone_signed_in_comes_from_allauths_record_of_each_step(world, records, how):
    person = world.people["coach"]
    method, second_step, provider = how_signed_in(_request_with(records, person), person)
    sign_in = SignIn(method=method, second_step=second_step, provider=provider)
    assert sign_in.how() == how


def test_single_sign_on_is_named_by_its_providers_name(world):
    class Provider:
        name = "Riverside Google accounts"

    class Account:
        def get_provider(self, request):
            return Provider()

    class SocialLogin:
        account = Account()

    person = world.people["coach"]
    records = [{"method": "socialaccount", "provider": "riverside-google", "uid": "1"}]
    method, second_step, provider = how_signed_in(
        _request_with(records, person), person, sociallogin=SocialLogin()
    )
    assert SignIn(method=method, second_step=second_step, provider=provider).how() == (
        "Single sign-on (Riverside Google accounts)"
    )


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (ANDROID_CHROME, "Chrome on Android"),
        (IPHONE_SAFARI, "Safari on an iPhone"),
        (WINDOWS_EDGE, "Edge on Windows"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.5 Safari/605.1.15",
            "Safari on a Mac",
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1",
            "Chrome on an iPad",
        ),
        (
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36",
            "Chrome on a Chromebook",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
            "Firefox on Windows",
        ),
        ("", "An unknown browser or device"),
        ("curl/8.5.0", "curl"),
    ],
)
def test_the_device_is_described_in_plain_words(user_agent, device):
    assert device_described(user_agent) == device


def test_sign_ins_older_than_the_days_kept_are_forgotten_when_another_is_recorded(world):
    person, other = world.people["coach"], world.people["teacher"]
    with time_machine.travel(START, tick=False) as clock:
        old = sign_in_record(person=other, user_agent=WINDOWS_EDGE, method=SignIn.Method.PASSWORD)
        clock.shift(dt.timedelta(days=SIGN_INS_KEPT_DAYS - 1))
        recent = sign_in_record(person=other, user_agent=WINDOWS_EDGE, method="password")
        clock.shift(dt.timedelta(days=2))
        newest = sign_in_record(person=person, user_agent=ANDROID_CHROME, method="password")
    assert set(SignIn.objects.all()) == {recent, newest}
    assert not SignIn.objects.filter(pk=old.pk).exists()


def test_the_header_links_to_the_persons_account(world):
    client = signed_in_client(world.people["teacher"])
    page = client.get(reverse("frameworks:library")).content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert f'href="{reverse("account")}">Your account</a>' in header
    account_page = client.get(reverse("account")).content.decode()
    assert f'href="{reverse("account")}" aria-current="page">Your account' in account_page


def test_someone_signed_out_sees_no_account_link(client):
    page = client.get(reverse("login")).content.decode()
    assert "Your account" not in page


def test_the_account_page_needs_a_current_role(world, client):
    with scopes_disabled():
        nobody = UserFactory()
    client.force_login(nobody)
    assert client.get(reverse("account")).status_code == 403
