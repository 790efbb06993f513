"""Someone who keeps giving the wrong password is told, on a phone, that signing in is paused
and what to do; the page passes axe-core."""

import pytest
from django.conf import settings

from coachloop.common.tenancy import scopes_disabled
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_paused_sign_in_says_for_how_long_and_offers_a_new_password(phone, axe):
    with scopes_disabled():
        person = UserFactory()
    page = phone.new_page()
    page.goto("/accounts/login/")
    for attempt in range(settings.COACHLOOP_SIGN_IN_ACCOUNT_LIMIT):
        page.get_by_label("Email address").fill(person.email)
        page.get_by_label("Password").fill(f"not-the-password-{attempt}")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Signing in is paused").wait_for()
    assert "signing in is paused for 15 minutes" in page.content()
    page.get_by_text(
        "If signing in is paused for everyone at your network address (the staff of a school "
        "often share one), a new password will not end it: wait 15 minutes, then sign in again."
    ).wait_for()
    axe.check(page)
    page.get_by_role("link", name="reset your password").click()
    page.get_by_role("heading", name="Reset your password").wait_for()
