"""Checking an uploaded file by what it contains, not by what it is called: one checker for
every upload (evidence, a programme's submitted work, a record brought in from elsewhere, and,
through ``check_inside``, the roster and register imports).

A file is accepted when it is no larger than ``COACHLOOP_EVIDENCE_MAX_BYTES`` (checked from
its size before any of it is read), its name ends in one of the kinds below, and its content
is that kind: the type ``filetype`` detects from the first bytes must be allowed and must agree
with the name. Plain text has no signature, so a ``.txt`` file is read through and must be
UTF-8 text without control characters. A PDF, an image or a text file that is also a zip file
(one joined to its end, which a zip reader finds) is refused. Each refusal says what was wrong
and what to do.

Then ``check_inside`` looks inside whatever kinds it is, each check on its own: a zip file
(every Office and OpenDocument file is one) must not expand too far or hold anything unsafe
(``uploads.archives``), a PDF must have no active content (``uploads.pdfs``), and, when an
antivirus daemon is set up, it must pass its check (``uploads.antivirus``).

The teacher's file name is cleaned for showing and as the download name only; the stored name
is random (``coaching.models.learning.evidence_upload_to``,
``programmes.models.assessment.submission_upload_to``).
"""

import codecs
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coachloop.common.uploads.antivirus import scan
from coachloop.common.uploads.archives import check_archive, is_zip
from coachloop.common.uploads.pdfs import check_pdf, looks_like_pdf

MAX_NAME_LENGTH = 100  # characters of the cleaned name, its ending included
SIGNATURE_BYTES = 8192  # what filetype reads to recognise a type


@dataclass(frozen=True)
class FileKind:
    mime: str
    suffix: str  # the ending the stored file gets
    endings: tuple  # the endings a teacher's file of this kind may have
    label: object  # lazy text: "a PDF"
    zipped: bool = False  # whether a file of this kind is a zip file (Office, OpenDocument)


KINDS = (
    FileKind("application/pdf", ".pdf", ("pdf",), gettext_lazy("a PDF")),
    FileKind("image/png", ".png", ("png",), gettext_lazy("a PNG image")),
    FileKind("image/jpeg", ".jpg", ("jpg", "jpeg"), gettext_lazy("a JPEG image")),
    FileKind("image/gif", ".gif", ("gif",), gettext_lazy("a GIF image")),
    FileKind("image/webp", ".webp", ("webp",), gettext_lazy("a WebP image")),
    FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
        ("docx",),
        gettext_lazy("a Word document"),
        zipped=True,
    ),
    FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
        ("xlsx",),
        gettext_lazy("an Excel spreadsheet"),
        zipped=True,
    ),
    FileKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
        ("pptx",),
        gettext_lazy("a PowerPoint presentation"),
        zipped=True,
    ),
    FileKind(
        "application/vnd.oasis.opendocument.text",
        ".odt",
        ("odt",),
        gettext_lazy("an OpenDocument text document"),
        zipped=True,
    ),
    FileKind("text/plain", ".txt", ("txt",), gettext_lazy("plain text")),
)
KIND_BY_ENDING = {ending: kind for kind in KINDS for ending in kind.endings}
KIND_BY_MIME = {kind.mime: kind for kind in KINDS}
KIND_BY_MIME["image/apng"] = KIND_BY_MIME["image/png"]  # an animated PNG is still a PNG
TEXT = KIND_BY_MIME["text/plain"]

# Control characters plain text does not contain (tab, line feed, form feed and carriage
# return are text).
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def what_can_be_added():
    return _(
        "You can add a PDF, an image (PNG, JPEG, GIF or WebP), a document (Word, Excel, "
        "PowerPoint or OpenDocument text) or a plain text file."
    )


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, and what to store about it."""

    original_name: str
    content_type: str
    suffix: str
    size: int


def clean_file_name(name):
    """The file's own name, safe to show and to offer as a download name.

    Only the last part of a path survives (``../../etc/passwd`` is ``passwd``,
    ``C:\\x\\y.pdf`` is ``y.pdf``); control and formatting characters go; anything but
    letters, digits, spaces and ``._-()`` becomes ``_``; leading dots go; the length is
    capped, keeping the ending. A name with nothing left becomes ``evidence``.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r"[^\w\s.()\-]", "_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ending = name.rpartition(".")
        if dot and 0 < len(ending) <= 10:
            name = f"{stem[: MAX_NAME_LENGTH - len(ending) - 1].rstrip()}.{ending}"
        else:
            name = name[:MAX_NAME_LENGTH].rstrip()
    return name or "evidence"


def ending_of(name):
    stem, dot, ending = name.rpartition(".")
    return ending.lower() if dot and stem else ""


