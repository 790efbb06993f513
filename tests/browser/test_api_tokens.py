"""A person makes an API token from their account page: they confirm their password, copy the
secret the one time it is shown, and revoke it (it then gets a 401). An administrator sets up
an integration and makes it a token with scopes and a school. On a phone and on a laptop;
every page passes axe-core."""

import re

import pytest

from tests.browser.test_coaching_journey import sign_in
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_tokens(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your account").click()
    page.wait_for_url(re.compile(r"/account/$"))
    page.get_by_role("link", name="Your API tokens").click()
    page.wait_for_url(re.compile(r"/account/api-tokens/$"))


def _confirm_password(page):
    page.get_by_role("heading", name="Confirm it is you").wait_for()
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_person_makes_a_token_sees_it_once_and_revokes_it(device, request, axe):
    world = build_world()
    page = request.getfixturevalue(device).new_page()
    sign_in(page, axe, world.own.coach.email)
    page.wait_for_url(re.compile(r"/coach/$|/me/$|/$"))
    _open_tokens(page)
    page.get_by_text("You have no tokens.").wait_for()
    axe.check(page)

    page.get_by_role("button", name="Make a token").click()
    page.get_by_role("heading", name="Make a token").wait_for()
    axe.check(page)
    page.get_by_label("Name").fill("Timetable spreadsheet")
    with page.expect_navigation():
        page.get_by_role("button", name="Make token").click()
    axe.check(page)  # the page asking for the password
    _confirm_password(page)

    page.get_by_role("heading", name="Token made").wait_for()
    secret = page.get_by_label("The token “Timetable spreadsheet”").input_value()
    assert secret.startswith("cl_pat_")
    assert page.get_by_text("This is the only time it is shown").is_visible()
    axe.check(page)
    assert page.request.get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"}).ok

    page.get_by_role("link", name="Go to your API tokens").click()
    row = page.get_by_role("row").filter(has_text="Timetable spreadsheet")
    assert "Working" in row.inner_text()
    assert secret not in page.content()
    axe.check(page)

    row.get_by_role("link", name="Revoke").click()
    page.get_by_role("heading", name="Revoke the token “Timetable spreadsheet”?").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Revoke token").click()
    page.get_by_text("Token “Timetable spreadsheet” revoked. It no longer works.").wait_for()
    assert "Revoked" in page.get_by_role("row").filter(has_text="Timetable").inner_text()
    axe.check(page)
    answer = page.request.get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 401


def test_an_administrator_sets_up_an_integration_and_makes_it_a_token(desktop, axe):
    world = build_world()
    page = desktop.new_page()
    sign_in(page, axe, world.people["administrator"].email)
    page.goto("/account/")
    page.get_by_role("link", name="Integrations").click()
    page.get_by_text("The trust has no integrations.").wait_for()
    axe.check(page)

    page.get_by_role("button", name="Set up an integration").click()
    axe.check(page)
    page.get_by_label("Name").fill("School MIS")
    page.get_by_role("button", name="Set up integration").click()
    page.get_by_role("heading", name="School MIS").wait_for()
    axe.check(page)

    page.get_by_role("button", name="Make a token").click()
    page.get_by_role("heading", name="Make a token").wait_for()
    axe.check(page)
    page.get_by_label("Name").fill("Nightly sync")
    page.get_by_label("Read coaching activity").check()
    page.get_by_label("School A1").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Make token").click()
    if "/accounts/reauthenticate/" in page.url:
        _confirm_password(page)
    page.get_by_role("heading", name="Token made").wait_for()
    secret = page.get_by_label("The token “Nightly sync”").input_value()
    assert secret.startswith("cl_int_")
    axe.check(page)
    me = page.request.get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"}).json()
    assert me["token"]["scopes"] == ["read_activity"]

    page.get_by_role("link", name="Go to School MIS").click()
    row = page.get_by_role("row").filter(has_text="Nightly sync")
    assert "Read coaching activity" in row.inner_text() and "School A1" in row.inner_text()
    axe.check(page)
