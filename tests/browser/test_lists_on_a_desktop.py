"""The lists that become summary rows on a phone are ordinary tables on a desktop (1280×800):
the table takes the full width of the page's column, fits the window, and no heading breaks
one word to a line."""

import pytest
from django.urls import reverse

from tests.browser.test_coaching_journey import sign_in
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = """() => [...document.querySelectorAll('table.cl-rows th')].map(th => {
  const style = getComputedStyle(th);
  const line = parseFloat(style.lineHeight);
  const inner = th.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return {text: th.innerText.trim(), lines: Math.round(inner / line)};
})"""
WIDTHS = """() => [...document.querySelectorAll('table.cl-rows')].map(t => ({
  table: t.getBoundingClientRect().width,
  column: t.parentElement.getBoundingClientRect().width,
  right: t.getBoundingClientRect().right,
}))"""


def assert_desktop_tables(page):
    headings = [h for h in page.evaluate(HEADINGS) if h["text"]]
    assert headings, "no summary-row table on the page"
    for heading in headings:
        words = len(heading["text"].split())
        assert heading["lines"] == 1 or heading["lines"] < words, heading
    for widths in page.evaluate(WIDTHS):
        assert widths["table"] >= widths["column"] - 1, widths
        assert widths["right"] <= page.viewport_size["width"], widths
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        (
            "coaching_lead",
            lambda world: reverse("coaching:lead_home", args=[world.own.school.slug]),
        ),
        ("coach", lambda world: reverse("coaching:coach_home")),
    ],
    ids=["the coaching lead's home", "the coach's home"],
)
def test_a_summary_row_table_is_a_full_width_table_on_a_desktop(desktop, axe, persona, home):
    world = build_world()
    page = desktop.new_page()
    sign_in(page, axe, world.people[persona].email)
    page.goto(home(world))
    page.locator("table.cl-rows").first.wait_for()
    assert_desktop_tables(page)
    axe.check(page)
