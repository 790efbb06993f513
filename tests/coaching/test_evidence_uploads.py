"""Evidence files are checked by their content, not their name: an allowed type that agrees
with the file's ending, within the size limit. A refused file leaves no row and no file; a
file name with path tricks is neutralised; the stored name is random."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from weasyprint import HTML

from coachloop.coaching.models import EvidenceItem
from coachloop.coaching.services import evidence as services
from coachloop.coaching.services import learning as learning_services
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.common.uploads import check_upload, clean_file_name

pytestmark = pytest.mark.django_db


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (29, 79, 74)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (29, 79, 74)).save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_bytes():
    return HTML(string="<h1>Exit tickets</h1><p>Year 9 set 2, week 3.</p>").write_pdf()


def zip_bytes(first, *others):
    """A zip archive whose entries are named ``first`` then ``others``, as Office writes them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in (first, *others):
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def docx_bytes():
    return zip_bytes("[Content_Types].xml", "_rels/.rels", "word/document.xml")


def exe_bytes():
    return b"MZ\x90\x00\x03" + b"\x00" * 200 + b"This program cannot be run in DOS mode."


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def files_under(folder):
    return [path for path in Path(folder).rglob("*") if path.is_file()] if folder.exists() else []


# -- the checks alone -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("lesson.pdf", pdf_bytes, "application/pdf"),
        ("board.png", png_bytes, "image/png"),
        ("board.JPEG", jpeg_bytes, "image/jpeg"),
        (
            "plan.docx",
            docx_bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "answers.txt",
            lambda: "Exit ticket answers\n“Full sentences” – 9X2\n".encode(),
            "text/plain",
        ),
    ],
)
def test_allowed_files_whose_content_agrees_with_their_name_are_accepted(
    name, content, content_type
):
    checked = check_upload(upload(name, content()))
    assert checked.content_type == content_type


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lesson.pdf", png_bytes, "named as a PDF, but its content is a PNG image"),
        ("lesson.pdf", exe_bytes, "its content is a .exe file, which cannot be added"),
        ("lesson.pdf", lambda: zip_bytes("notes.txt"), "its content is a .zip file"),
        ("board.png", pdf_bytes, "named as a PNG image, but its content is a PDF"),
        ("plan.docx", lambda: zip_bytes("notes.txt"), "its content is a .zip file"),
        (
            "plan.docx",
            lambda: b"Just some words",
            "named as a Word document, but its content is not",
        ),
        ("answers.txt", png_bytes, "named as plain text, but its content is a PNG image"),
        ("answers.txt", lambda: b"ok\x00\x01\x02binary", "ends .txt but is not plain text"),
        ("answers.txt", lambda: b"caf\xe9 au lait", "ends .txt but is not plain text"),
        ("setup.exe", exe_bytes, "Files ending .exe cannot be added."),
        ("drawing.svg", lambda: b"<svg onload=alert(1)/>", "Files ending .svg cannot be added."),
        ("lesson", pdf_bytes, "has no ending such as .pdf"),
        ("empty.pdf", lambda: b"", "is empty"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_with_a_clear_message(
    name, content, message
):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content()))
    assert message in " ".join(error.value.message_dict["file"])


def test_a_file_over_the_limit_is_refused_by_its_size_with_the_limit_named(settings):
    settings.COACHLOOP_EVIDENCE_MAX_BYTES = 1024
    big = pdf_bytes() + b"%" * 2048
    with pytest.raises(ValidationError) as error:
        check_upload(upload("lesson.pdf", big))
    message = " ".join(error.value.message_dict["file"])
    assert "a file can be at most 1.0\xa0KB" in message


def test_the_limit_is_ten_megabytes_unless_set():
    from django.conf import settings

    assert settings.COACHLOOP_EVIDENCE_MAX_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("/var/www/../../secret.pdf", "secret.pdf"),
        ("lesson\x00.php.pdf", "lesson.php.pdf"),
        ("line\nbreak\r.pdf", "linebreak.pdf"),
        ("\u202egnp.exe.pdf", "gnp.exe.pdf"),  # no right-to-left override to fake the ending
        ("..pdf", "pdf"),
        (".htaccess", "htaccess"),
        ("my <plan>; rm -rf \x24HOME.pdf", "my _plan__ rm -rf _HOME.pdf"),
        ("Réflexion année 9.pdf", "Réflexion année 9.pdf"),
        ("", "evidence"),
        ("../..", "evidence"),
    ],
)
def test_file_names_with_path_tricks_are_neutralised(given, cleaned):
    assert clean_file_name(given) == cleaned


def test_a_very_long_file_name_is_capped_keeping_its_ending():
    cleaned = clean_file_name("a" * 300 + ".pdf")
    assert len(cleaned) == 100
    assert cleaned.endswith(".pdf")


# -- through the service, with real storage --------------------------------------------------


def teachers_goal(world, as_viewer, **extra):
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        return learning_services.goal_create(
            viewer=viewer,
            title="Full sentences",
            pupils="Year 9 set 2",
            evidence_kinds=["pupil_work"],
            review_on=timezone.localdate(),
            **extra,
        )


def add_file(world, as_viewer, goal, name, content, **extra):
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        return services.evidence_add(
            viewer=viewer, kind="file", goal=goal, upload=upload(name, content), **extra
        )


def test_an_accepted_file_is_stored_under_a_random_name_with_its_checked_type(
    world, as_viewer, media
):
    goal = teachers_goal(world, as_viewer)
    item = add_file(world, as_viewer, goal, "../../etc/Exit tickets.pdf", pdf_bytes())
    stored = Path(item.file.path)
    assert stored.is_file() and stored.read_bytes().startswith(b"%PDF")
    assert stored.parent == media / "evidence" / str(world.trust.pk)
    assert stored.suffix == ".pdf" and "Exit" not in stored.name and len(stored.stem) == 32
    assert (item.original_name, item.title) == ("Exit tickets.pdf", "Exit tickets.pdf")
    assert (item.content_type, item.size) == ("application/pdf", len(stored.read_bytes()))
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            verb="evidence.file_added", target_id=str(item.pk)
        ).exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("lesson.pdf", png_bytes()),  # a PNG dressed as a PDF
        ("lesson.pdf", exe_bytes()),  # a program dressed as a PDF
        ("lesson.pdf", zip_bytes("payload.bin")),
        ("lesson.pdf", b"%PDF-1.7" + b"x" * 4096),  # over the limit set below
    ],
)
def test_a_refused_file_leaves_no_row_and_no_file(world, as_viewer, media, settings, name, content):
    settings.COACHLOOP_EVIDENCE_MAX_BYTES = 4096
    goal = teachers_goal(world, as_viewer)
    with pytest.raises(ValidationError) as error:
        add_file(world, as_viewer, goal, name, content)
    assert error.value.message_dict["file"]
    with scopes_disabled():
        assert not EvidenceItem.objects.exists()
    assert files_under(media) == []


def test_removing_a_file_deletes_it_from_storage(
    world, as_viewer, media, django_capture_on_commit_callbacks
):
    goal = teachers_goal(world, as_viewer)
    item = add_file(world, as_viewer, goal, "board.png", png_bytes())
    assert len(files_under(media)) == 1
    viewer, scope = as_viewer(world.own.teacher)
    with scope, django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(viewer=viewer, item=item)
    assert files_under(media) == []
    with scopes_disabled():
        assert not EvidenceItem.objects.exists()
        assert AuditEvent.objects.filter(verb="evidence.removed").exists()
