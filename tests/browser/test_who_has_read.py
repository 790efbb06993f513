"""A teacher reads who has read their records, on a phone and on a laptop: from their home page,
a page at a time, back to a reader from long before their coach's many reads."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.browser.test_coaching_journey import sign_in
from tests.coaching.test_who_has_read_trail import many_reads, read_at
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_teacher_pages_back_through_who_has_read_their_records(device, request, axe):
    world = build_world()
    now = timezone.now()
    read_at(now - dt.timedelta(days=400), reader=world.people["headteacher"], records=world.own)
    many_reads(reader=world.own.coach, records=world.own, days=60, per_day=3, ending=now)
    page = request.getfixturevalue(device).new_page()
    sign_in(page, axe, world.own.teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.get_by_role("link", name="See who has read them").click()
    page.wait_for_url(re.compile(r"/me/who-has-read-my-records/$"))
    page.get_by_role("heading", name="Who has read my coaching records").wait_for()
    assert page.get_by_text("(your coach)").count() == 25
    pages = page.get_by_role("navigation", name="Pages of who has read my records")
    assert pages.get_by_role("link", name="Page 1").get_attribute("aria-current") == "page"
    axe.check(page)
    for number in (2, 3):
        pages.get_by_role("link", name="Next page").click()
        page.wait_for_url(re.compile(rf"\?page={number}$"))
        axe.check(page)
    page.get_by_text("Page 3 of 3, newest first.").wait_for()
    assert page.get_by_text(world.people["headteacher"].full_name).is_visible()
    assert page.get_by_text("Not your coach").is_visible()
    pages.get_by_role("link", name="Previous page").click()
    page.wait_for_url(re.compile(r"\?page=2$"))
    assert page.get_by_text("Not your coach").count() == 0
    pages.get_by_role("link", name="Page 1").click()
    page.wait_for_url(re.compile(r"\?page=1$"))
    axe.check(page)
