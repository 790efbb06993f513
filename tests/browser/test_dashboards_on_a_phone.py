"""The head, the trust lead, the administrator and the university's staff on a phone: each
finds the fact their day turns on in the first 800 pixels of their home page, with nothing to
scroll sideways; and on a desktop the trust's table of schools fits the screen with its
headings on as few lines as their words allow."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.insights.rollups import rollups_update
from coachloop.rollout.models import CoverageTarget
from tests.browser.test_coaching_journey import sign_in
from tests.browser.test_dashboards import _small_school
from tests.browser.test_programmes_marking import sign_in_as, university
from tests.factories import RosterImportFactory
from tests.insights.helpers import coached_school
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import submit
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOLD = 800


def above_the_fold(locator):
    """The element's top left is on the first screen, whatever the page's length."""
    box = locator.bounding_box()
    assert box is not None, "the element is not shown"
    return box["y"] + box["height"] <= FOLD


def scrolls_sideways(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def lines_of(locator):
    """How many lines the element's text takes up."""
    return locator.evaluate(
        """(element) => {
          const range = document.createRange();
          range.selectNodeContents(element);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          return tops.size;
        }"""
    )


def _trust_with_two_schools(world, today):
    """Two coached schools, one of them behind the path to its target."""
    _small_school(world)
    coached_school(
        world.other_school.school,
        today=today,
        coached=5,
        uncoached=20,
        framework_step=world.own.framework_step,
    )
    with scopes_disabled():
        for school, percent, coaches in (
            (world.own.school, 80, 1),
            (world.other_school.school, 90, 4),
        ):
            target = CoverageTarget.objects.create(
                trust=world.trust,
                school=school,
                trained_coaches=coaches,
                coached_percent=percent,
                due_by=today + dt.timedelta(days=7),
                set_by=world.people["trust_lead"],
            )
            CoverageTarget.objects.filter(pk=target.pk).update(
                created_at=timezone.now() - dt.timedelta(days=300)
            )
    rollups_update(trust=world.trust, today=today)


def test_the_head_sees_who_has_a_coach_on_the_first_screen_of_their_phone(phone, axe):
    world = build_world()
    _small_school(world)
    page = phone.new_page()
    sign_in(page, axe, world.people["headteacher"].email)
    # Their home page opens with the same exact fact, on the first screen.
    page.goto("/")
    home_fact = page.locator("#school-facts li", has_text="have a coach")
    assert home_fact.inner_text().startswith("10 of ")
    assert above_the_fold(home_fact)
    assert not scrolls_sideways(page)
    axe.check(page)
    page.goto(f"/insights/schools/{world.own.school.slug}/")
    coached = page.locator("#progress dt:has-text('Teachers with a coach') + dd")
    assert coached.inner_text().startswith("10 (77%)")
    assert above_the_fold(coached)
    assert not scrolls_sideways(page)
    # Each table is a list of rows on a phone: a row's cells say which column they are.
    row = page.get_by_role("table", name="Teachers with a coach, week by week").locator("tbody tr")
    cell = row.last.locator("td[data-label='With a coach']")
    assert cell.evaluate("(c) => getComputedStyle(c, '::before').content") == '"With a coach: "'
    axe.check(page)


def test_the_administrator_sees_an_import_with_problems_on_the_first_screen(phone, axe):
    world = build_world()
    with scopes_disabled():
        RosterImportFactory(trust=world.trust)
    page = phone.new_page()
    sign_in(page, axe, world.people["administrator"].email)
    page.goto("/")
    latest = page.locator("#roster-facts li", has_text="Latest import")
    assert "Has problems" in latest.inner_text()
    assert above_the_fold(latest)
    assert not scrolls_sideways(page)
    axe.check(page)
    latest.get_by_role("link", name="Has problems").click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    axe.check(page)


