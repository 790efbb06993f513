"""A person opens "Your account" from the header, sees the sign-in they have just made, and
signs out everywhere: the other browser they were signed in on is signed out too. On a phone
and on a laptop; every page passes axe-core."""

import re

import pytest

from tests.browser.test_coaching_journey import sign_in
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OTHER = {"phone": "desktop", "desktop": "phone"}


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_person_sees_their_sign_in_and_signs_out_everywhere(device, request, axe):
    world = build_world()
    teacher = world.own.teacher
    elsewhere = request.getfixturevalue(OTHER[device]).new_page()
    sign_in(elsewhere, axe, teacher.email)
    elsewhere.wait_for_url(re.compile(r"/me/$"))

    page = request.getfixturevalue(device).new_page()
    sign_in(page, axe, teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your account").click()
    page.wait_for_url(re.compile(r"/account/$"))
    page.get_by_role("heading", name="Your account", level=1).wait_for()
    rows = page.get_by_role("table", name="Recent sign-ins").get_by_role("row")
    assert rows.count() == 3  # the header row, then both sign-ins
    assert re.fullmatch(
        r"\d+ \w+ \d{4}, \d\d:\d\d\s+Chrome on Linux\s+Password", rows.nth(1).inner_text().strip()
    )
    assert page.get_by_role("link", name="Change your password").is_visible()
    assert page.get_by_role("link", name="Two-step sign-in: set it up or change it").is_visible()
    axe.check(page)

    page.get_by_role("button", name="Sign out everywhere").click()
    page.wait_for_url(re.compile(r"/accounts/login/$"))
    page.get_by_text(
        "You have been signed out everywhere: on every device, this one included."
    ).wait_for()
    axe.check(page)

    elsewhere.reload()
    elsewhere.wait_for_url(re.compile(r"/accounts/login/\?next=/me/$"))
    elsewhere.get_by_role("heading", name="Sign in").wait_for()
