"""Every upload is looked inside before anything opens it (``common.uploads``): a zip file
(every Office document is one) that expands too far, holds too much, hides behind a password,
names a path outside itself or nests zips too deep is refused, whatever sizes it declares; a PDF
with active content is refused however its names are written; and when a virus check is set
up, what it finds is refused and an upload it cannot check is refused too."""

import random
import socket
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coachloop.common.uploads import check_inside, check_upload
from tests import upload_files as files


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(name, content):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content))
    return refused.value.message_dict["file"][0]


# -- zip files --------------------------------------------------------------------------------


def test_a_gigabyte_zip_bomb_named_docx_is_refused_naming_the_problem(docx_bomb):
    assert len(docx_bomb) < 5 * files.MIB  # well within the evidence limit

    message = refusal("lesson plan.docx", docx_bomb)

    assert message == (
        "The file “lesson plan.docx” expands to more than 500 MB when opened, so it cannot be "
        "accepted. Send a smaller file, or only the part you need."
    )


def test_an_entry_expanding_a_hundredfold_is_refused_though_within_the_total():
    content = files.docx_bytes(extra=[("word/media/blank.bin", bytes(20 * files.MIB))])

    assert "expands to more than 100 times its size when opened" in refusal("plan.docx", content)


def test_the_limits_are_settings(settings):
    settings.COACHLOOP_UPLOAD_MAX_RATIO = 10_000
    content = files.docx_bytes(extra=[("word/media/blank.bin", bytes(20 * files.MIB))])
    assert check_upload(upload("plan.docx", content)).suffix == ".docx"

    settings.COACHLOOP_UPLOAD_MAX_EXPANDED_MB = 10
    assert "expands to more than 10 MB when opened" in refusal("plan.docx", content)


def test_a_zip_that_understates_its_sizes_is_measured_by_reading_it(settings):
    """Declared as 100 bytes, the entry is read through anyway: it passes the limit as it is
    read, and reading stops there."""
    settings.COACHLOOP_UPLOAD_MAX_EXPANDED_MB = 1
    incompressible = random.Random(1).randbytes(2 * files.MIB)
    honest = files.docx_bytes(extra=[("word/media/photo.bin", incompressible)])
    lying = files.understating(honest, "word/media/photo.bin")

    assert "expands to more than 1 MB when opened" in refusal("plan.docx", honest)
    assert "expands to more than 1 MB when opened" in refusal("plan.docx", lying)


def test_an_entry_whose_content_differs_from_its_declared_size_is_refused_as_damaged():
    lying = files.understating(files.docx_bytes(), "word/document.xml")

    assert "is damaged: it could not be opened to be checked" in refusal("plan.docx", lying)


def test_a_zip_with_too_many_entries_is_refused(settings):
    settings.COACHLOOP_UPLOAD_MAX_ENTRIES = 5
    content = files.docx_bytes(extra=[(f"word/media/image{i}.png", "x") for i in range(5)])

    assert "holds more than 5 files inside it" in refusal("plan.docx", content)


@pytest.mark.parametrize("entry", ["../../etc/cron.d/evil", "/etc/passwd", "C:/evil.bat"])
def test_a_zip_naming_a_file_outside_its_folder_is_refused(entry):
    content = files.docx_bytes(extra=[(entry, "x")])

    assert f"names a file outside its own folder ({entry})" in refusal("plan.docx", content)


def test_a_zip_with_an_encrypted_entry_is_refused():
    assert "is protected with a password" in refusal("plan.docx", files.encrypted_docx())


def test_a_document_holding_a_spreadsheet_is_checked_and_accepted():
    """Word keeps a chart's data as an Excel file inside the document: one level is fine."""
    content = files.docx_bytes(extra=[("word/embeddings/chart.xlsx", files.docx_bytes())])

    assert check_upload(upload("plan.docx", content)).suffix == ".docx"


def test_a_zip_inside_a_zip_inside_the_document_is_refused():
    inner = files.zip_of([("deeper.zip", files.docx_bytes())])
    content = files.docx_bytes(extra=[("word/embeddings/data.zip", inner)])

    assert "holds a zip file inside a zip file inside it" in refusal("plan.docx", content)


def test_a_nested_zip_counts_against_the_same_limit(settings):
    settings.COACHLOOP_UPLOAD_MAX_EXPANDED_MB = 1
    incompressible = random.Random(2).randbytes(files.MIB + files.MIB // 4)
    inner = files.zip_of([("sheet.bin", incompressible)])
    content = files.docx_bytes(extra=[("word/embeddings/data.xlsx", inner)])

    assert "expands to more than 1 MB when opened" in refusal("plan.docx", content)


def test_a_clean_document_is_accepted():
    checked = check_upload(upload("plan.docx", files.docx_bytes()))

    assert checked.content_type.endswith("wordprocessingml.document")


# -- PDFs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "named"),
    [
        (files.pdf_with_javascript_on_opening, "JavaScript"),
        (files.pdf_with_an_additional_action, "actions that run when something happens"),
        (files.pdf_with_escaped_javascript_names, "JavaScript"),
        (files.pdf_in_object_streams_with_javascript, "JavaScript"),
        (files.pdf_with_an_embedded_file, "other files inside it"),
    ],
    ids=["javascript on opening", "additional action", "#-escaped names", "object stream", "file"],
)
def test_a_pdf_with_active_content_is_refused_naming_it(build, named):
    message = refusal("essay.pdf", build())

    assert message.startswith("The PDF “essay.pdf” contains active content (")
    assert named in message
    assert "Print it to a new PDF" in message


