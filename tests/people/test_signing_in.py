"""Sign-in cannot be guessed at: wrong passwords pause signing in for the account and for the
address they come from, for a while, whatever the sign-in route; a successful sign-in or a
new password clears the account's count. Failures are kept in the database, so every worker
of the server sees the same count."""

import datetime as dt
import io

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin as django_admin
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from coachloop.people.signin import client_address
from tests.factories import (
    MembershipFactory,
    TrustFactory,
    UserFactory,
    totp_code,
    two_step_set_up,
)

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"
PAUSED = "Signing in is paused"
WRONG = "Enter the email address and password of your Coachloop account."
NOT_ENDED_BY_A_NEW_PASSWORD = (
    "If signing in is paused for everyone at your network address (the staff of a school often "
    "share one), a new password will not end it: wait 15 minutes, then sign in again."
)


def sign_in(client, email, password, *, address="203.0.113.10", path=None):
    return client.post(
        path or reverse("login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def main_content(response):
    """The page's main content: the rest carries a random CSRF token."""
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def fail(client, email, times, **kwargs):
    for attempt in range(times):
        sign_in(client, email, f"not-the-password-{attempt}", **kwargs)


def time_passes(**duration):
    """Every failure recorded so far moves back by ``duration``, as if it had gone by."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(**duration))


def after_the_pause():
    time_passes(minutes=settings.COACHLOOP_SIGN_IN_PAUSE_MINUTES, seconds=1)


def test_thirty_one_wrong_passwords_lock_the_account_and_the_right_one_then_waits(client):
    person = UserFactory()
    for attempt in range(31):
        response = sign_in(client, person.email, f"guess-{attempt}")
        page = response.content.decode()
        assert not signed_in(client)
        if attempt < settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT - 1:
            assert response.status_code == 200 and WRONG in page
        else:
            assert response.status_code == 429 and PAUSED in page
            assert "signing in is paused for 15 minutes" in page
            assert "reset your password" in page
            assert NOT_ENDED_BY_A_NEW_PASSWORD in page
    response = sign_in(client, person.email, PASSWORD)
    assert response.status_code == 429 and PAUSED in response.content.decode()
    assert not signed_in(client)
    assert client.get(reverse("home")).status_code == 302


def test_signing_in_resumes_once_the_pause_is_over(client):
    person = UserFactory()
    fail(client, person.email, settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT)
    assert sign_in(client, person.email, PASSWORD).status_code == 429
    after_the_pause()
    response = sign_in(client, person.email, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_trying_during_the_pause_does_not_make_it_longer(client):
    person = UserFactory()
    fail(client, person.email, settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT)
    time_passes(minutes=settings.COACHLOOP_SIGN_IN_PAUSE_MINUTES - 5)
    fail(client, person.email, 5)
    assert sign_in(client, person.email, PASSWORD).status_code == 429
    time_passes(minutes=5, seconds=1)
    assert sign_in(client, person.email, PASSWORD).status_code == 302


def test_the_account_is_counted_whatever_the_address_or_the_case_of_its_letters(client):
    person = UserFactory(email="ada.teacher@example.org")
    spellings = ["ADA.TEACHER@example.org", "Ada.Teacher@Example.org", " ada.teacher@example.org"]
    for attempt in range(settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT):
        sign_in(
            client,
            spellings[attempt % len(spellings)],
            "not-the-password",
            address=f"198.51.100.{attempt + 1}",
        )
    response = sign_in(client, person.email, PASSWORD, address="192.0.2.200")
    assert response.status_code == 429 and not signed_in(client)


def test_signing_in_clears_the_accounts_earlier_failures(client):
    person = UserFactory()
    below_the_limit = settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT - 1
    fail(client, person.email, below_the_limit)
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    fail(client, person.email, below_the_limit)
    assert sign_in(client, person.email, PASSWORD).status_code == 302


def test_many_failures_from_one_address_pause_signing_in_there_for_every_account(client):
    """A school's staff share one address, so it has a larger limit of its own; one person
    signing in there does not wipe the address's count."""
    school_network, elsewhere = "203.0.113.50", "198.51.100.50"
    address_limit = settings.COACHLOOP_SIGN_IN_ADDRESS_LIMIT
    # Spread over enough accounts that none of them reaches the account's own limit.
    guessed = [
        UserFactory()
        for _ in range(address_limit // (settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT - 1) + 1)
    ]
    bystander, colleague = UserFactory(), UserFactory()

    def guess(attempt):
        email = guessed[attempt % len(guessed)].email
        sign_in(client, email, f"guess-{attempt}", address=school_network)

    for attempt in range(address_limit - 1):
        guess(attempt)
    assert sign_in(client, colleague.email, PASSWORD, address=school_network).status_code == 302
    client.post(reverse("logout"))
    guess(address_limit - 1)
    response = sign_in(client, bystander.email, PASSWORD, address=school_network)
    assert response.status_code == 429 and not signed_in(client)
    assert sign_in(client, bystander.email, PASSWORD, address=elsewhere).status_code == 302


def test_an_email_address_with_no_account_is_paused_in_the_same_words(client):
    person = UserFactory()
    pages = []
    for email, address in ((person.email, "203.0.113.1"), ("nobody@example.org", "203.0.113.2")):
        fail(client, email, settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT - 1, address=address)
        response = sign_in(client, email, "not-the-password", address=address)
        pages.append((response.status_code, main_content(response)))
    assert pages[0] == pages[1]
    assert pages[0][0] == 429 and PAUSED in pages[0][1]


def test_the_admin_site_cannot_be_signed_into_while_signing_in_is_paused(client):
    with scopes_disabled():
        administrator = MembershipFactory(
            school=None, trust=TrustFactory(), role=Role.ADMINISTRATOR
        ).user
        two_step_set_up(administrator)  # as administrators must
    admin_sign_in = reverse("login") + "?next=" + reverse("admin:index")
    assert client.get(reverse("admin:index"), follow=True).redirect_chain[-1][0] == admin_sign_in
    fail(client, administrator.email, settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT, path=admin_sign_in)
    response = sign_in(client, administrator.email, PASSWORD, path=admin_sign_in)
    assert response.status_code == 429 and PAUSED in response.content.decode()
    sign_in(client, administrator.email, PASSWORD, path=reverse("admin:login"))
    assert not signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 302
    # Any way in that checks a password goes through authenticate(), and is refused too.
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.99")
    assert authenticate(request, username=administrator.email, password=PASSWORD) is None
    after_the_pause()
    sign_in(client, administrator.email, PASSWORD, path=admin_sign_in)
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.get(reverse("admin:index")).status_code == 200


def choose_a_new_password(client, person, mailoutbox, new_password):
    client.post(reverse("password_reset"), {"email": person.email})
    link = next(line for line in mailoutbox[-1].body.splitlines() if "/accounts/reset/" in line)
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )


def test_choosing_a_new_password_from_an_emailed_link_ends_the_pause(client, mailoutbox):
    person = UserFactory()
    fail(client, person.email, settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT)
    new_password = "a-brand-new-passphrase-42"
    choose_a_new_password(client, person, mailoutbox, new_password)
    response = sign_in(client, person.email, new_password)
    assert response.status_code == 302 and signed_in(client)


def test_a_new_password_does_not_end_a_pause_on_the_network_address_as_the_page_says(
    client, mailoutbox
):
    school_network, elsewhere = "203.0.113.60", "198.51.100.60"
    address_limit = settings.COACHLOOP_SIGN_IN_ADDRESS_LIMIT
    # Spread over enough accounts that none of them reaches the account's own limit.
    guessed = [
        UserFactory()
        for _ in range(address_limit // (settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT - 1) + 1)
    ]
    for attempt in range(address_limit):
        email = guessed[attempt % len(guessed)].email
        sign_in(client, email, f"guess-{attempt}", address=school_network)
    colleague = UserFactory()
    paused = sign_in(client, colleague.email, PASSWORD, address=school_network)
    assert paused.status_code == 429 and NOT_ENDED_BY_A_NEW_PASSWORD in main_content(paused)
    new_password = "a-brand-new-passphrase-43"
    choose_a_new_password(client, colleague, mailoutbox, new_password)
    assert sign_in(client, colleague.email, new_password, address=school_network).status_code == 429
    assert sign_in(client, colleague.email, new_password, address=elsewhere).status_code == 302


def test_sign_in_records_are_not_in_the_admin_site_which_shows_one_trust_only():
    """Axes' own admin pages would list every trust's failed sign-ins (email, address)."""
    assert not [model for model in django_admin.site._registry if model._meta.app_label == "axes"]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.1"),
        (0, "203.0.113.5", "10.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.7, 203.0.113.5", "203.0.113.5"),
        (2, "198.51.100.7, 203.0.113.5", "198.51.100.7"),
        (2, "203.0.113.5", "203.0.113.5"),
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_the_address_comes_from_the_proxies_header_only_when_proxies_are_trusted(
    settings, proxies, forwarded, expected
):
    settings.COACHLOOP_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_addresses_in_one_ipv6_network_count_as_one():
    factory = RequestFactory()
    first = factory.get("/", REMOTE_ADDR="2001:db8:5:6::1")
    second = factory.get("/", REMOTE_ADDR="2001:db8:5:6:ffff:1:2:3")
    another_network = factory.get("/", REMOTE_ADDR="2001:db8:5:7::1")
    assert client_address(first) == client_address(second) == "2001:db8:5:6::"
    assert client_address(another_network) != client_address(first)


def test_a_forged_header_does_not_spread_one_address_over_many(client, settings):
    settings.COACHLOOP_TRUSTED_PROXIES = 1
    bystander = UserFactory()
    for attempt in range(settings.COACHLOOP_SIGN_IN_ADDRESS_LIMIT):
        client.post(
            reverse("login"),
            {"login": f"guess{attempt}@example.org", "password": "not-the-password"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt % 250}, 203.0.113.77",
        )
    response = client.post(
        reverse("login"),
        {"login": bystander.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.77",
    )
    assert response.status_code == 429


def test_an_operator_releases_a_paused_account_with_axes_command(client):
    person = UserFactory()
    fail(client, person.email, settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT)
    call_command("axes_reset_username", person.email, stdout=io.StringIO())
    assert sign_in(client, person.email, PASSWORD).status_code == 302
