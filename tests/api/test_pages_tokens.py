"""A person's own API tokens as pages: made after confirming who they are, the secret shown
once on the answer to the form and never again, revoked with a confirmation (the token then
gets a 401); someone else's token, or another trust's, is a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.api.models import ApiToken
from coachloop.api.queries import digest_of
from coachloop.common.tenancy import scopes_disabled
from tests.api.pages import confirmed, secret_on
from tests.api.tokens import bearer, make_token
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
NEW = reverse("api:token_new")


def _form(days=30, name="Timetable spreadsheet"):
    return {"name": name, "expires_on": (timezone.localdate() + timedelta(days=days)).isoformat()}


def tokens_of(person):
    with scopes_disabled():
        return list(ApiToken.objects.filter(user=person))


def test_the_account_page_links_to_the_person_s_tokens(client, world):
    client.force_login(world.people["teacher"])
    page = client.get(reverse("account")).content.decode()
    assert reverse("api:tokens") in page
    assert reverse("api:integrations") not in page


def test_the_account_page_links_an_administrator_to_the_integrations(client, world):
    client.force_login(world.people["administrator"])
    assert reverse("api:integrations") in client.get(reverse("account")).content.decode()


def test_the_form_suggests_a_token_of_30_days(client, world):
    client.force_login(world.people["coach"])
    page = client.get(NEW).content.decode()
    assert (timezone.localdate() + timedelta(days=30)).isoformat() in page
    assert "365 days at most" in page


def test_making_a_token_asks_the_person_to_confirm_their_password_first(client, world):
    coach = world.people["coach"]
    client.force_login(coach)
    response = client.post(NEW, _form())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert tokens_of(coach) == []
    # Confirmed, the form they sent is sent on, and the token made on that answer.
    shown = client.post(response["Location"], {"password": PASSWORD})
    secret = secret_on(shown)
    assert secret and secret.startswith("cl_pat_")
    assert [token.name for token in tokens_of(coach)] == ["Timetable spreadsheet"]


def test_a_form_with_a_mistake_shown_after_confirming_is_sent_again_to_its_own_page(client, world):
    coach = world.people["coach"]
    client.force_login(coach)
    asked = client.post(NEW, _form(name=" "))
    shown = client.post(asked["Location"], {"password": PASSWORD})
    page = shown.content.decode()
    assert "Enter a name for the token, to know it by." in page
    # Shown at the confirmation's address, the form still goes to the token's page.
    assert f'action="{NEW}"' in page


def test_the_secret_is_shown_once_and_works(client, world):
    coach = world.people["coach"]
    confirmed(client, coach)
    response = client.post(NEW, _form())
    secret = secret_on(response)
    assert "Copy the token now" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    (token,) = tokens_of(coach)
    assert token.digest == digest_of(secret)
    assert secret not in client.get(reverse("api:tokens")).content.decode()
    assert client.get(ME, headers=bearer(secret)).status_code == 200


def test_the_list_shows_the_token_without_its_secret_and_when_it_was_last_used(client, world):
    coach = world.people["coach"]
    used = timezone.now().replace(hour=17, minute=5)
    secret, _token = make_token(coach, world.trust, name="Planner", last_used_at=used)
    client.force_login(coach)
    page = client.get(reverse("api:tokens")).content.decode()
    assert "Planner" in page
    assert secret[:12] in page and secret not in page
    assert timezone.localtime(used).strftime("%H:%M") in page
    assert "Working" in page


def test_a_leader_s_token_may_work_for_90_days_at_most_and_nothing_is_made(client, world):
    head = world.people["headteacher"]
    confirmed(client, head)
    response = client.post(NEW, _form(days=91))
    assert response.status_code == 200
    assert "A token of yours can work for 90 days at most." in response.content.decode()
    assert tokens_of(head) == []


def test_a_token_with_no_name_is_not_made_and_the_page_says_why(client, world):
    coach = world.people["coach"]
    confirmed(client, coach)
    response = client.post(NEW, _form(name=" "))
    assert "Enter a name for the token, to know it by." in response.content.decode()
    assert tokens_of(coach) == []


def test_revoking_asks_first_then_the_token_gets_a_401(client, world):
    coach = world.people["coach"]
    secret, token = make_token(coach, world.trust, name="Planner")
    client.force_login(coach)
    url = reverse("api:token_revoke", args=[token.pk])
    assert "Revoke the token “Planner”?" in client.get(url).content.decode()
    assert client.get(ME, headers=bearer(secret)).status_code == 200
    response = client.post(url)
    assert response["Location"] == reverse("api:tokens")
    assert client.get(ME, headers=bearer(secret)).status_code == 401
    assert "Revoked" in client.get(reverse("api:tokens")).content.decode()


def test_someone_else_s_token_is_a_404_and_stays_working(client, world):
    secret, token = make_token(world.people["coach"], world.trust)
    client.force_login(world.people["teacher"])
    url = reverse("api:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert client.get(ME, headers=bearer(secret)).status_code == 200


def test_someone_with_no_current_role_cannot_make_a_token(client, world):
    from tests.factories import UserFactory

    nobody = UserFactory()
    client.force_login(nobody)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _form()).status_code == 403
