"""Password links are sent only a few times an hour to one email address, and to a few
dozen from one network address, without ever saying whether an address has an account."""

import datetime as dt

import pytest
from django.conf import settings
from django.db.models import F
from django.urls import reverse

from coachloop.people.models import PasswordLinkRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOO_MANY = "Too many password links have been asked for from your network"


def ask_for_a_link(client, email, *, address="203.0.113.20"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def an_hour_later():
    PasswordLinkRequest.objects.update(requested_at=F("requested_at") - dt.timedelta(hours=1))


def test_links_beyond_the_limit_for_one_email_are_not_sent_and_the_page_says_the_same(
    client, mailoutbox
):
    person = UserFactory()
    limit = settings.COACHLOOP_RESET_LINKS_PER_EMAIL
    responses = [
        ask_for_a_link(client, person.email.upper() if n % 2 else person.email)
        for n in range(limit + 3)
    ]
    assert len(mailoutbox) == limit
    assert {(r.status_code, r.url) for r in responses} == {(302, reverse("password_reset_done"))}
    an_hour_later()
    ask_for_a_link(client, person.email)
    assert len(mailoutbox) == limit + 1


def test_an_email_address_with_no_account_is_limited_in_the_same_way_and_the_same_words(
    client, mailoutbox
):
    person = UserFactory()
    limit = settings.COACHLOOP_RESET_LINKS_PER_EMAIL
    for email in (person.email, "nobody@example.org"):
        for _ in range(limit):
            ask_for_a_link(client, email)
    beyond = [ask_for_a_link(client, email) for email in (person.email, "nobody@example.org")]
    assert [(r.status_code, r.url) for r in beyond] == [(302, reverse("password_reset_done"))] * 2
    assert len(mailoutbox) == limit
    kept = str(list(PasswordLinkRequest.objects.values()))
    assert person.email not in kept and "nobody@" not in kept


def test_links_from_one_address_beyond_its_limit_are_refused_with_a_message(client, mailoutbox):
    person = UserFactory()
    school_network = "203.0.113.30"
    for n in range(settings.COACHLOOP_RESET_LINKS_PER_ADDRESS):
        ask_for_a_link(client, f"someone{n}@example.org", address=school_network)
    pages = [
        ask_for_a_link(client, email, address=school_network)
        for email in (person.email, "nobody@example.org")
    ]
    for response in pages:
        assert response.status_code == 429
        assert TOO_MANY in response.content.decode()
    assert mailoutbox == []
    assert ask_for_a_link(client, person.email, address="198.51.100.30").status_code == 302
    assert len(mailoutbox) == 1


def test_requests_older_than_an_hour_are_forgotten(client):
    ask_for_a_link(client, "first@example.org")
    an_hour_later()
    ask_for_a_link(client, "second@example.org")
    assert PasswordLinkRequest.objects.count() == 1


def test_the_password_link_and_its_pages_are_coachloops_own_not_djangos(client, mailoutbox):
    person = UserFactory()
    ask_for_a_link(client, person.email)
    email = mailoutbox[0]
    assert email.subject == "Reset your Coachloop password"
    assert "Someone asked to reset the password of your Coachloop account." in email.body
    link = next(line for line in email.body.splitlines() if "/accounts/reset/" in line)
    pages = [client.get(reverse(name)) for name in ("login", "password_reset")]
    pages.append(client.get(link.split("testserver", 1)[1], follow=True))
    pages += [
        client.get(reverse(name)) for name in ("password_reset_done", "password_reset_complete")
    ]
    assert [page.templates[0].name for page in pages] == [
        "people/login.html",
        "people/password_reset_form.html",
        "people/password_reset_confirm.html",
        "people/password_reset_done.html",
        "people/password_reset_complete.html",
    ]
