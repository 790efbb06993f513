"""A coach's week on a phone, and a teacher seeing it, in a real browser."""

import re

import pytest
from django.core.cache import cache

from coachloop.coaching.models import ActionStep, DropIn, Rehearsal
from coachloop.common.tenancy import scopes_disabled
from tests.factories import totp_code
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, axe, email):
    """Sign in with the password, and with a code from the authenticator app for someone who
    has set up two-step sign-in (the leaders: tests.factories.TOTP_SECRET)."""
    page.goto("/accounts/login/")
    axe.check(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if "/accounts/2fa/authenticate/" in page.url:
        cache.clear()  # a code is taken once: the same person may sign in twice in a minute
        page.get_by_label("Enter the code from your authenticator app").fill(totp_code())
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()


def save_with_no_signal(phone, page, *, strengths):
    """Lose the connection, type a drop-in and press save: the page says it is kept."""
    phone.set_offline(True)
    fill_dropin(page, strengths=strengths)
    page.get_by_role("button", name="Save drop-in").click()
    page.get_by_role("heading", name="No connection").wait_for()


def open_dropin_form(phone, axe, world):
    """A new page, signed in as the world's coach, on the drop-in form for their teacher."""
    page = phone.new_page()
    sign_in(page, axe, world.own.coach.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    axe.check(page)
    page.goto(f"/coach/teachers/{world.own.relationship.pk}/drop-in/")
    axe.check(page)
    return page


def fill_dropin(page, *, strengths):
    page.get_by_label("Class or group").fill("8C")
    page.get_by_label("Minutes in the lesson").fill("12")
    page.get_by_label("What went well").fill(strengths)
    page.get_by_label("Evidence seen").fill("Hands down; every pupil wrote an answer.")
    page.get_by_label("Partly: it is emerging").check()


def test_a_coach_records_a_drop_in_sets_a_step_and_plans_a_rehearsal_and_the_teacher_sees_it(
    phone, axe
):
    world = build_world()
    teacher = world.own.teacher
    page = phone.new_page()

    sign_in(page, axe, world.own.coach.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    axe.check(page)
    # Screen 1 -> 2: from coach home to the drop-in form.
    page.get_by_role("link", name=re.compile(f"for {teacher.full_name}")).click()
    page.wait_for_url(re.compile(r"/drop-in/$"))
    axe.check(page)
    fill_dropin(page, strengths="Every pupil was greeted at the door by name.")
    # Screen 2 -> 3: saved.
    page.get_by_role("button", name="Save drop-in").click()
    page.wait_for_url(re.compile(r"/saved/$"))
    axe.check(page)
    assert page.get_by_role("heading", name="Drop-in saved").is_visible()
    axe.check(page)

    page.get_by_role("link", name="Set a new action step").click()
    page.wait_for_url(re.compile(r"/step/$"))
    axe.check(page)
    page.get_by_label("Or write the action step in your own words").fill(
        "Pause and scan after giving an instruction"
    )
    page.get_by_label("What success looks like").fill("All eyes on you before you go on.")
    page.get_by_label("Embedded: it has become habit").check()
    page.get_by_role("button", name="Set this step").click()
    page.wait_for_url(re.compile(r"/coach/teachers/\d+/$"))
    axe.check(page)

    page.get_by_role("link", name="Plan a rehearsal").click()
    axe.check(page)
    page.get_by_label("The teacher and coach together").check()
    page.get_by_label("What you will practise").fill("The pause, three times, then with noise.")
    page.get_by_role("button", name="Save plan").click()
    page.wait_for_url(re.compile(r"/coach/teachers/\d+/$"))
    axe.check(page)
    assert page.get_by_text("The pause, three times, then with noise.").is_visible()
    # htmx swaps the step's card in place: no page load, and the page stays where it was.
    coachee_url = page.url
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Mark as embedded").click()
    page.locator("#current-step").get_by_text("Step marked as embedded.").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.url == coachee_url
    # Screen readers hear the change, and focus lands on the card rather than on nothing.
    assert page.locator("#step-status-message").inner_text() == "Step marked as embedded."
    focused = page.evaluate("document.activeElement.textContent")
    assert "Pause and scan after giving an instruction" in focused
    axe.check(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, axe, teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    axe.check(page)
    assert page.get_by_text("Pause and scan after giving an instruction").first.is_visible()
    assert page.get_by_text("The pause, three times, then with noise.").first.is_visible()
    assert page.get_by_text("Every pupil was greeted at the door by name.").first.is_visible()
    page.get_by_role("link", name="See who has read them").click()
    axe.check(page)
    assert page.get_by_text(f"{world.own.coach.full_name} (your coach)").first.is_visible()

    with scopes_disabled():
        assert DropIn.objects.filter(
            relationship=world.own.relationship, is_draft=False, strengths__startswith="Every pupil"
        ).exists()
        step = ActionStep.objects.get(relationship=world.own.relationship, closed_on__isnull=True)
        assert step.title == "Pause and scan after giving an instruction"
        assert step.status == ActionStep.Status.EMBEDDED
        assert Rehearsal.objects.filter(action_step=step).exists()
    axe.assert_clean()


def test_a_drop_in_typed_while_the_server_is_unreachable_is_saved_once_it_is_back(phone, axe):
    world = build_world()
    page = open_dropin_form(phone, axe, world)

    save_with_no_signal(phone, page, strengths="Typed in a corridor with no signal.")
    axe.check(page)
    with scopes_disabled():
        assert not DropIn.objects.filter(strengths__startswith="Typed in a corridor").exists()

    # A reload while still offline would fail; what was typed is kept on the device.
    stored = page.evaluate(
        f"() => localStorage.getItem('coachloop:dropin:{world.own.relationship.pk}')"
    )
    assert "Typed in a corridor with no signal." in stored

    phone.set_offline(False)
    page.wait_for_url(re.compile(r"/saved/$"))
    axe.check(page)
    with scopes_disabled():
        saved = DropIn.objects.filter(strengths="Typed in a corridor with no signal.")
        assert saved.count() == 1
        assert not saved.get().is_draft
    axe.assert_clean()


def test_what_was_typed_survives_a_reload(phone, axe):
    world = build_world()
    page = open_dropin_form(phone, axe, world)
    page.get_by_label("What went well").fill("Half-way through a thought")
    page.get_by_text("Draft saved").wait_for()
    page.reload()
    assert page.get_by_label("What went well").input_value() == "Half-way through a thought"
    axe.check(page)
    axe.assert_clean()


def test_a_drop_in_saved_after_the_session_ended_is_kept_on_the_phone_until_signed_in_again(
    phone, axe
):
    world = build_world()
    page = open_dropin_form(phone, axe, world)
    form_url = f"/coach/teachers/{world.own.relationship.pk}/drop-in/"
    phone.clear_cookies(name="sessionid")  # the session has ended
    fill_dropin(page, strengths="Typed after the session had ended.")
    page.get_by_role("button", name="Save drop-in").click()
    page.get_by_text("You have been signed out").wait_for()
    assert page.url.endswith(form_url)
    axe.check(page)
    with scopes_disabled():
        assert not DropIn.objects.filter(strengths__startswith="Typed after").exists()

    other = phone.new_page()
    sign_in(other, axe, world.own.coach.email)
    other.wait_for_url(re.compile(r"/coach/$"))
    axe.check(other)
    page.goto(form_url)  # back on the form, it sends what was kept (checked above)
    page.wait_for_url(re.compile(r"/saved/$"))
    axe.check(page)
    with scopes_disabled():
        saved = DropIn.objects.get(strengths="Typed after the session had ended.")
        assert not saved.is_draft
    axe.assert_clean()


def test_signing_out_forgets_the_typed_copies_kept_on_a_shared_device(phone, axe):
    world = build_world()
    page = open_dropin_form(phone, axe, world)
    page.get_by_label("What went well").fill("Not for the next person to read")
    key = f"coachloop:dropin:{world.own.relationship.pk}"
    assert "Not for the next person" in page.evaluate(f"() => localStorage.getItem('{key}')")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    axe.check(page)
    assert page.evaluate(f"() => localStorage.getItem('{key}')") is None


def test_a_deleted_unfinished_drop_in_does_not_come_back_from_the_phone(phone, axe):
    world = build_world()
    page = open_dropin_form(phone, axe, world)
    form_url = f"/coach/teachers/{world.own.relationship.pk}/drop-in/"
    page.get_by_label("What went well").fill("Started by mistake")
    page.get_by_text("Draft saved").wait_for()
    page.reload()
    page.get_by_role("link", name="Delete this unfinished drop-in").click()
    axe.check(page)
    page.get_by_role("button", name="Delete it").click()
    page.get_by_text("The unfinished drop-in was deleted.").wait_for()
    page.goto(form_url)
    axe.check(page)
    assert page.get_by_label("What went well").input_value() == ""
    axe.check(page)
    axe.assert_clean()
