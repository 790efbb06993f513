"""Signing in runs on django-allauth, but only the pages Coachloop means to offer are open:
nobody signs up or adds an email address of their own, password links are always ours (which
are limited per address), and allauth's tables stay out of the trusts' admin site."""

import pytest
from django.contrib import admin as django_admin
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/email/", "/accounts/login/code/"])
def test_pages_for_signing_up_or_adding_an_email_address_are_not_found(client, world, path):
    assert client.get(path).status_code == 404
    client.force_login(world.people["teacher"])
    assert client.get(path).status_code == 404


def test_signing_up_by_post_creates_nobody(client, django_user_model):
    before = django_user_model.objects.count()
    response = client.post(
        "/accounts/signup/", {"email": "someone@example.org", "password1": "a-long-passphrase-9"}
    )
    assert response.status_code == 404
    assert django_user_model.objects.count() == before


def test_allauths_password_link_page_leads_to_coachloops_own(client):
    response = client.get("/accounts/password/reset/")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset")
    client.post("/accounts/password/reset/", {"email": "someone@example.org"})
    assert mail.outbox == []


def test_signing_in_shows_no_banner_saying_so(client, world):
    person = world.people["coach"]
    person.set_password("a-long-test-passphrase")
    person.save()
    response = client.post(
        reverse("login"), {"login": person.email, "password": "a-long-test-passphrase"}, follow=True
    )
    assert response.status_code == 200
    assert "_auth_user_id" in client.session
    assert "Successfully signed in" not in response.content.decode()


def test_allauths_tables_are_not_on_the_trusts_admin_site():
    labels = {model._meta.app_label for model in django_admin.site._registry}
    assert not labels & {"account", "socialaccount", "mfa", "usersessions"}
    assert "people" in labels


def test_someone_signed_in_can_still_open_the_sign_in_page_to_sign_in_as_someone_else(
    client, world
):
    client.force_login(world.people["coaching_lead"])
    teacher = world.people["teacher"]
    teacher.set_password("a-long-test-passphrase")
    teacher.save()
    assert client.get(reverse("login")).status_code == 200
    client.post(reverse("login"), {"login": teacher.email, "password": "a-long-test-passphrase"})
    assert client.session["_auth_user_id"] == str(teacher.pk)


def test_allauths_own_pages_are_drawn_in_coachloops_page_at_two_thirds_width(client):
    page = client.get(reverse("account_inactive")).content.decode()
    assert '<main class="govuk-main-wrapper cl-main--two-thirds" id="main-content">' in page
    assert 'class="govuk-heading-l"' in page  # allauth's heading, drawn as GOV.UK's
    assert "Coachloop" in page[: page.index("<main")]  # our header above it


def test_the_admin_sites_own_password_change_leads_to_coachloops(admin_client):
    for name in ("admin:password_change", "admin:password_change_done"):
        response = admin_client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == reverse("account_change_password")
    response = admin_client.post(
        reverse("admin:password_change"),
        {"old_password": "x", "new_password1": "a-new-pass-99", "new_password2": "a-new-pass-99"},
    )
    assert response["Location"] == reverse("account_change_password")


@pytest.mark.parametrize(
    "provider_id", ["openid_connect", "t99999999999999999999999-x", "t1-nobody", "nonsense"]
)
def test_an_address_of_no_provider_in_use_is_not_found(client, provider_id):
    for name in ("openid_connect_login", "openid_connect_callback"):
        assert client.get(reverse(name, args=[provider_id])).status_code == 404
        assert client.post(reverse(name, args=[provider_id])).status_code == 404


def test_a_session_from_before_its_limits_were_kept_is_ended(client, world):
    client.force_login(world.people["teacher"])
    session = client.session
    for key in ("coachloop_signed_in_at", "coachloop_last_used_at"):
        session.pop(key, None)
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
