"""Signing people in for the session tests, as a browser would, and moving the clock."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from tests.factories import totp_code
from tests.world import PASSWORD

# A Monday morning in term, in UK summer time (UTC+1).
START = dt.datetime(2026, 6, 8, 7, 30, tzinfo=dt.UTC)
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"
)


def signed_in_client(person, *, user_agent=ANDROID_CHROME):
    """A new browser in which ``person`` has signed in with their password (and the code of
    their authenticator app, where they have one: the world's leaders do)."""
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post(reverse("login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302, response
    if not is_signed_in(client):
        client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert is_signed_in(client)
    return client


def is_signed_in(client):
    return "_auth_user_id" in client.session


def opens_home(client):
    """Whether the client, asking for its home page, gets it rather than the sign-in page."""
    response = client.get(reverse("home"))
    return not response.get("Location", "").startswith(reverse("login"))


def sign_in_page_after(client, path=None):
    """The sign-in page the client is sent to when it asks for ``path`` (home), as text."""
    response = client.get(path or reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login")), response.redirect_chain
    return response.content.decode()
