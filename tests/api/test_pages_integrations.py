"""The trust's integrations as pages, for its administrators: set one up, make it a token
with scopes (the secret shown once), revoke one (it then gets a 401). Anyone else is refused;
another trust's integration is a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.api.models import ApiToken, Integration
from coachloop.common.tenancy import scopes_disabled
from tests.api.pages import confirmed, secret_on
from tests.api.tokens import bearer, make_integration, make_token

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
SOON = (timezone.localdate() + timedelta(days=30)).isoformat()


def _token_form(**overrides):
    return {
        "name": "Nightly sync",
        "scopes": ["read_activity"],
        "schools": [],
        "expires_on": SOON,
        "rate_per_minute": "60",
    } | overrides


def test_an_administrator_sets_up_an_integration_and_lands_on_its_page(client, world):
    client.force_login(world.people["administrator"])
    response = client.post(reverse("api:integration_new"), {"name": "School MIS"})
    with scopes_disabled():
        integration = Integration.objects.get()
    assert response["Location"] == reverse("api:integration", args=[integration.pk])
    page = client.get(reverse("api:integrations")).content.decode()
    assert "School MIS" in page


def test_an_integration_with_no_name_is_not_set_up_and_the_page_says_why(client, world):
    client.force_login(world.people["administrator"])
    response = client.post(reverse("api:integration_new"), {"name": ""})
    assert response.status_code == 200
    assert "Enter a name for the integration" in response.content.decode()
    with scopes_disabled():
        assert not Integration.objects.exists()


def test_a_token_with_scopes_is_made_and_its_secret_shown_once(client, world):
    integration = make_integration(world.trust, "School MIS")
    confirmed(client, world.people["administrator"])
    url = reverse("api:integration_token_new", args=[integration.pk])
    response = client.post(url, _token_form(schools=[world.own.school.pk]))
    secret = secret_on(response)
    assert secret.startswith("cl_int_")
    me = client.get(ME, headers=bearer(secret)).json()
    assert me["token"]["scopes"] == ["read_activity"]
    page = client.get(reverse("api:integration", args=[integration.pk])).content.decode()
    assert "Read coaching activity" in page and "School A1" in page
    assert secret not in page


def test_making_an_integration_token_asks_the_administrator_to_confirm_first(client, world):
    integration = make_integration(world.trust)
    client.force_login(world.people["administrator"])
    url = reverse("api:integration_token_new", args=[integration.pk])
    response = client.post(url, _token_form(scopes=["read_people"]))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    with scopes_disabled():
        assert not ApiToken.objects.exists()


def test_reading_activity_without_schools_makes_nothing_and_says_why(client, world):
    integration = make_integration(world.trust)
    confirmed(client, world.people["administrator"])
    url = reverse("api:integration_token_new", args=[integration.pk])
    response = client.post(url, _token_form())
    assert response.status_code == 200
    assert "Choose the schools whose coaching activity" in response.content.decode()
    with scopes_disabled():
        assert not ApiToken.objects.exists()


def test_another_trust_s_school_is_not_a_choice(client, world):
    integration = make_integration(world.trust)
    confirmed(client, world.people["administrator"])
    url = reverse("api:integration_token_new", args=[integration.pk])
    assert "School B1" not in client.get(url).content.decode()
    response = client.post(url, _token_form(schools=[world.other_trust_records.school.pk]))
    assert "Choose only schools of your trust." in response.content.decode()
    with scopes_disabled():
        assert not ApiToken.objects.exists()


def test_revoking_an_integration_token_stops_it_at_once(client, world):
    integration = make_integration(world.trust)
    secret, token = make_token(
        integration.account, world.trust, integration=integration, scopes=["read_people"]
    )
    client.force_login(world.people["administrator"])
    url = reverse("api:integration_token_revoke", args=[integration.pk, token.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response["Location"] == reverse("api:integration", args=[integration.pk])
    assert client.get(ME, headers=bearer(secret)).status_code == 401


def test_anyone_but_an_administrator_is_refused(client, world):
    integration = make_integration(world.trust)
    client.force_login(world.people["headteacher"])
    for url in (
        reverse("api:integrations"),
        reverse("api:integration_new"),
        reverse("api:integration", args=[integration.pk]),
        reverse("api:integration_token_new", args=[integration.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("api:integration_new"), {"name": "MIS"}).status_code == 403


def test_another_trust_s_integration_is_a_404(client, world):
    theirs = make_integration(world.other_trust)
    _secret, token = make_token(theirs.account, world.other_trust, integration=theirs)
    client.force_login(world.people["administrator"])
    assert client.get(reverse("api:integration", args=[theirs.pk])).status_code == 404
    revoke = reverse("api:integration_token_revoke", args=[theirs.pk, token.pk])
    assert client.post(revoke).status_code == 404
    with scopes_disabled():
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_a_personal_token_is_not_an_integration_s_to_revoke(client, world):
    integration = make_integration(world.trust)
    _secret, theirs = make_token(world.people["coach"], world.trust)
    client.force_login(world.people["administrator"])
    url = reverse("api:integration_token_revoke", args=[integration.pk, theirs.pk])
    assert client.post(url).status_code == 404


def test_an_integration_s_page_leads_to_its_webhooks_and_back(client, world):
    integration = make_integration(world.trust, "School MIS")
    client.force_login(world.people["administrator"])
    webhooks = reverse("webhooks:endpoints", args=[integration.pk])
    assert (
        webhooks in client.get(reverse("api:integration", args=[integration.pk])).content.decode()
    )
    back = reverse("api:integration", args=[integration.pk])
    assert back in client.get(webhooks).content.decode()
