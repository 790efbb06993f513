"""Agreement is agreement, on a phone: a step the coach sets shows "Proposed" to both people
until the teacher agrees; the teacher may say "not now" instead, and the coach reads why."""

import re

import pytest

from coachloop.coaching import services
from coachloop.coaching.models import ActionStep
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.queries import viewer_for
from tests.browser.test_coaching_journey import sign_in
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEP = "Pause and scan after giving an instruction"
REASON = "I am on a course for the next fortnight; can we start after that?"


def _current_step(world):
    with scopes_disabled():
        return ActionStep.objects.get(relationship=world.own.relationship, closed_on=None)


def _open_coachee(page, axe, world):
    sign_in(page, axe, world.own.coach.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    page.goto(f"/coach/teachers/{world.own.relationship.pk}/")
    axe.check(page)


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/|/$"))


def test_a_step_reads_proposed_to_both_until_the_teacher_agrees_in_one_tap(phone, axe):
    world = build_world()
    page = phone.new_page()
    _open_coachee(page, axe, world)
    page.get_by_role("link", name="Set a new action step").click()
    axe.check(page)
    page.get_by_label("Embedded: it has become habit").check()
    page.get_by_label("Or write the action step in your own words").fill(STEP)
    page.get_by_label("What success looks like").fill("All eyes on you before you go on.")
    page.get_by_role("button", name="Set this step").click()
    page.wait_for_url(re.compile(r"/coach/teachers/\d+/$"))
    axe.check(page)
    step = _current_step(world)
    card = page.locator("#current-step")
    assert card.locator(f"#step-status-{step.pk}").inner_text() == "Proposed"
    assert card.get_by_text(f"waiting for {world.own.teacher.full_name} to agree").is_visible()
    _sign_out(page)

    sign_in(page, axe, world.own.teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    axe.check(page)
    tag = page.locator(f"#step-status-{step.pk}")
    assert tag.inner_text() == "Proposed"
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name=re.compile("^Agree")).click()
    page.get_by_text("You agreed this step. Your coach can see that.").wait_for()
    assert page.evaluate("window.notReloaded") is True  # htmx answered in place
    assert tag.inner_text() == "Agreed"
    axe.check(page)
    page.reload()  # and it stays agreed
    assert page.locator(f"#step-status-{step.pk}").inner_text() == "Agreed"
    assert page.get_by_text("You agreed this step on").is_visible()
    _sign_out(page)

    _open_coachee(page, axe, world)
    assert page.locator(f"#step-status-{step.pk}").inner_text() == "Agreed"
    assert page.get_by_text(f"{world.own.teacher.full_name} agreed this step on").is_visible()
    assert _current_step(world).agreed_by == world.own.teacher
    axe.assert_clean()


def test_the_teacher_says_not_now_with_a_reason_and_the_coach_reads_it(phone, axe):
    world = build_world()
    viewer = viewer_for(world.own.coach)
    with trust_scope(viewer.trust):
        services.action_step_set(
            viewer=viewer,
            relationship=world.own.relationship,
            title=STEP,
            success_looks_like="All eyes on you before you go on.",
            previous_outcome=ActionStep.Outcome.EMBEDDED,
        )
    page = phone.new_page()
    sign_in(page, axe, world.own.teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.get_by_role("link", name=re.compile("^Not now")).click()
    axe.check(page)
    page.get_by_role("button", name="Send my answer").click()  # no reason: asked for one
    page.get_by_text("Say why not now, so your coach can suggest another.").first.wait_for()
    axe.check(page)
    page.get_by_label("Why not now?").fill(REASON)
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_url(re.compile(r"/me/$"))
    assert page.get_by_text("You said not now.").is_visible()
    assert not page.get_by_role("button", name=re.compile("^Agree")).count()
    axe.check(page)
    _sign_out(page)

    _open_coachee(page, axe, world)
    answer = page.locator("#step-not-now")
    assert answer.get_by_text(f"{world.own.teacher.full_name} said not now to").is_visible()
    assert answer.get_by_text(REASON).is_visible()
    answer.get_by_role("link", name="Revise this step").click()
    axe.check(page)
    assert page.get_by_label("Or write the action step in your own words").input_value() == STEP
    axe.assert_clean()