def test_an_opening_action_that_only_names_a_page_is_allowed():
    assert check_upload(upload("essay.pdf", files.pdf_opening_at_its_first_page())).size


def test_a_clean_pdf_is_accepted():
    assert check_upload(upload("essay.pdf", files.blank_pdf())).content_type == "application/pdf"


def test_a_pdf_that_cannot_be_read_is_refused_as_it_cannot_be_checked():
    broken = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    assert "could not be read as a PDF, so it cannot be checked" in refusal("essay.pdf", broken)


def test_a_pdf_with_javascript_is_refused_though_a_zip_is_joined_to_its_end():
    message = refusal("essay.pdf", files.pdf_with_javascript_and_a_zip_joined_to_it())

    assert message.startswith("The file “essay.pdf” is a PDF with a zip file joined to it")


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("essay.pdf", files.pdf_with_javascript_and_a_zip_joined_to_it),
        ("photo.png", files.png_with_a_zip_joined_to_it),
    ],
)
def test_a_file_of_a_kind_that_is_not_a_zip_is_refused_when_it_is_also_a_zip(name, build):
    """(Plain text with a zip joined to it is refused already: a zip holds control bytes.)"""
    assert "with a zip file joined to it" in refusal(name, build())


def test_looking_inside_a_pdf_that_is_also_a_zip_checks_it_as_a_pdf():
    """The roster and record imports call ``check_inside`` alone: the zip at the end must not
    stop the PDF check."""
    with pytest.raises(ValidationError) as refused:
        check_inside(upload("essay.pdf", files.pdf_with_javascript_and_a_zip_joined_to_it()), "e")

    assert "contains active content (JavaScript)" in refused.value.messages[0]


# -- the virus check --------------------------------------------------------------------------


def test_with_no_virus_check_set_up_nothing_is_asked(settings):
    settings.COACHLOOP_CLAMD_SOCKET = settings.COACHLOOP_CLAMD_ADDRESS = ""
    content = b"Notes " + files.TEST_VIRUS

    assert check_upload(upload("notes.txt", content)).suffix == ".txt"


def test_clamd_refuses_what_it_finds_and_passes_the_rest(virus_check):
    assert check_upload(upload("essay.pdf", files.blank_pdf())).suffix == ".pdf"

    message = refusal("notes.txt", b"Notes " + files.TEST_VIRUS)

    assert message == (
        "The virus check found something harmful in the file “notes.txt”, so it cannot be "
        "accepted. Check your computer for viruses, or choose another file."
    )


def test_clamd_looks_inside_documents_too(virus_check):
    content = files.docx_bytes(extra=[("word/media/x.bin", files.TEST_VIRUS)])

    assert "The virus check found something harmful" in refusal("plan.docx", content)


def test_clamd_over_tcp_is_asked_the_same(settings, clamd_socket):
    """COACHLOOP_CLAMD_ADDRESS: a TCP relay to the test clamd's socket stands in for clamd on
    another machine."""
    relay = socket.create_server(("127.0.0.1", 0))

    def forward():
        client, _ = relay.accept()
        with client, socket.socket(socket.AF_UNIX) as daemon:
            daemon.connect(clamd_socket)
            client.settimeout(5)
            request = b""
            while not request.endswith(b"\0\0\0\0"):
                request += client.recv(65536)
            daemon.sendall(request)
            client.sendall(daemon.recv(4096))

    thread = threading.Thread(target=forward, daemon=True)
    thread.start()
    settings.COACHLOOP_CLAMD_SOCKET = ""
    settings.COACHLOOP_CLAMD_ADDRESS = f"127.0.0.1:{relay.getsockname()[1]}"

    assert "virus check found something" in refusal("notes.txt", b"x " + files.TEST_VIRUS)
    thread.join(5)
    relay.close()


UNCHECKED = (
    "The file “essay.pdf” could not be checked for viruses just now, so it has not been "
    "added. Try again later."
)


def test_when_clamd_cannot_be_reached_the_upload_is_refused(settings, tmp_path):
    settings.COACHLOOP_CLAMD_SOCKET = str(tmp_path / "no-such.sock")

    assert refusal("essay.pdf", files.blank_pdf()) == UNCHECKED


def test_when_clamd_is_not_listening_on_its_address_the_upload_is_refused(settings):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    settings.COACHLOOP_CLAMD_SOCKET = ""
    settings.COACHLOOP_CLAMD_ADDRESS = f"127.0.0.1:{port}"

    assert refusal("essay.pdf", files.blank_pdf()) == UNCHECKED


def test_when_clamd_hangs_up_without_a_verdict_the_upload_is_refused(settings, tmp_path):
    path = str(tmp_path / "mute.sock")
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen(1)

    def hang_up():
        connection, _ = server.accept()
        connection.recv(16)
        connection.close()

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    settings.COACHLOOP_CLAMD_SOCKET = path

    assert refusal("essay.pdf", files.blank_pdf()) == UNCHECKED
    thread.join(5)
    server.close()
