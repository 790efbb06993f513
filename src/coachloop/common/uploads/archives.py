"""Checking a zip file's insides before anything opens it.

Word, Excel, PowerPoint and OpenDocument files are zip files, and so are a OneRoster export
and a staff workbook. A small zip can hold gigabytes once opened (a "zip bomb"), name a file
outside its own folder, or hide what it holds behind a password. ``check_archive`` reads every
entry through, with a limit on what it may produce, and refuses the file when:

- it holds more than ``COACHLOOP_UPLOAD_MAX_ENTRIES`` entries;
- its entries together, as declared or as actually read, expand to more than
  ``COACHLOOP_UPLOAD_MAX_EXPANDED_MB``;
- an entry larger than 1 MB once opened expands to more than ``COACHLOOP_UPLOAD_MAX_RATIO``
  times its compressed size;
- an entry's content differs from its declared size or checksum (damaged, or lying);
- an entry is a zip file holding another zip file (one level of nesting is checked the same
  way and counts against the same limits: a Word document may hold an Excel chart);
- an entry's name leaves its folder (``../``, ``/etc``, ``C:``) or an entry is encrypted.

The declared sizes are not trusted: each entry is read as if it had no declared size, the
bytes produced counted, and reading stops as soon as a limit is passed. Nothing is written to
disk except a nested zip being checked (kept in memory up to 10 MB).
"""

import copy
import lzma
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
CHUNK = 64 * 1024
RATIO_GRACE_BYTES = 1024 * 1024  # entries smaller than this once opened may compress any amount
NESTED_IN_MEMORY = 10 * 1024 * 1024
MAX_DEPTH = 1  # a zip inside the upload is checked; a zip inside that one is refused

# What reading a damaged zip can raise.
DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError)


def is_zip(binary):
    """Whether ``binary`` is a zip file: by its first bytes, or by the directory at its end
    (a zip can be appended to another kind of file)."""
    binary.seek(0)
    head = binary.read(4)
    binary.seek(0)
    if head.startswith(ZIP_MAGIC):
        return True
    try:
        return zipfile.is_zipfile(binary)
    finally:
        binary.seek(0)


@dataclass
class Limits:
    entries: int
    expanded: int  # bytes
    ratio: int

    @classmethod
    def from_settings(cls):
        return cls(
            entries=settings.COACHLOOP_UPLOAD_MAX_ENTRIES,
            expanded=settings.COACHLOOP_UPLOAD_MAX_EXPANDED_MB * 1024 * 1024,
            ratio=settings.COACHLOOP_UPLOAD_MAX_RATIO,
        )


class _Budget:
    """The bytes every entry, nested ones included, may still produce once opened."""

    def __init__(self, limits, name):
        self.limits = limits
        self.name = name
        self.left = limits.expanded

    def spend(self, count):
        self.left -= count
        if self.left < 0:
            raise ValidationError(_expands(self.name, self.limits))


def _expands(name, limits):
    return _(
        "The file “%(name)s” expands to more than %(mb)d MB when opened, so it cannot be "
        "accepted. Send a smaller file, or only the part you need."
    ) % {"name": name, "mb": limits.expanded // (1024 * 1024)}


def _refuse(message):
    raise ValidationError(message)


def check_archive(binary, name, limits=None):
    """Refuse (``ValidationError`` with the words to show) a zip file that could harm whoever
    opens it; ``name`` is the file's name as shown. ``binary`` is read from its start and left
    there."""
    limits = limits or Limits.from_settings()
    budget = _Budget(limits, name)
    binary.seek(0)
    try:
        with zipfile.ZipFile(binary) as archive:
            _check(archive, name, budget, depth=0)
    except NotImplementedError:
        _refuse(
            _(
                "The file “%(name)s” is compressed in a way that cannot be checked, so it "
                "cannot be accepted. Open it and save it again, or choose the file you meant."
            )
            % {"name": name}
        )
    except DAMAGED:
        _refuse(
            _(
                "The file “%(name)s” is damaged: it could not be opened to be checked, so it "
                "cannot be accepted. Open it and save it again, or choose the file you meant."
            )
            % {"name": name}
        )
    finally:
        binary.seek(0)


def _check(archive, name, budget, *, depth):
    limits = budget.limits
    infos = archive.infolist()
    if len(infos) > limits.entries:
        _refuse(
            _(
                "The file “%(name)s” holds more than %(count)d files inside it, so it cannot be "
                "accepted."
            )
            % {"name": name, "count": limits.entries}
        )
    declared = 0
    for info in infos:
        _check_entry_name(info.filename, name)
        if info.flag_bits & 0x1:
            _refuse(
                _(
                    "The file “%(name)s” is protected with a password, so what it holds cannot "
                    "be checked and it cannot be accepted. Save a copy without the password "
                    "and add that."
                )
                % {"name": name}
            )
        declared += info.file_size
    if declared > budget.left:
        _refuse(_expands(name, limits))
    for info in infos:
        if not info.is_dir():
            _read_entry(archive, info, name, budget, depth=depth)


def _check_entry_name(entry, name):
    path = entry.replace("\\", "/")
    parts = PurePosixPath(path).parts
    if path.startswith("/") or ".." in parts or (len(path) > 1 and path[1] == ":"):
        _refuse(
            _(
                "The file “%(name)s” names a file outside its own folder (%(entry)s), so it "
                "cannot be accepted."
            )
            % {"name": name, "entry": entry[:100]}
        )


def _read_entry(archive, info, name, budget, *, depth):
    """Read one entry through, counting what it produces, however large it says it is."""
    unbounded = copy.copy(info)
    # zipfile stops reading at the declared size; told of no limit, it reads until the
    # compressed data ends (and then checks the checksum), and the budget stops it first.
    unbounded.file_size = sys.maxsize
    produced = 0
    nested = None
    with archive.open(unbounded) as member:
        while chunk := member.read(CHUNK):
            if produced == 0 and chunk.startswith(ZIP_MAGIC):
                if depth >= MAX_DEPTH:
                    _refuse(
                        _(
                            "The file “%(name)s” holds a zip file inside a zip file inside it, "
                            "so it cannot be checked and cannot be accepted."
                        )
                        % {"name": name}
                    )
                nested = tempfile.SpooledTemporaryFile(max_size=NESTED_IN_MEMORY)  # noqa: SIM115
            produced += len(chunk)
            budget.spend(len(chunk))
            ratio = budget.limits.ratio
            if produced > RATIO_GRACE_BYTES and produced > ratio * max(info.compress_size, 1):
                _refuse(
                    _(
                        "The file “%(name)s” expands to more than %(ratio)d times its size when "
                        "opened, so it cannot be accepted."
                    )
                    % {"name": name, "ratio": ratio}
                )
            if nested is not None:
                nested.write(chunk)
    if produced != info.file_size:
        raise zipfile.BadZipFile(f"{info.filename}: {produced} bytes, {info.file_size} declared")
    if nested is not None:
        with nested, zipfile.ZipFile(nested) as inner:
            _check(inner, name, budget, depth=depth + 1)
