"""Helpers for the token and integration pages: a person signed in who has just confirmed
their password (allauth's re-authentication), and the secret a page shows."""

import re

from django.urls import reverse

from tests.world import PASSWORD

SECRET = re.compile(r'value="(cl_(?:pat|int)_[A-Za-z0-9_-]+)"')


def confirmed(client, person):
    """``person`` signed in on ``client``, having confirmed their password a moment ago."""
    client.force_login(person)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, "the password was not confirmed"
    return client


def secret_on(response):
    found = SECRET.search(response.content.decode())
    return found.group(1) if found else None
