"""A trust's administrator sets up its sign-in providers on the admin site: only their own
trust's, with the client secret written and never shown back, and switches password sign-in
off only once they have signed in through one of them."""

import pytest
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import SignInProvider, Trust
from tests.factories import SignInProviderFactory, totp_code
from tests.oidc import providers_for, sign_in_with

pytestmark = pytest.mark.django_db
SECRET = "s3cret-from-the-provider-9f2c"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def provider_post(**overrides):
    data = {
        "kind": SignInProvider.Kind.MICROSOFT,
        "name": "Trust A Microsoft account",
        "slug": "microsoft",
        "client_id": "00000000-aaaa-bbbb-cccc-000000000001",
        "client_secret": SECRET,
        "tenant_id": TENANT,
        "server_url": "",
        "allowed_domains": "example.org\nschool.example.org",
        "enabled": "on",
    }
    data.update(overrides)
    return data


def change_url(provider):
    return reverse("admin:people_signinprovider_change", args=[provider.pk])


def test_an_administrator_adds_a_provider_to_their_own_trust_and_it_is_audited(admin_client, world):
    response = admin_client.post(reverse("admin:people_signinprovider_add"), provider_post())
    assert response.status_code == 302
    with scopes_disabled():
        provider = SignInProvider.objects.get()
        event = AuditEvent.objects.get(verb="signinprovider.added")
    assert provider.trust == world.trust
    assert provider.provider_id == f"t{world.trust.pk}-microsoft"
    assert provider.issuer == f"https://login.microsoftonline.com/{TENANT}/v2.0"
    assert provider.client_secret == SECRET
    assert (event.actor, event.trust_id, event.summary) == (
        world.people["administrator"],
        world.trust.pk,
        "Trust A Microsoft account",
    )


def test_the_secret_is_never_shown_back_and_an_empty_box_keeps_it(admin_client, world):
    admin_client.post(reverse("admin:people_signinprovider_add"), provider_post())
    with scopes_disabled():
        provider = SignInProvider.objects.get()
    page = admin_client.get(change_url(provider)).content.decode()
    assert SECRET not in page
    assert "A secret is saved. Leave this empty to keep it" in page
    callback = f"/accounts/oidc/t{world.trust.pk}-microsoft/login/callback/"
    assert f"http://127.0.0.1:8000{callback}" in page  # the redirect URI to register
    # A form sent back with a problem does not show the secret either.
    problem = admin_client.post(
        change_url(provider), provider_post(client_secret="a-new-one", allowed_domains="")
    )
    assert problem.status_code == 200 and "a-new-one" not in problem.content.decode()
    response = admin_client.post(change_url(provider), provider_post(client_secret="", name="New"))
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.name, provider.client_secret) == ("New", SECRET)
    admin_client.post(change_url(provider), provider_post(client_secret="a-new-one"))
    provider.refresh_from_db()
    assert provider.client_secret == "a-new-one"
    with scopes_disabled():
        summaries = str(list(AuditEvent.objects.values()))
    assert SECRET not in summaries and "a-new-one" not in summaries


def test_a_new_provider_needs_a_secret(admin_client):
    response = admin_client.post(
        reverse("admin:people_signinprovider_add"), provider_post(client_secret="")
    )
    assert response.status_code == 200
    assert "Enter the client secret" in response.content.decode()


def test_the_secret_is_kept_out_of_error_reports(admin_client):
    response = admin_client.post(reverse("admin:people_signinprovider_add"), provider_post())
    assert response.wsgi_request.sensitive_post_parameters == ("client_secret",)


def test_an_administrator_sees_and_edits_only_their_own_trusts_providers(admin_client, world):
    with scopes_disabled():
        own = SignInProviderFactory(trust=world.trust, name="Trust A accounts")
        other = SignInProviderFactory(trust=world.other_trust, name="Trust B accounts")
    listed = admin_client.get(reverse("admin:people_signinprovider_changelist")).content.decode()
    assert "Trust A accounts" in listed and "Trust B accounts" not in listed
    assert admin_client.get(change_url(own)).status_code == 200
    assert admin_client.get(change_url(other)).status_code == 404
    assert admin_client.post(change_url(other), provider_post()).status_code == 404
    other.refresh_from_db()
    assert other.name == "Trust B accounts"


