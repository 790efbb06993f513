"""Two-step sign-in in a real browser, on a phone and on a desktop: a head who has not set it up
signs in, is made to set up an authenticator app (typing the key shown on the page, as on a
phone that cannot scan its own screen), keeps their recovery codes, reaches their home, signs
out and signs in again with a code, a wrong one first. Another head adds a passkey instead
(Chromium's virtual authenticator) and signs in with it. Every page is axe-clean, and none
breaks the browser's content security rules or logs an error."""

import re

import pytest
from django.core.cache import cache

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, totp_code
from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEVICES = ["phone", "desktop"]


def a_head():
    with scopes_disabled():
        head = UserFactory(full_name="Rachel Adeyemi")
        MembershipFactory(user=head, school=SchoolFactory(), role=Role.HEADTEACHER)
    return head


def watch_console(page):
    """Console errors (a script that failed, a content security rule broken) the page logs."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def password_step(page, axe, head):
    page.goto("/accounts/login/")
    axe.check(page)
    page.get_by_label("Email address").fill(head.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()


@pytest.mark.parametrize("device", DEVICES)
def test_a_head_is_made_to_set_up_an_app_keeps_codes_and_signs_in_with_a_code(request, axe, device):
    head = a_head()
    page = request.getfixturevalue(device).new_page()
    errors = watch_console(page)

    password_step(page, axe, head)
    page.get_by_role("heading", name="Set up two-step sign-in").wait_for()
    assert page.get_by_text("Your role in Coachloop needs two-step sign-in").is_visible()
    axe.check(page)
    page.goto("/")  # any other page leads back here
    page.get_by_role("heading", name="Set up two-step sign-in").wait_for()

    page.get_by_role("link", name="Set up an authenticator app").click()
    page.get_by_role("heading", name="Set up an authenticator app").wait_for()
    assert page.get_by_role("img", name="QR code").is_visible()
    page.get_by_text("I cannot scan the QR code").click()
    axe.check(page)
    secret = page.locator("#two-step-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    code = page.get_by_label("Code from the app")
    assert code.get_attribute("inputmode") == "numeric"
    assert code.get_attribute("autocomplete") == "one-time-code"
    code.fill("000000" if totp_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("The code is not right.").first.wait_for()
    axe.check(page)
    page.get_by_label("Code from the app").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert page.get_by_text("Keep these somewhere safe").is_visible()
    assert page.locator("#recovery-codes li").count() == 10
    axe.check(page)
    page.get_by_role("link", name="I have kept my codes: continue").click()
    page.get_by_role("heading", name="Hello, Rachel").wait_for()
    axe.check(page)
    sign_out(page)

    password_step(page, axe, head)
    page.get_by_role("heading", name="Enter the code from your authenticator app").wait_for()
    axe.check(page)
    field = page.get_by_label("Enter the code from your authenticator app")
    field.fill("000000" if totp_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("The code is not right.").first.wait_for()
    assert "/accounts/2fa/authenticate/" in page.url
    axe.check(page)
    cache.clear()  # the code that set the app up may still be the one it shows
    page.get_by_label("Enter the code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Hello, Rachel").wait_for()
    assert not errors, errors


def test_a_head_adds_a_passkey_instead_and_signs_in_with_it(desktop, axe):
    head = a_head()
    page = desktop.new_page()
    errors = watch_console(page)
    browser_side = desktop.new_cdp_session(page)
    browser_side.send("WebAuthn.enable")
    browser_side.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    password_step(page, axe, head)
    page.get_by_role("link", name="Add a passkey or security key").click()
    page.get_by_role("heading", name="Add a passkey or security key").wait_for()
    axe.check(page)
    page.get_by_label("Name (optional)").fill("Laptop")
    page.get_by_role("button", name="Add a passkey or security key").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    page.get_by_role("link", name="I have kept my codes: continue").click()
    page.get_by_role("heading", name="Hello, Rachel").wait_for()
    sign_out(page)

    password_step(page, axe, head)
    page.get_by_role("heading", name="Use your passkey or security key").wait_for()
    assert page.get_by_label("Or enter one of your recovery codes").is_visible()
    axe.check(page)
    page.get_by_role("button", name="Use your passkey or security key").click()
    page.get_by_role("heading", name="Hello, Rachel").wait_for()
    assert not errors, errors
