"""Two-step sign-in in the demo: its accounts sign in with the password alone, leaders too,
except one head of the second school, who has set it up with a published key that the command
prints, to show how it goes; built the same way every time."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from coachloop.common.tenancy import trust_scope
from coachloop.demo.build import build_demo
from coachloop.demo.two_step import DEMO_TOTP_SECRET, two_step_login
from coachloop.people.models import Trust, User
from coachloop.people.two_step import must_use_two_step
from tests.factories import recovery_codes, totp_code

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 11, 20)
PASSWORD = "coachloop-demo"
LEADERS = [
    "head@riverside.example.org",
    "trustlead@riverside.example.org",
    "admin@riverside.example.org",
    "programme-lead@wessex.example.ac.uk",
]


@pytest.fixture
def trust():
    cache.clear()
    return build_demo(today=TODAY)


def login_of(trust):
    with trust_scope(trust):
        return two_step_login(trust)


def sign_in(email):
    client = Client()
    response = client.post(reverse("login"), {"login": email, "password": PASSWORD})
    return client, response


def test_the_demos_leaders_sign_in_with_the_password_alone(trust):
    for email in LEADERS:
        client, response = sign_in(email)
        assert "_auth_user_id" in client.session, email
        assert response["Location"] == reverse("home"), email
        landing = client.get(reverse("home"))
        assert landing.get("Location") != reverse("mfa_index"), email


def test_one_demo_head_is_asked_for_a_code_from_the_published_key(trust):
    label, email, secret = login_of(trust)
    assert secret == DEMO_TOTP_SECRET
    assert label.startswith("Headteacher of ")
    assert not must_use_two_step(User.objects.get(email=email))  # waived, but set up

    client, response = sign_in(email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert "_auth_user_id" in client.session
    assert client.get(reverse("home")).status_code == 200


def test_the_two_step_head_is_the_same_with_the_same_codes_each_time():
    first = build_demo(today=TODAY)
    _label, email, _secret = login_of(first)
    codes = recovery_codes(User.objects.get(email=email))
    call_command("load_demo", "--today", "2025-11-20", "--replace", stdout=io.StringIO())

    again = Trust.objects.get(slug="riverside")
    assert login_of(again)[1] == email
    assert recovery_codes(User.objects.get(email=email)) == codes


def test_the_command_prints_who_shows_two_step_sign_in_and_the_key():
    out = io.StringIO()
    call_command("load_demo", "--today", "2025-11-20", stdout=out)
    printed = out.getvalue()

    _label, email, _secret = login_of(Trust.objects.get(slug="riverside"))
    assert email in printed
    assert "COAC HLOO PDEM OTWO STEP SIGN INKE Y234" in printed
    assert "authenticator app" in printed
