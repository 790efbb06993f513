"""A version of a teacher's programme work is saved only when every file on it passes the
checks of what is inside: a zip bomb named .docx or a PDF with JavaScript is refused with a
message, and neither the version nor any file is kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coachloop.programmes.models import SubmissionFile, SubmissionVersion
from tests import upload_files as files
from tests.programmes.test_pages_students import page_url, teacher_of

pytestmark = pytest.mark.django_db


def send(client, programme, *uploads):
    client.force_login(teacher_of(programme))
    return client.post(
        page_url(programme), {"text": "My case study.", "files": list(uploads), "action": "draft"}
    )


def assert_nothing_saved(media):
    assert not SubmissionVersion.objects.exists() and not SubmissionFile.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_a_zip_bomb_named_docx_is_refused_and_nothing_is_saved(client, programme, media, docx_bomb):
    response = send(
        client,
        programme,
        SimpleUploadedFile("notes.pdf", files.blank_pdf()),
        SimpleUploadedFile("case study.docx", docx_bomb),
    )

    assert response.status_code == 200
    assert (
        "The file “case study.docx” expands to more than 500 MB when opened"
        in response.content.decode()
    )
    assert_nothing_saved(media)


def test_a_pdf_with_javascript_is_refused_and_nothing_is_saved(client, programme, media):
    upload = SimpleUploadedFile("case study.pdf", files.pdf_with_javascript_on_opening())

    response = send(client, programme, upload)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The PDF “case study.pdf” contains active content (JavaScript" in page
    assert_nothing_saved(media)


def test_a_clean_document_is_saved(client, programme, media):
    response = send(client, programme, SimpleUploadedFile("case study.docx", files.docx_bytes()))

    assert response.status_code == 302
    assert SubmissionFile.objects.get().original_name == "case study.docx"
