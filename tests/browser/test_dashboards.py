"""A head of a small school reads their dashboard on a phone and on a desktop: the facts they
answer for as numbers, and charts with labelled axes and values."""

import datetime as dt

import pytest
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.insights.rollups import rollups_update
from coachloop.people.models import Role
from tests.browser.test_coaching_journey import sign_in
from tests.factories import MembershipFactory, RelationshipFactory, UserFactory
from tests.insights.helpers import coached_school
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _small_school(world):
    """A school of about a dozen teachers: seven coached and seen this week, two coached and
    never seen, three without a coach."""
    today = timezone.localdate()
    coached_school(
        world.own.school,
        today=today,
        coached=7,
        uncoached=3,
        framework_step=world.own.framework_step,
    )
    with scopes_disabled():
        coach = MembershipFactory(school=world.own.school, role=Role.COACH, user=UserFactory()).user
        for _ in range(2):
            teacher = MembershipFactory(
                school=world.own.school, role=Role.TEACHER, user=UserFactory()
            ).user
            RelationshipFactory(
                school=world.own.school,
                coach=coach,
                teacher=teacher,
                started_on=today - dt.timedelta(days=70),
            )
    rollups_update(trust=world.trust)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_small_schools_head_reads_coverage_drop_ins_and_coaches_as_numbers(size, request, axe):
    world = build_world()
    _small_school(world)
    page = request.getfixturevalue(size).new_page()
    sign_in(page, axe, world.people["headteacher"].email)
    page.goto(f"/insights/schools/{world.own.school.slug}/")
    summary = page.locator("#progress")
    summary.wait_for()
    coached = summary.locator("dt:has-text('Teachers with a coach') + dd").inner_text()
    assert coached.startswith("10 (77%)"), coached  # ten of 13 teachers, exactly
    trained = summary.locator("dt:has-text('Trained coaches') + dd").inner_text()
    assert trained.strip().isdigit()
    assert "fewer than 5" not in summary.inner_text() and "hidden" not in summary.inner_text()

    dropins = page.locator("figure:has(#dropins-chart-title)")
    assert dropins.locator(".cl-chart__axis-title--value").text_content() == "Drop-ins"
    assert dropins.locator(".cl-chart__axis-title--category").text_content() == "Week beginning"
    assert dropins.locator(".cl-chart__tick").count() == 5
    assert dropins.locator(".cl-chart__value").count() >= 1
    assert dropins.locator(".cl-chart__label").count() >= 1

    # The rhythm chart: weeks before anyone was seen are a true zero, drawn as a flat line and
    # marked 0%; this week's share is exact, however few teachers were missed.
    rhythm = page.locator("figure:has(#rhythm-chart-title)")
    assert rhythm.locator(".cl-chart__bar--zero").count() >= 1
    assert rhythm.locator(".cl-chart__bar--hidden").count() == 0
    last = rhythm.locator(".cl-chart__column").last.locator("title").text_content()
    assert last.endswith("%"), last
    box = page.locator("figure:has(#coverage-chart-title) svg").bounding_box()
    assert box["width"] <= page.viewport_size["width"]
    axe.check(page)
    page.goto("/insights/trust/")
    page.get_by_role("table", name="Schools side by side").wait_for()
    axe.check(page)