def test_the_trust_lead_sees_which_schools_may_need_support_on_the_first_screen(phone, axe):
    world = build_world()
    _trust_with_two_schools(world, timezone.localdate())
    page = phone.new_page()
    sign_in(page, axe, world.people["trust_lead"].email)
    # Their home page opens with the trust's counts, on the first screen.
    page.goto("/")
    home_support = page.locator("#trust-facts li", has_text="may need support")
    assert home_support.inner_text().startswith("1")
    assert above_the_fold(home_support)
    assert not scrolls_sideways(page)
    axe.check(page)
    page.goto("/insights/trust/")
    counts = page.locator("#trust-counts")
    assert "2 schools" in counts.inner_text()
    support = counts.locator("li", has_text="may need support")
    assert support.inner_text().startswith("1")
    assert above_the_fold(support)
    assert not scrolls_sideways(page)
    # The schools' table is a list of rows, each led by its school.
    schools = page.get_by_role("table", name="Schools side by side")
    first = schools.locator("tbody tr").first
    assert first.locator("th").inner_text() == "School A1"
    assert first.locator("th").bounding_box()["y"] < first.locator("td").first.bounding_box()["y"]
    assert "1 trained coach by" in schools.inner_text()  # not "1 trained coaches"
    axe.check(page)


def test_a_tutor_sees_how_much_is_waiting_to_be_marked_on_the_first_screen(phone, axe):
    world = build_world()
    pw = build_programme(world)
    university(pw, pw.tutor)
    with trust_scope(world.trust):
        submit(pw)
    page = phone.new_page()
    sign_in_as(page, axe, pw.tutor)
    page.goto("/programmes/")
    to_mark = page.locator("#marking-counts li", has_text="to mark")
    assert to_mark.inner_text() == "1 submission to mark"
    assert above_the_fold(to_mark)
    assert not scrolls_sideways(page)
    axe.check(page)
    page.get_by_role("link", name="Your marking").click()
    page.get_by_role("heading", name="Your marking").wait_for()
    assert page.locator("#marking-counts").inner_text().startswith("1 submission to mark")
    assert not scrolls_sideways(page)
    axe.check(page)


def test_on_a_desktop_the_trusts_table_fits_and_no_heading_breaks_word_by_word(desktop, axe):
    world = build_world()
    _trust_with_two_schools(world, timezone.localdate())
    page = desktop.new_page()
    sign_in(page, axe, world.people["trust_lead"].email)
    # Their home page opens with the trust's counts, on the first screen.
    page.goto("/")
    home_support = page.locator("#trust-facts li", has_text="may need support")
    assert home_support.inner_text().startswith("1")
    assert above_the_fold(home_support)
    assert not scrolls_sideways(page)
    axe.check(page)
    page.goto("/insights/trust/")
    table = page.get_by_role("table", name="Schools side by side")
    target = table.locator("thead th", has_text="Target")
    assert lines_of(target) == 1
    for heading in table.locator("thead th").all():
        words = len(heading.inner_text().split())
        if words > 2:
            assert lines_of(heading) < words, heading.inner_text()
    width = page.viewport_size["width"]
    assert table.bounding_box()["x"] >= 0
    assert table.bounding_box()["x"] + table.bounding_box()["width"] <= width
    region = table.locator("xpath=..")
    assert region.evaluate("(r) => r.scrollWidth <= r.clientWidth")
    assert not scrolls_sideways(page)
    axe.check(page)


def test_the_programme_lead_sees_the_programmes_they_run_on_the_first_screen(phone, axe):
    world = build_world()
    pw = build_programme(world)
    university(pw, pw.lead)
    page = phone.new_page()
    sign_in_as(page, axe, pw.lead)
    page.goto("/programmes/")
    programme = page.locator("#staffed-programmes").get_by_role("link", name=pw.programme.title)
    assert above_the_fold(programme)
    assert "Programme lead" in page.locator("#staffed-programmes").inner_text()
    assert not scrolls_sideways(page)
    axe.check(page)
    # Their cohort's teachers are a list of rows on a phone, each led by the teacher.
    page.goto(f"/programmes/cohorts/{pw.enrolments[0].cohort_id}/")
    first = page.locator("#enrolments tbody tr").first
    assert first.locator("td").first.inner_text() == pw.enrolments[0].teacher.full_name
    assert not scrolls_sideways(page)
    axe.check(page)
