"""Signing in with a trust's own accounts, through a real OpenID Connect provider on loopback
(tests/oidc): only someone who already has a role in that trust is signed in, matched by
the provider's verified email address in one of the trust's domains; anyone else gets a page
saying why, and nothing is created for them, then or ever."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people import services
from coachloop.people.models import Membership, User
from tests.factories import SignInProviderFactory, TrustFactory
from tests.oidc import providers_for, rows_kept, sign_in_with

pytestmark = pytest.mark.django_db


def signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def trust_a(world):
    with providers_for(world.trust) as (loopback, [provider]):
        yield loopback, provider


def test_a_known_person_is_signed_in_and_lands_on_their_home(client, world, trust_a):
    loopback, provider = trust_a
    before = rows_kept()
    response = sign_in_with(client, loopback, provider, "teacher")
    assert response.status_code == 302
    assert signed_in_as(client) == str(world.people["teacher"].pk)
    home = client.get(response["Location"], follow=True)
    assert home.redirect_chain[-1][0] == reverse("coaching:teacher_home")
    assert rows_kept() == before  # no link to the provider's account, no email address row


def test_the_email_address_is_matched_whatever_the_case_of_its_letters(client, world, trust_a):
    loopback, provider = trust_a
    sign_in_with(client, loopback, provider, "teacher-shouting")
    assert signed_in_as(client) == str(world.people["teacher"].pk)


def test_someone_with_no_account_in_the_trust_is_told_whom_to_ask_and_nothing_is_created(
    client, world, trust_a
):
    loopback, provider = trust_a
    before = rows_kept()
    response = sign_in_with(client, loopback, provider, "stranger")
    page = response.content.decode()
    assert response.status_code == 403
    assert "We could not find a Coachloop account for stranger@example.org in Trust A." in page
    assert "Ask your school's Coachloop administrator to add you." in page
    assert not signed_in_as(client)
    assert rows_kept() == before


def test_an_account_from_a_domain_the_trust_does_not_allow_is_refused(client, world, trust_a):
    loopback, provider = trust_a
    with scopes_disabled():
        outsider = User.objects.create_user("teacher@elsewhere.example.net", full_name="Out Sider")
        services.membership_start(
            actor=None, trust=world.trust, user=outsider, role="teacher", school=world.own.school
        )
    before = rows_kept()
    response = sign_in_with(client, loopback, provider, "teacher-elsewhere")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Trust A signs in only accounts from its own domains" in page
    assert "<li>example.org</li>" in page
    assert not signed_in_as(client)
    assert rows_kept() == before


def test_an_email_address_the_provider_has_not_verified_is_refused(client, world, trust_a):
    loopback, provider = trust_a
    before = rows_kept()
    response = sign_in_with(client, loopback, provider, "teacher-unconfirmed")
    assert response.status_code == 403
    assert "Your email address has not been confirmed" in response.content.decode()
    assert not signed_in_as(client)
    assert rows_kept() == before


def test_someone_in_one_trust_cannot_sign_in_with_another_trusts_provider(client, world):
    with providers_for(world.trust, world.other_trust) as (loopback, [_a, trust_b]):
        before = rows_kept()
        response = sign_in_with(client, loopback, trust_b, "teacher")
        assert response.status_code == 403
        assert "We could not find a Coachloop account for teacher-a1@example.org in Trust B" in (
            response.content.decode()
        )
        assert not signed_in_as(client)
        assert rows_kept() == before
        # Trust B's own coaching lead does sign in with it.
        sign_in_with(client, loopback, trust_b, "trust-b-lead")
        with scopes_disabled():
            assert signed_in_as(client) == str(User.objects.get(email="lead-b1@example.org").pk)


def test_every_sign_in_is_checked_afresh_so_a_finished_role_stops_the_next_one(
    client, world, trust_a
):
    loopback, provider = trust_a
    sign_in_with(client, loopback, provider, "teacher")
    assert signed_in_as(client)
    client.post(reverse("logout"))
    with scopes_disabled():
        role = Membership.objects.get(user=world.people["teacher"])
        services.membership_finish(
            actor=None, membership=role, finished_on=timezone.localdate() - dt.timedelta(days=1)
        )
    response = sign_in_with(client, loopback, provider, "teacher")
    assert response.status_code == 403
    assert not signed_in_as(client)


def test_someone_made_inactive_is_not_signed_in(client, world, trust_a):
    loopback, provider = trust_a
    User.objects.filter(pk=world.people["teacher"].pk).update(is_active=False)
    response = sign_in_with(client, loopback, provider, "teacher")
    assert response.status_code == 403
    assert not signed_in_as(client)


def test_another_account_cannot_be_connected_to_a_signed_in_person(client, world, trust_a):
    """Coachloop links no provider's account to a person: the pages that would are closed,
    and a sign-in set off to connect one signs nobody in and stores nothing."""
    loopback, provider = trust_a
    client.force_login(world.people["coach"])
    assert client.get("/accounts/3rdparty/").status_code == 404
    assert client.get("/accounts/3rdparty/signup/").status_code == 404
    before = rows_kept()
    response = sign_in_with(client, loopback, provider, "teacher", process="connect")
    assert response.status_code == 404
    assert signed_in_as(client) == str(world.people["coach"].pk)
    assert rows_kept() == before


def test_a_provider_taken_out_of_use_signs_nobody_in(client, world, trust_a):
    loopback, provider = trust_a
    start = client.post(
        reverse("openid_connect_login", args=[provider.provider_id]), {"process": "login"}
    )
    with scopes_disabled():
        provider.enabled = False
        provider.save()
    back = urlsplit(loopback.sign_in(start["Location"], "teacher"))
    assert client.get(f"{back.path}?{back.query}").status_code == 404
    assert not signed_in_as(client)
    login = reverse("openid_connect_login", args=[provider.provider_id])
    assert client.post(login, {"process": "login"}).status_code == 404


def test_a_provider_that_cannot_be_reached_gets_a_page_saying_so_not_an_error(client, world):
    with scopes_disabled():
        provider = SignInProviderFactory(trust=world.trust, server_url="http://127.0.0.1:9")
    response = client.post(
        reverse("openid_connect_login", args=[provider.provider_id]), {"process": "login"}
    )
    assert response.status_code == 502
    assert "Coachloop could not reach" in response.content.decode()


def test_the_sign_in_page_has_a_button_for_each_provider_in_use_under_its_trusts_name(
    client, world
):
    with scopes_disabled():
        SignInProviderFactory(trust=world.trust, name="Trust A Google")
        SignInProviderFactory(trust=world.other_trust, name="Trust B Microsoft")
        SignInProviderFactory(trust=world.other_trust, name="Old accounts", enabled=False)
    page = client.get(reverse("login")).content.decode()
    assert page.index("Trust A") < page.index("Sign in with Trust A Google")
    assert page.index("Trust B") < page.index("Sign in with Trust B Microsoft")
    assert "Old accounts" not in page
    assert page.count('name="csrfmiddlewaretoken"') == 3  # the password form and two buttons
    assert '<input type="hidden" name="process" value="login">' in page


def test_a_provider_button_carries_where_to_go_after_signing_in(client, world):
    with scopes_disabled():
        SignInProviderFactory(trust=world.trust)
    page = client.get(reverse("login") + "?next=/admin/").content.decode()
    assert page.count('name="next" value="/admin/"') == 2


def test_someone_with_two_step_sign_in_gives_their_code_after_the_provider(client, world, trust_a):
    """allauth keeps the half-finished sign-in while it asks for the code, and finds the
    provider again by its client ID alone: that must lead back to the same provider."""
    loopback, provider = trust_a
    secret = generate_totp_secret()
    TOTP.activate(world.people["teacher"], secret)
    response = sign_in_with(client, loopback, provider, "teacher")
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in_as(client)
    counter = next(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(secret, counter))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert signed_in_as(client) == str(world.people["teacher"].pk)


@pytest.mark.queries
def test_the_sign_in_page_runs_as_many_queries_with_many_providers_as_with_one(client, world):
    def queries_for_the_page():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("login")).status_code == 200
        return len(queries)

    with scopes_disabled():
        SignInProviderFactory(trust=world.trust)
    one = queries_for_the_page()
    with scopes_disabled():
        for trust in (world.trust, world.other_trust, *TrustFactory.create_batch(8)):
            SignInProviderFactory.create_batch(2, trust=trust)
    assert queries_for_the_page() == one <= 2
