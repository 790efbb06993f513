"""Running coaching on a phone: the coaching lead's model and team pages, a head's dashboard,
and a coach's calendar, each checked with axe-core."""

import re

import pytest
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.insights.rollups import rollups_update
from coachloop.policy.models import SchoolModel
from tests.browser.test_coaching_journey import sign_in
from tests.insights.helpers import coached_school
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coaching_lead_sets_the_school_to_fortnightly_on_a_phone(phone, axe):
    world = build_world()
    page = phone.new_page()
    sign_in(page, axe, world.people["coaching_lead"].email)
    page.goto(f"/rollout/{world.own.school.slug}/coaching-model/")
    axe.check(page)
    page.get_by_role("group", name="How often are other teachers seen?").get_by_label(
        "Fortnightly"
    ).check()
    page.get_by_label("Most teachers one coach should have").fill("0")
    page.get_by_role("button", name="Save the coaching model").click()
    page.get_by_text("A coach needs room for at least 1 teacher.").first.wait_for()
    axe.check(page)
    page.get_by_label("Most teachers one coach should have").fill("5")
    page.get_by_role("button", name="Save the coaching model").click()
    page.get_by_text("The coaching model is saved").wait_for()
    with scopes_disabled():
        model = SchoolModel.objects.get(school=world.own.school)
    assert (model.cadence_teachers, model.caseload_limit) == (14, 5)
    for path in ("coaches/", "targets/", "protected-time/", "twilights/", "twilights/new/"):
        page.goto(f"/rollout/{world.own.school.slug}/{path}")
        axe.check(page)


def test_a_head_reads_the_schools_dashboard_on_a_phone(phone, axe):
    world = build_world()
    coached_school(
        world.own.school, today=timezone.localdate(), framework_step=world.own.framework_step
    )
    rollups_update(trust=world.trust)
    page = phone.new_page()
    sign_in(page, axe, world.people["headteacher"].email)
    page.goto(f"/insights/schools/{world.own.school.slug}/")
    page.get_by_role("heading", name="Coverage over time").wait_for()
    page.get_by_role("table", name="Teachers with a coach, week by week").wait_for()
    axe.check(page)
    page.goto("/insights/trust/")
    axe.check(page)


def test_a_coach_finds_their_calendar_address(phone, axe):
    world = build_world()
    page = phone.new_page()
    sign_in(page, axe, world.own.coach.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    page.get_by_role("link", name="Your calendar").click()
    page.get_by_text("You do not have a calendar address yet.").wait_for()
    axe.check(page)
    assert not re.search(r"/rollout/calendar/\d+/[\w-]+\.ics", page.content())
    page.get_by_role("button", name="Make my calendar address").click()
    page.get_by_text("Your calendar address is ready.").wait_for()
    axe.check(page)
    assert re.search(
        r"/rollout/calendar/\d+/[\w-]+\.ics",
        page.get_by_label("Your calendar address").input_value(),
    )
