"""What is inside an evidence file is checked on the page before anything is kept: a zip bomb
named .docx and PDFs with active content are refused with a message naming the problem, and
leave no row and no file; clean ones are added."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coachloop.coaching.models import EvidenceItem
from coachloop.common.tenancy import scopes_disabled
from tests import upload_files as files
from tests.coaching.test_evidence_pages import make_goal, stored_files

pytestmark = pytest.mark.django_db


def add_file(client, world, as_viewer, name, content):
    goal = make_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    url = reverse("coaching:goal_evidence_new", args=[goal.pk, "file"])
    return client.post(url, {"file": SimpleUploadedFile(name, content), "title": "", "note": ""})


def assert_refused(response, media, words):
    assert response.status_code == 200
    assert words in response.content.decode()
    with scopes_disabled():
        assert not EvidenceItem.objects.exists()
    assert stored_files(media) == []


def test_a_gigabyte_zip_bomb_named_docx_is_refused_and_nothing_is_kept(
    client, world, as_viewer, media, docx_bomb
):
    response = add_file(client, world, as_viewer, "lesson plan.docx", docx_bomb)

    assert_refused(
        response, media, "The file “lesson plan.docx” expands to more than 500 MB when opened"
    )


@pytest.mark.parametrize(
    "build",
    [
        files.pdf_with_javascript_on_opening,
        files.pdf_with_an_additional_action,
        files.pdf_with_escaped_javascript_names,
        files.pdf_with_an_embedded_file,
    ],
)
def test_a_pdf_with_active_content_is_refused_and_nothing_is_kept(
    client, world, as_viewer, media, build
):
    response = add_file(client, world, as_viewer, "exit tickets.pdf", build())

    assert_refused(response, media, "The PDF “exit tickets.pdf” contains active content (")


def test_a_pdf_with_javascript_and_a_zip_joined_to_it_is_refused_and_nothing_is_kept(
    client, world, as_viewer, media
):
    content = files.pdf_with_javascript_and_a_zip_joined_to_it()

    response = add_file(client, world, as_viewer, "exit tickets.pdf", content)

    assert_refused(response, media, "The file “exit tickets.pdf” is a PDF with a zip file joined")


def test_nul_in_the_text_of_the_upload_form_is_a_bad_request_and_keeps_no_file(
    client, world, as_viewer, media
):
    """The page sets its own upload handlers (the size limit) first; the text fields are
    checked for NUL as the body is read (``common.middleware``)."""
    goal = make_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    url = reverse("coaching:goal_evidence_new", args=[goal.pk, "file"])
    file = SimpleUploadedFile("notes.txt", b"Notes")

    response = client.post(url, {"file": file, "title": "Exit\x00tickets", "note": ""})

    assert response.status_code == 400
    with scopes_disabled():
        assert not EvidenceItem.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "build"), [("plan.docx", files.docx_bytes), ("exit tickets.pdf", files.blank_pdf)]
)
def test_a_clean_document_and_a_clean_pdf_are_added(client, world, as_viewer, media, name, build):
    response = add_file(client, world, as_viewer, name, build())

    assert response.status_code == 302
    with scopes_disabled():
        assert EvidenceItem.objects.get().original_name == name
    assert len(stored_files(media)) == 1


def test_a_file_the_virus_check_finds_is_refused_and_nothing_is_kept(
    client, world, as_viewer, media, virus_check
):
    response = add_file(client, world, as_viewer, "notes.txt", b"Notes " + files.TEST_VIRUS)

    assert_refused(response, media, "The virus check found something harmful in the file")


def test_when_the_virus_check_is_down_the_file_is_refused_and_nothing_is_kept(
    client, world, as_viewer, media, settings, tmp_path
):
    settings.COACHLOOP_CLAMD_SOCKET = str(tmp_path / "clamd.sock")

    response = add_file(client, world, as_viewer, "exit tickets.pdf", files.blank_pdf())

    assert_refused(response, media, "could not be checked for viruses just now")
