"""The coaching lead on a phone (390×844): the counts and the first overdue teacher on the
first screen of their home, with nothing to scroll sideways; and a second instructional coach
refused on the assign page, with the coaching the teacher has shown. Each page axe-clean."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.browser.test_coaching_journey import sign_in
from tests.coaching.groups_fixtures import group_in
from tests.factories import DropInFactory, MembershipFactory, RelationshipFactory, UserFactory
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FOLD = 800


def _coached(world, name, *, visited_days_ago):
    school = world.own.school
    teacher = UserFactory(full_name=name)
    MembershipFactory(user=teacher, school=school, role=Role.TEACHER)
    today = timezone.localdate()
    relationship = RelationshipFactory(
        school=school,
        coach=world.people["other_coach"],
        teacher=teacher,
        started_on=today - dt.timedelta(days=90),
    )
    DropInFactory(relationship=relationship, visited_on=today - dt.timedelta(days=visited_days_ago))


def _bottom(locator):
    box = locator.bounding_box()
    assert box is not None, "not shown"
    return box["y"] + box["height"]


def test_the_lead_sees_the_counts_and_the_overdue_teacher_on_the_first_screen(phone, axe):
    world = build_world()
    with scopes_disabled():
        for n in range(8):
            _coached(world, f"Recently Seen {n}", visited_days_ago=1)
        _coached(world, "Olive Overdue", visited_days_ago=30)
    group_in(world.own, extra=3)
    page = phone.new_page()
    sign_in(page, axe, world.people["coaching_lead"].email)
    page.goto(reverse("coaching:lead_home", args=[world.own.school.slug]))
    counts = page.locator(".cl-counts")
    counts.get_by_text("overdue").wait_for()
    assert re.search(r"1\s+overdue", counts.inner_text())
    overdue = page.locator(".cl-rows tbody tr").filter(has_text="Olive Overdue").first
    assert "Drop-in overdue" in overdue.inner_text()
    # Most urgent first: the overdue teacher is the first row of the list.
    first_row = page.locator(".cl-rows tbody tr").first
    assert "Olive Overdue" in first_row.inner_text()
    assert _bottom(counts) <= FOLD
    assert _bottom(overdue.get_by_text("Drop-in overdue")) <= FOLD
    # The teacher's name opens the cell below the drop-in fact.
    teacher = overdue.locator('[data-label="Teacher and coach"]')
    assert teacher.bounding_box()["y"] + 30 <= FOLD
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe.check(page)
    # The lead's other list, the coaching groups, reads as rows on a phone too.
    page.goto(reverse("coaching:lead_groups", args=[world.own.school.slug]))
    page.get_by_role("link", name="Set at a1").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe.check(page)


def test_a_second_instructional_coach_is_refused_with_the_coach_named(phone, axe):
    world = build_world()
    page = phone.new_page()
    sign_in(page, axe, world.people["coaching_lead"].email)
    page.goto(reverse("rollout:team_assign", args=[world.own.school.slug]))
    page.get_by_text("Who has a coach now").click()
    page.get_by_text("Instructional coaching: Coach a1").first.wait_for()
    axe.check(page)
    page.get_by_label("Teacher", exact=True).select_option(str(world.own.teacher.pk))
    page.get_by_label("Coach", exact=True).select_option(str(world.people["other_coach"].pk))
    page.get_by_role("button", name="Assign coach").click()
    page.get_by_text(
        "Teacher a1 already has instructional coaching from Coach a1."
    ).first.wait_for()
    group = page.get_by_role(
        "group", name="What should happen to the coaching the teacher has now?"
    )
    group.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe.check(page)
    group.get_by_label("Keep both on purpose", exact=False).check()
    page.get_by_role("button", name="Assign coach").click()
    page.get_by_text("Another Coach now coaches Teacher a1.").wait_for()


def test_the_coaches_of_a_large_team_come_a_page_at_a_time_on_a_phone(phone, axe):
    world = build_world()
    school = world.own.school
    with scopes_disabled():
        for n in range(12):
            coach = UserFactory(full_name=f"Zed Coach {n:02}")
            MembershipFactory(user=coach, school=school, role=Role.COACH)
    page = phone.new_page()
    sign_in(page, axe, world.people["coaching_lead"].email)
    page.goto(reverse("rollout:team_coaches", args=[school.slug]))
    pages = page.get_by_role("navigation", name="Pages of coaches")
    pages.get_by_role("link", name="Page 2").wait_for()
    assert page.locator(".cl-rows tbody tr").count() == 10
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe.check(page)
    pages.get_by_role("link", name="Next page").click()
    page.get_by_text("11 to 14 of 14, by name").wait_for()
    axe.check(page)
