"""A teacher takes their record with them, on a phone: the download page, then the JSON file
and the PDF (its page follows it being made, then offers it), each really downloaded by the
browser; and an administrator brings one in."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from coachloop.coaching.portability.export import document_bytes
from coachloop.common import downloads
from coachloop.common.models import PreparedDownload
from coachloop.common.tenancy import scopes_disabled
from tests.browser.test_coaching_journey import sign_in
from tests.coaching.portability_fixtures import (
    build_rich_record,
    export,
)
from tests.coaching.test_portability_export import pdf_text
from tests.world import build_world


def make_waiting_downloads():
    """Make every download waiting for the task worker, as ``manage.py db_worker`` would."""
    with scopes_disabled():
        waiting = list(
            PreparedDownload.objects.filter(status=PreparedDownload.Status.PREPARING).values_list(
                "pk", flat=True
            )
        )
    for pk in waiting:
        downloads.download_build(pk)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_downloads_their_record_as_a_file_and_as_a_pdf_on_a_phone(phone, axe, media):
    world = build_world()
    rich = build_rich_record(world)
    page = phone.new_page()
    sign_in(page, axe, rich.teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(reverse("coaching:portability_download"))
    page.get_by_role("heading", name="Download my record").wait_for()
    axe.check(page)

    with page.expect_download() as json_download:
        page.get_by_role("button", name="Download my record as a file (JSON)").click()
    download = json_download.value
    name = download.suggested_filename
    assert re.fullmatch(r"coachloop-record-teacher-a1-\d{4}-\d{2}-\d{2}\.json", name)
    document = json.loads(Path(download.path()).read_bytes())
    assert document["teacher"]["name"] == "Teacher a1"
    assert len(document["relationships"]) == 4

    page.get_by_role("button", name="Download my record as a PDF").click()
    page.get_by_text("Your file is being made").wait_for()
    axe.check(page)
    make_waiting_downloads()  # what the task worker does
    page.get_by_role("heading", name="Your file is ready").wait_for()  # the page asked again
    axe.check(page)
    with page.expect_download() as pdf_download:
        page.get_by_role("button", name=re.compile(r"^Download coachloop-record-")).click()
    body = Path(pdf_download.value.path()).read_bytes()
    assert body.startswith(b"%PDF")
    assert b"Teacher a1" in pdf_text(body)
    axe.check(page)


def test_an_administrator_brings_in_a_teachers_record_on_a_phone(phone, axe, media, tmp_path):
    world = build_world()
    document = export(world.other_trust_records.teacher, world.other_trust)
    good = tmp_path / "record.json"
    good.write_bytes(document_bytes(document))
    document["relationships"][0]["started_on"] = "someday"
    broken = tmp_path / "broken.json"
    broken.write_bytes(document_bytes(document))

    page = phone.new_page()
    sign_in(page, axe, world.people["administrator"].email)
    page.goto(reverse("coaching:portability_import"))
    axe.check(page)
    page.get_by_label("The teacher's record file").set_input_files(str(broken))
    page.get_by_role("button", name="Import the record").click()
    page.get_by_text("The record was not imported: the file has 1 problem").wait_for()
    page.get_by_text("coaching relationship 1 › started_on").wait_for()
    axe.check(page)
    page.get_by_label("The teacher's record file").set_input_files(str(good))
    page.get_by_role("button", name="Import the record").click()
    page.get_by_role("heading", name="Record imported").wait_for()
    axe.check(page)