def too_large_message(name, max_bytes, size=None):
    """Why a file over the limit is refused (``size``, when known, is said too)."""
    if size:
        found = _("The file “%(name)s” is %(size)s;") % {
            "name": name,
            "size": filesizeformat(size),
        }
    else:
        found = _("The file “%(name)s” is too big:") % {"name": name}
    return _(
        "%(found)s a file can be at most %(limit)s. Make it smaller (for example, export a "
        "PDF at a lower quality, or send only the pages you need), or add a link to where it "
        "is kept instead."
    ) % {"found": found, "limit": filesizeformat(max_bytes)}


class SizeLimitUploadHandler(FileUploadHandler):
    """Keeps no more of an uploaded file than the limit allows.

    Put first in ``request.upload_handlers``: a file that grows past ``max_bytes`` while it
    arrives is dropped there and then (what was kept of it is deleted, and the rest is read
    and thrown away, never stored), and its cleaned name is listed in ``too_large``.
    """

    def __init__(self, request=None, *, max_bytes):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_large = []

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.max_bytes:
            self.too_large.append(clean_file_name(self.file_name))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the handlers after this one keep the file


def _refuse(message):
    raise ValidationError({"file": message})


def _read_head(upload):
    upload.seek(0)
    head = upload.read(SIGNATURE_BYTES)
    upload.seek(0)
    return head


def _is_text(upload):
    """UTF-8 (a byte order mark allowed) with no control characters, read a chunk at a time."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    upload.seek(0)
    try:
        for chunk in upload.chunks():
            if _NOT_TEXT.search(decoder.decode(chunk)):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def check_upload(upload):
    """Check an uploaded file; return a ``CheckedFile`` or raise a ``ValidationError`` keyed
    ``file`` that says what is wrong. Nothing is stored here."""
    if upload is None:
        _refuse(_("Choose a file to add."))
    max_bytes = settings.COACHLOOP_EVIDENCE_MAX_BYTES
    original = clean_file_name(upload.name)
    size = upload.size
    if not size:
        _refuse(_("The file “%(name)s” is empty. Choose the file again.") % {"name": original})
    if size > max_bytes:
        _refuse(too_large_message(original, max_bytes, size))
    ending = ending_of(original)
    if not ending:
        _refuse(
            _(
                "The file name “%(name)s” has no ending such as .pdf or .png, so it cannot be "
                "added. Rename it with the right ending. %(what)s"
            )
            % {"name": original, "what": what_can_be_added()}
        )
    named = KIND_BY_ENDING.get(ending)
    if named is None:
        _refuse(
            _("Files ending .%(ending)s cannot be added. %(what)s")
            % {"ending": ending, "what": what_can_be_added()}
        )
    guessed = filetype.guess(_read_head(upload))
    if guessed is not None:
        found = KIND_BY_MIME.get(guessed.mime)
        if found is None:
            _refuse(
                _(
                    "The file “%(name)s” is named as %(named)s, but its content is a .%(found)s "
                    "file, which cannot be added. Choose the file you meant. %(what)s"
                )
                % {
                    "name": original,
                    "named": named.label,
                    "found": guessed.extension,
                    "what": what_can_be_added(),
                }
            )
        if found is not named:
            _refuse(
                _(
                    "The file “%(name)s” is named as %(named)s, but its content is %(found)s. "
                    "Rename it to end %(suffix)s if that is what it is, or choose the file "
                    "you meant."
                )
                % {
                    "name": original,
                    "named": named.label,
                    "found": found.label,
                    "suffix": found.suffix,
                }
            )
    elif named is not TEXT:
        _refuse(
            _(
                "The file “%(name)s” is named as %(named)s, but its content is not. It may be "
                "damaged, or another kind of file renamed. Open it and save it again as "
                "%(named)s, or choose the file you meant."
            )
            % {"name": original, "named": named.label}
        )
    elif not _is_text(upload):
        _refuse(
            _(
                "The file “%(name)s” ends .txt but is not plain text. Save it as a PDF or a "
                "document instead."
            )
            % {"name": original}
        )
    if not named.zipped and is_zip(upload):
        _refuse(
            _(
                "The file “%(name)s” is %(named)s with a zip file joined to it, which could "
                "hide other files, so it cannot be accepted. Open it and save it again as "
                "%(named)s, or choose the file you meant."
            )
            % {"name": original, "named": named.label}
        )
    try:
        check_inside(upload, original)
    except ValidationError as error:
        _refuse(error.messages[0])
    return CheckedFile(
        original_name=original, content_type=named.mime, suffix=named.suffix, size=size
    )


def check_inside(upload, name):
    """Look inside any upload, whatever it is for: refuse (a ``ValidationError`` with the words
    to show) a zip file that expands too far or holds something unsafe, a PDF with active
    content, or a file the virus check (when set up) finds harmful or cannot check. ``name``
    is the file's name as shown. The checks are independent: a file that is a PDF and a zip
    at once (a zip joined to its end) gets both. Nothing is stored here; ``upload`` is left at
    its start."""
    if looks_like_pdf(upload) or ending_of(name) == "pdf":
        check_pdf(upload, name)
    if is_zip(upload):
        check_archive(upload, name)
    scan(upload, name)
