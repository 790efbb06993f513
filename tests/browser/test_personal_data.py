"""A person's data in the browser: a teacher finds "Your data" from their account and
downloads it; an administrator opens a person's data from the admin site, is refused without
a confirmation, erases them and reads the report. Every page passes axe-core."""

import re
import zipfile

import pytest

from tests.browser.test_coaching_journey import sign_in
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_downloads_everything_held_about_them(desktop, axe):
    world = build_world()
    page = desktop.new_page()
    sign_in(page, axe, world.own.teacher.email)
    page.goto("/account/")
    page.get_by_role("link", name="Download everything Coachloop holds about you").click()
    page.get_by_role("heading", name="Your data", level=1).wait_for()
    axe.check(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download your data (zip)").click()
    archive = zipfile.ZipFile(download.value.path())
    assert {"records.json", "records.html"} <= set(archive.namelist())


def test_an_administrator_erases_a_person_and_reads_the_report(desktop, axe):
    world = build_world()
    teacher = world.own.teacher
    page = desktop.new_page()
    sign_in(page, axe, world.people["administrator"].email)
    page.goto(f"/admin/people/user/{teacher.pk}/change/")
    page.get_by_role("link", name="Download everything held about them, or erase them").click()
    page.get_by_role("heading", name=f"{teacher.full_name}'s data").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Erase this person").click()
    page.get_by_role("heading", name="Erase this person", level=1).wait_for()
    axe.check(page)
    page.get_by_label("Why is this person being erased?").fill("Asked by email on 3 March.")
    page.get_by_role("button", name="Erase this person").click()
    page.get_by_text("Confirm that you understand this cannot be undone.").first.wait_for()
    axe.check(page)
    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_role("button", name="Erase this person").click()
    page.wait_for_url(re.compile(r"/people/erasures/\d+/$"))
    page.get_by_role("heading", name="Erasure report").wait_for()
    assert page.get_by_text(f"Erased person #{teacher.pk}").is_visible()
    assert page.get_by_role("cell", name="Drop-ins").is_visible()
    axe.check(page)
