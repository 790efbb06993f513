"""The sign-in page's buttons post to Coachloop, which sends the browser on to the provider;
browsers hold that redirect to the page's Content-Security-Policy ``form-action``, so the
sign-in page allows the origins of the providers it shows, and no others."""

import pytest
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from tests.factories import SignInProviderFactory

pytestmark = pytest.mark.django_db


def form_action(response):
    policy = response["Content-Security-Policy"]
    directive = next(part for part in policy.split(";") if "form-action" in part)
    return directive.split()[1:]


def test_without_providers_forms_may_post_only_to_coachloop(client):
    assert form_action(client.get(reverse("login"))) == ["'self'"]


def test_the_sign_in_page_allows_each_provider_in_use_and_no_other(client):
    with scopes_disabled():
        SignInProviderFactory(server_url="https://accounts.example.org")
        SignInProviderFactory(server_url="https://login.example.net:8443/tenant/v2.0")
        SignInProviderFactory(server_url="https://unused.example.com", enabled=False)

    allowed = form_action(client.get(reverse("login")))

    assert "'self'" in allowed
    assert "https://accounts.example.org" in allowed
    assert "https://login.example.net:8443" in allowed
    assert "https://unused.example.com" not in allowed


def test_other_pages_allow_no_provider(client, world):
    with scopes_disabled():
        SignInProviderFactory(server_url="https://accounts.example.org")
    client.force_login(world.people["teacher"])
    assert form_action(client.get(reverse("privacy"))) == ["'self'"]


def test_a_providers_own_page_asking_to_go_on_allows_that_provider(client):
    with scopes_disabled():
        provider = SignInProviderFactory(server_url="https://accounts.example.org")
        SignInProviderFactory(server_url="https://other.example.net")
    response = client.get(reverse("openid_connect_login", args=[provider.provider_id]))
    assert response.status_code == 200
    allowed = form_action(response)
    assert "https://accounts.example.org" in allowed
    assert "https://other.example.net" not in allowed
