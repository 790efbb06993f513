"""Two-step sign-in's pages: each opens for the person, in plain words, runs no inline script
(a passkey's options are a JSON data block, its ceremony a static file), and touches nobody
else's passkey."""

import re
import time

import pytest
from allauth.account.internal.flows import login as login_flows
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.factories import (
    MembershipFactory,
    SchoolFactory,
    UserFactory,
    passkey_set_up,
    recovery_codes,
    totp_code,
    two_step_set_up,
)

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _codes_used_are_forgotten():
    cache.clear()


def person(role=Role.HEADTEACHER, *, two_step=True):
    with scopes_disabled():
        someone = UserFactory()
        MembershipFactory(user=someone, school=SchoolFactory(), role=role)
        if two_step:
            two_step_set_up(someone)
    return someone


def signed_in(someone):
    """Signed in, then the password confirmed again, so changing two-step sign-in asks for
    nothing more."""
    client = Client()
    client.post(reverse("login"), {"login": someone.email, "password": PASSWORD})
    if "_auth_user_id" not in client.session:
        client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert "_auth_user_id" in client.session
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


def key_of(someone):
    return passkey_set_up(someone, name="My phone")


def inline_scripts(html):
    """Script elements a browser would run that are not loaded from a file."""
    return [
        attributes
        for attributes in SCRIPT.findall(html)
        if "src=" not in attributes and "application/json" not in attributes
    ]


def main(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", html[html.index("<main") : html.index("</main>")])


def test_each_page_of_someone_with_two_step_sign_in_opens_in_plain_words():
    head = person()
    key_of(head)
    client = signed_in(head)

    pages = {
        "mfa_index": "Passkeys and security keys",
        "mfa_view_recovery_codes": "Keep these somewhere safe",
        "mfa_generate_recovery_codes": "Your old codes will stop working.",
        "mfa_deactivate_totp": "Remove your authenticator app",
        "mfa_list_webauthn": "My phone",
        "mfa_add_webauthn": "Add a passkey or security key",
        "mfa_reauthenticate": "Enter the code from your authenticator app",
    }
    for route, words in pages.items():
        response = client.get(reverse(route))
        assert response.status_code == 200, route
        assert words in main(response), route


def test_the_pages_run_no_inline_script():
    newcomer = person(two_step=False)
    client = signed_in(newcomer)
    for route in ("mfa_index", "mfa_activate_totp", "mfa_add_webauthn"):
        response = client.get(reverse(route))
        assert response.status_code == 200, route
        html = response.content.decode()
        page_scripts = html[html.index("</main>") :]
        assert not inline_scripts(page_scripts), route
    add = client.get(reverse("mfa_add_webauthn")).content.decode()
    assert 'id="js_data" type="application/json"' in add
    assert "/static/mfa/js/webauthn.js" in add and "/static/coachloop/two-step-keys.js" in add
    assert 'data-two-step-key="addForm"' in add


def test_the_second_step_asks_for_what_the_person_has_set_up():
    app_and_key, app_only, key_only = person(), person(), person(two_step=False)
    key_of(app_and_key)
    key_of(key_only)
    with scopes_disabled():
        RecoveryCodes.activate(key_only)

    pages = []
    for someone in (app_and_key, app_only, key_only):
        client = Client()
        client.post(reverse("login"), {"login": someone.email, "password": PASSWORD})
        pages.append(main(client.get(reverse("mfa_authenticate"))))

    both, app, key = pages
    assert "Enter the code from your authenticator app" in both
    assert "Or use your passkey or security key" in both
    assert "Use your passkey or security key" not in app
    assert "I cannot use my phone" in app
    assert "Enter the code from your authenticator app" not in key
    assert "Or enter one of your recovery codes" in key
    assert 'data-two-step-key="authenticateForm"' in key


def test_a_recovery_code_signs_in_someone_whose_only_way_is_a_passkey():
    someone = person(two_step=False)
    key_of(someone)
    with scopes_disabled():
        RecoveryCodes.activate(someone)
    client = Client()
    client.post(reverse("login"), {"login": someone.email, "password": PASSWORD})

    client.post(reverse("mfa_authenticate"), {"code": recovery_codes(someone)[0]})

    assert "_auth_user_id" in client.session


def test_someone_elses_passkey_is_not_found():
    owner, other = person(Role.TEACHER), person()
    key = key_of(owner)
    client = signed_in(other)

    for route in ("mfa_edit_webauthn", "mfa_remove_webauthn"):
        assert client.get(reverse(route, args=[key.pk])).status_code == 404, route
        assert client.post(reverse(route, args=[key.pk]), {"name": "Mine"}).status_code == 404
    assert Authenticator.objects.get(pk=key.pk).wrap().name == "My phone"


def passkey_holder_signed_in(someone):
    """Signed in a moment ago with a password and a passkey (the passkey's part is the
    browser's, tested in tests/browser/test_two_step.py), then the password confirmed again."""
    client = Client()
    client.force_login(someone)
    session = client.session
    session[login_flows.AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time()},
        {"method": "mfa", "at": time.time(), "type": "webauthn"},
        {"method": "password", "at": time.time(), "reauthenticated": True},
    ]
    session[login_flows._AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(someone.pk)
    session.save()
    return client


def test_a_head_cannot_remove_the_passkey_that_is_their_only_way_of_two_step_sign_in():
    head = person(two_step=False)
    key = key_of(head)
    client = passkey_holder_signed_in(head)

    response = client.post(reverse("mfa_remove_webauthn", args=[key.pk]), follow=True)

    assert "Your role needs two-step sign-in" in main(response)
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_a_teacher_can_remove_their_passkey():
    teacher = person(Role.TEACHER, two_step=False)
    key = key_of(teacher)
    client = passkey_holder_signed_in(teacher)

    client.post(reverse("mfa_remove_webauthn", args=[key.pk]))

    assert not Authenticator.objects.filter(pk=key.pk).exists()
