"""The drop-in capture script keeps a coach's words through lost signal, edits while waiting,
other devices and coaching that ends, in a real browser."""

import re
import uuid

import pytest
from django.utils import timezone

from coachloop.coaching import services
from coachloop.coaching.models import DropIn, Relationship
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.queries import viewer_for
from tests.browser.test_coaching_journey import (
    fill_dropin,
    open_dropin_form,
    save_with_no_signal,
)
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def kept(page, world):
    key = f"coachloop:dropin:{world.own.relationship.pk}"
    return page.evaluate(f"() => JSON.parse(localStorage.getItem('{key}'))")


def test_a_drop_in_saved_offline_and_then_corrected_is_still_sent_when_signal_returns(phone, axe):
    world = build_world()
    page = open_dropin_form(phone, axe, world)
    save_with_no_signal(phone, page, strengths="Typed in a corridor with no signal.")
    page.get_by_label("Class or group").fill("8D")  # a typo fixed while waiting
    assert kept(page, world)["pending"] is True
    phone.set_offline(False)
    page.wait_for_url(re.compile(r"/saved/$"), timeout=20_000)
    axe.check(page)
    with scopes_disabled():
        saved = DropIn.objects.get(strengths="Typed in a corridor with no signal.")
    assert (saved.is_draft, saved.class_or_group) == (False, "8D")


def test_a_field_emptied_while_offline_stays_empty_after_a_reload(phone, axe):
    world = build_world()
    page = open_dropin_form(phone, axe, world)
    page.get_by_label("Evidence seen").fill("A pupil's name slipped in here")
    page.get_by_text("Draft saved").wait_for()
    phone.set_offline(True)
    page.get_by_label("Evidence seen").fill("")
    page.wait_for_timeout(1200)  # the autosave fails: no signal
    phone.set_offline(False)
    page.reload()
    assert page.get_by_label("Evidence seen").input_value() == ""


def test_a_drop_in_recorded_on_another_device_does_not_come_back_on_the_phone(phone, axe):
    world = build_world()
    with scopes_disabled():
        DropIn.objects.filter(relationship=world.own.relationship, is_draft=True).delete()
    page = open_dropin_form(phone, axe, world)
    page.get_by_label("What went well").fill("Typed on the phone first")
    page.get_by_text("Draft saved").wait_for()
    typed_under = page.locator("input[name=uuid]").input_value()
    viewer = viewer_for(world.own.coach)
    with trust_scope(viewer.trust):  # finished and saved on the laptop
        services.dropin_record(
            viewer=viewer,
            relationship=world.own.relationship,
            uuid=uuid.UUID(typed_under),
            visited_on=timezone.localdate(),
            class_or_group="8C",
            minutes=10,
            strengths="Typed on the phone first",
            followup="emerging",
        )
    page.goto(f"/coach/teachers/{world.own.relationship.pk}/drop-in/")
    axe.check(page)
    assert page.get_by_label("What went well").input_value() == ""
    assert page.locator("input[name=uuid]").input_value() != typed_under
    assert kept(page, world) is None


def test_a_late_autosave_after_saving_leaves_nothing_behind(phone, axe):
    world = build_world()
    with scopes_disabled():
        DropIn.objects.filter(relationship=world.own.relationship, is_draft=True).delete()
    page = open_dropin_form(phone, axe, world)
    fill_dropin(page, strengths="Saved straight away")
    page.get_by_role("button", name="Save drop-in").click()  # before the autosave timer
    page.wait_for_url(re.compile(r"/saved/$"))
    axe.check(page)
    page.wait_for_timeout(1500)
    with scopes_disabled():
        assert not DropIn.objects.filter(
            relationship=world.own.relationship, is_draft=True
        ).exists()
    page.goto(f"/coach/teachers/{world.own.relationship.pk}/drop-in/")
    axe.check(page)
    assert page.get_by_label("What went well").input_value() == ""


def test_a_waiting_drop_in_for_coaching_that_has_ended_says_so_and_stays_on_the_phone(phone, axe):
    world = build_world()
    page = open_dropin_form(phone, axe, world)
    save_with_no_signal(phone, page, strengths="Typed just before the coaching was ended.")
    with scopes_disabled():
        relationship = Relationship.objects.get(pk=world.own.relationship.pk)
    with trust_scope(world.trust):
        services.relationship_end(actor=world.people["administrator"], relationship=relationship)
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.get_by_text("cannot be saved here any more").wait_for()
    assert not page.get_by_role("heading", name="No connection").is_visible()
    assert kept(page, world)["fields"]["strengths"] == "Typed just before the coaching was ended."
    axe.check(page)
    axe.assert_clean()
