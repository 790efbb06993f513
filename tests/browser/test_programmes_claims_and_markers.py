"""Claims and replacing a marker in the browser, on a phone and on a desktop: the coach claims
their slot from the queue, saves half their marking to finish later and finds it again, then
gives up the claim; the programme lead replaces the tutor after their mark is in, giving a
reason. Every page is axe-clean."""

import re

import pytest

from coachloop.common.tenancy import trust_scope
from tests.browser.test_programmes_marking import mark, sign_in_as, sign_out, university
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import submit
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEVICES = ["phone", "desktop"]
WORDS = "My careful words, coach-5e1"


@pytest.mark.parametrize("device", DEVICES)
def test_a_marker_saves_to_finish_later_and_gives_up_the_claim(request, device, axe):
    world = build_world()
    pw = build_programme(world)
    with trust_scope(world.trust):
        submission = submit(pw)
    teacher = submission.enrolment.teacher.full_name
    page = request.getfixturevalue(device).new_page()

    sign_in_as(page, axe, pw.coach)
    page.goto("/programmes/marking/")
    page.get_by_role("button", name=re.compile(r"^Claim and mark")).click()
    page.locator("#claim-mine").wait_for()
    axe.check(page)
    page.get_by_label("Use of evidence").fill("64")
    page.get_by_label("Overall comment").fill(WORDS)
    page.get_by_role("button", name="Save and finish later").click()
    page.get_by_text("Saved. Your marks and comments are here when you come back.").wait_for()
    axe.check(page)
    page.get_by_role("link", name=re.compile(rf"^{teacher}")).first.click()
    page.get_by_text("You saved these marks to finish later").wait_for()
    assert page.get_by_label("Overall comment").input_value() == WORDS
    assert page.get_by_label("Use of evidence").input_value() == "64"
    axe.check(page)
    page.get_by_role("link", name="Your marking").click()
    page.get_by_role("button", name=re.compile(r"^Give up your claim")).click()
    page.get_by_text("You gave up your claim").wait_for()
    page.get_by_text("Not claimed").first.wait_for()
    axe.check(page)


@pytest.mark.parametrize("device", DEVICES)
def test_the_lead_replaces_a_marker_whose_mark_is_in_with_a_reason(request, device, axe):
    world = build_world()
    pw = build_programme(world)
    university(pw, pw.lead)
    with trust_scope(world.trust):
        submission = submit(pw)
        mark(pw, submission, pw.coach, 60, 60)
    teacher = submission.enrolment.teacher.full_name
    page = request.getfixturevalue(device).new_page()

    sign_in_as(page, axe, pw.lead)
    page.wait_for_url(re.compile(r"/programmes/$"))
    page.get_by_role("link", name=pw.programme.title).click()
    page.get_by_role("link", name=pw.assignment.title).click()
    page.get_by_role("link", name=f"Replace the second marker for {teacher}").click()
    page.get_by_role("heading", name="Replace the second marker").wait_for()
    page.get_by_text("Their mark is in.").wait_for()
    axe.check(page)
    page.get_by_label("Who marks instead").select_option(label=pw.other_tutor.full_name)
    page.get_by_role("button", name="Withdraw the mark and replace").click()
    page.get_by_text("Say why their mark is withdrawn.").first.wait_for()
    axe.check(page)
    page.get_by_label("Why their mark is withdrawn").fill("The coach has left the school.")
    page.get_by_role("button", name="Withdraw the mark and replace").click()
    page.get_by_text("The withdrawn mark stays in the history").wait_for()
    page.locator("#submissions").get_by_text(f"Second: {pw.other_tutor.full_name}").wait_for()
    axe.check(page)
    sign_out(page)
