"""Changing a learning agreement on a phone: the coach proposes, the teacher sees the change is
not yet in force and agrees, and the earlier version can still be read; axe-clean throughout."""

import re

import pytest

from coachloop.coaching.models import AgreementVersion
from coachloop.common.tenancy import scopes_disabled
from tests.browser.test_coaching_journey import sign_in
from tests.coaching.test_agreements_services import agree, propose
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_change_to_the_agreement_is_in_force_only_once_the_teacher_agrees(phone, axe):
    world = build_world()
    relationship = world.own.relationship
    first = propose(world.own.teacher, relationship=relationship, based_on=0)
    agree(world.own.coach, first)

    page = phone.new_page()
    sign_in(page, axe, world.own.coach.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    page.goto(f"/agreements/coaching/{relationship.pk}/")
    page.get_by_role("heading", name="Learning agreement").wait_for()
    axe.check(page)
    page.get_by_role("link", name="Propose a change").click()
    axe.check(page)
    page.get_by_label("How often you meet").fill("")
    page.get_by_role("button", name="Propose this change").click()
    page.get_by_text("Say how often you will meet.").first.wait_for()
    axe.check(page)
    page.get_by_label("How often you meet").fill("Every week, on Thursday mornings.")
    page.get_by_role("button", name="Propose this change").click()
    page.get_by_text("You proposed version 2.").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, axe, world.own.teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto("/agreements/")
    axe.check(page)
    page.get_by_text("Waiting for you").wait_for()
    page.get_by_role("link", name=world.own.coach.full_name).click()
    page.get_by_text("Version 2 is waiting for you to agree.").wait_for()
    page.get_by_text("Until then, version 1 stays in force.").wait_for()
    axe.check(page)
    with scopes_disabled():
        assert AgreementVersion.objects.get(number=2).in_force_from is None

    page.get_by_role("link", name="Read version 2 and agree").click()
    page.get_by_text("Every week, on Thursday mornings.").wait_for()
    axe.check(page)
    page.get_by_role("button", name="I agree to version 2").click()
    page.get_by_text("Everyone has agreed: version 2 is now in force.").wait_for()
    page.get_by_text(re.compile(r"Version 2, in force since")).wait_for()
    axe.check(page)
    with scopes_disabled():
        assert AgreementVersion.objects.get(number=2).in_force_from is not None

    page.get_by_role("link", name="Version 1", exact=True).click()
    page.get_by_text(re.compile(r"This version was in force from .* to ")).wait_for()
    page.get_by_text("Every two weeks, for about an hour.").wait_for()
    axe.check(page)
