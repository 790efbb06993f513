"""Real files for the upload tests, built here: a clean PDF and PDFs with active content (made
with pypdf, so their structure is what a reader meets), a clean Word document and zip files
that would harm whoever opens them, a zip bomb among them built a chunk at a time."""

import io
import zipfile
import zlib

import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

GIB = 1024 * 1024 * 1024
MIB = 1024 * 1024
# What the test clamd's own signature database (tests/clamd.py) finds.
TEST_VIRUS = b"COACHLOOP-TEST-VIRUS-SIGNATURE-7f3a"


def _written(writer):
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _one_page():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def blank_pdf():
    """A real one-page PDF with nothing active in it."""
    return _written(_one_page())


def pdf_opening_at_its_first_page():
    """An /OpenAction that only says where to open: passive, allowed."""
    writer = _one_page()
    page = writer.pages[0].indirect_reference
    writer.root_object[NameObject("/OpenAction")] = ArrayObject([page, NameObject("/Fit")])
    return _written(writer)


def pdf_with_javascript_on_opening():
    writer = _one_page()
    writer.add_open_action(JavaScript("app.alert('Opened');"))
    return _written(writer)


def pdf_with_an_additional_action():
    """A page whose /AA runs an action (a URI here) when it is opened."""
    writer = _one_page()
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/O"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://example.org/track"),
                }
            )
        }
    )
    return _written(writer)


def pdf_with_escaped_javascript_names():
    """JavaScript whose names are written with #xx escapes (/J#61vaScript, /J#53), in an
    object of its own: a search of the bytes for /JavaScript finds nothing."""
    writer = _one_page()
    action = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Action"),
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(1)"),
            }
        )
    )
    writer.root_object[NameObject("/OpenAction")] = action
    content = _written(writer)
    escaped = content.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    assert b"/JavaScript" not in escaped and b"/JS " not in escaped
    return escaped


def pdf_with_an_embedded_file():
    writer = _one_page()
    writer.add_attachment("notes.exe", b"MZ not really a program")
    return _written(writer)


def pdf_in_object_streams_with_javascript():
    """A PDF 1.5 whose JavaScript action sits compressed inside an object stream, listed by a
    compressed cross-reference stream: neither /JavaScript nor /JS appears in its bytes."""
    action = b"<</S/JavaScript/JS(app.alert(1))>>"
    packed = b"4 0 " + action
    objects = [
        b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    stream = zlib.compress(packed)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets.append(None)  # object 4 lives in the object stream, object 5
    offsets.append(len(out))
    out += b"5 0 obj\n<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>\nstream\n" % len(
        stream
    )
    out += stream + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    for offset in offsets:
        if offset is None:
            rows.append(b"\x02" + (5).to_bytes(4, "big") + (0).to_bytes(2, "big"))
        else:
            rows.append(b"\x01" + offset.to_bytes(4, "big") + b"\x00\x00")
    rows.append(b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00")
    table = zlib.compress(b"".join(rows))
    out += (
        b"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Filter/FlateDecode/Length %d>>\n"
        b"stream\n" % len(table)
    )
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    content = bytes(out)
    assert b"JavaScript" not in content and b"/JS" not in content
    return content


def pdf_with_javascript_and_a_zip_joined_to_it():
    """A PDF with JavaScript and a harmless zip joined to its end: a PDF reader opens it as the
    PDF (JavaScript and all), a zip reader finds the zip's directory at its end."""
    return pdf_with_javascript_on_opening() + zip_of([("notes.txt", "Notes")])


def png_with_a_zip_joined_to_it():
    """A real PNG header (one white pixel) with a zip joined to its end."""
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d4944415478da63f8ffff3f0005fe02fea7d6a4d20000000049454e44ae426082"
    )
    return png + zip_of([("notes.txt", "Notes")])


def docx_bytes(*, extra=()):
    """A small Word document, as Word lays its first entries out."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document><w:body>Plan</w:body></w:document>")
        for name, content in extra:
            archive.writestr(name, content)
    return buffer.getvalue()


def write_docx_bomb(path, size=GIB):
    """A file that is a Word document by its first entry, whose document.xml is ``size`` bytes
    of zeros (a gigabyte by default) compressed to under 5 MB. Written a
    megabyte at a time, so building it needs neither the memory nor the disk it expands to."""
    zeros = bytes(MIB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/document.xml", "w", force_zip64=size >= 2 * GIB) as entry:
            for _ in range(size // MIB):
                entry.write(zeros)
        archive.writestr("[Content_Types].xml", "<Types/>")
    return path


def understating(content, entry):
    """``content`` (a zip) with ``entry``'s declared size set to 100 bytes in both its local
    header and the central directory: a reader trusting it would stop there, another would
    not."""
    data = bytearray(content)
    name = entry.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while data[at + name_at : at + name_at + len(name)] != name:
            at = data.find(signature, at + 1)
        data[at + size_at : at + size_at + 4] = (100).to_bytes(4, "little")
    return bytes(data)


def zip_of(entries, *, method=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def encrypted_docx():
    """A Word document whose document.xml has the encrypted flag set (zipfile cannot write
    encrypted entries; the flag alone is what a checker must see)."""
    data = bytearray(docx_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            flags = int.from_bytes(data[at + flags_at : at + flags_at + 2], "little") | 0x1
            data[at + flags_at : at + flags_at + 2] = flags.to_bytes(2, "little")
            at = data.find(signature, at + 1)
    return bytes(data)


@pytest.fixture(scope="session")
def docx_bomb(tmp_path_factory):
    """The bytes of ``write_docx_bomb``'s gigabyte bomb, built once for the session."""
    return write_docx_bomb(tmp_path_factory.mktemp("bomb") / "lesson plan.docx").read_bytes()