@pytest.mark.parametrize("persona", ["teacher", "headteacher", "trust_lead"])
def test_people_without_the_administrator_role_cannot_open_the_providers(client, world, persona):
    with scopes_disabled():
        provider = SignInProviderFactory(trust=world.trust)
    client.force_login(world.people[persona])
    assert client.get(change_url(provider), follow=True).status_code == 403


def test_a_client_id_another_trust_uses_is_refused_without_saying_whose(admin_client, world):
    with scopes_disabled():
        SignInProviderFactory(trust=world.other_trust, client_id="shared-client")
    response = admin_client.post(
        reverse("admin:people_signinprovider_add"), provider_post(client_id="shared-client")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Another sign-in provider already uses this client ID." in page
    assert "Trust B" not in page


def test_the_short_name_in_the_redirect_uri_is_one_per_trust_and_fixed_once_saved(
    admin_client, world
):
    with scopes_disabled():
        provider = SignInProviderFactory(trust=world.trust, slug="microsoft")
    response = admin_client.post(reverse("admin:people_signinprovider_add"), provider_post())
    assert response.status_code == 200
    assert "Your trust already has a provider with this short name." in response.content.decode()
    admin_client.post(change_url(provider), provider_post(slug="renamed", client_id="x"))
    provider.refresh_from_db()
    assert provider.slug == "microsoft"


def trust_post(trust, **overrides):
    data = {
        "name": trust.name,
        "companies_house_number": "",
        "password_sign_in": "",
        "idle_minutes": trust.idle_minutes,
        "retention_years": trust.retention_years,
    }
    data.update(overrides)
    return data


def test_password_sign_in_stays_on_until_the_trust_has_a_provider(admin_client, world):
    url = reverse("admin:people_trust_change", args=[world.trust.pk])
    response = admin_client.post(url, trust_post(world.trust))
    assert response.status_code == 200
    assert "Set up a sign-in provider" in response.content.decode()
    world.trust.refresh_from_db()
    assert world.trust.password_sign_in


def test_password_sign_in_is_switched_off_only_after_signing_in_through_the_trusts_provider(
    client, world
):
    url = reverse("admin:people_trust_change", args=[world.trust.pk])
    with providers_for(world.trust) as (loopback, [provider]):
        client.force_login(world.people["administrator"])
        response = client.post(url, trust_post(world.trust))
        assert response.status_code == 200
        assert "Sign in with one of your trust&#x27;s sign-in providers first" in (
            response.content.decode()
        )
        assert Trust.objects.get(pk=world.trust.pk).password_sign_in
        client.post(reverse("logout"))
        sign_in_with(client, loopback, provider, "administrator")
        client.post(reverse("mfa_authenticate"), {"code": totp_code()})  # leaders' second step
        assert client.post(url, trust_post(world.trust)).status_code == 302
    assert not Trust.objects.get(pk=world.trust.pk).password_sign_in


def test_the_last_provider_in_use_stays_while_password_sign_in_is_off(admin_client, world):
    with scopes_disabled():
        provider = SignInProviderFactory(trust=world.trust, slug="microsoft")
    Trust.objects.filter(pk=world.trust.pk).update(password_sign_in=False)
    post = provider_post(client_id=provider.client_id)
    del post["enabled"]
    response = admin_client.post(change_url(provider), post)
    assert response.status_code == 200
    assert "This is your trust&#x27;s last sign-in provider in use" in response.content.decode()
    provider.refresh_from_db()
    assert provider.enabled
    Trust.objects.filter(pk=world.trust.pk).update(password_sign_in=True)
    assert admin_client.post(change_url(provider), post).status_code == 302
    provider.refresh_from_db()
    assert not provider.enabled
