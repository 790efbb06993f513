"""A coaching lead in two trusts signs in, is asked which trust they are working in, sees that
trust's school, then switches from the header and sees the other's: on a phone and on a
desktop, each page checked with axe-core."""

import re

import pytest

from tests.browser.test_coaching_journey import sign_in
from tests.world import build_world, lead_in_two_trusts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Which trust are you working in today?"


def choose(page, axe, trust):
    page.get_by_role("group", name=QUESTION).wait_for()
    axe.check(page)
    page.get_by_label(trust).check()
    page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_lead_in_two_trusts_chooses_one_and_switches_to_the_other(size, request, axe):
    world = build_world()
    person = lead_in_two_trusts(world)
    page = request.getfixturevalue(size).new_page()
    sign_in(page, axe, person.email)
    page.wait_for_url(re.compile(r"/accounts/trust/$"))
    assert page.get_by_role("link", name="Switch trust").count() == 0

    choose(page, axe, "Trust A")
    page.get_by_role("heading", name="Coaching at School A1").wait_for()
    assert "Teacher a1" in page.content()
    assert "Teacher b1" not in page.content()
    axe.check(page)

    page.get_by_role("link", name="Switch trust").click()
    assert page.get_by_label("Trust A").is_checked()
    choose(page, axe, "Trust B")
    page.get_by_role("heading", name="Coaching at School B1").wait_for()
    assert "Teacher b1" in page.content()
    assert "Teacher a1" not in page.content()
    assert page.locator(".cl-header__trust-name").inner_text() == "Trust B"
    axe.check(page)

    page.goto(f"/lead/{world.own.school.slug}/")
    page.get_by_role("heading", name="Page not found").wait_for()
