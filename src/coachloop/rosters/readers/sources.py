"""Opening what was uploaded or named: a zip, a folder, one CSV or one XLSX file, told apart by
their first bytes as much as by their names; and reading a CSV file's rows as UTF-8, one at a
time, noting the rows that are not.

Nothing here holds a whole file: a member of a zip is decompressed as it is read, and a CSV
file is read a line at a time. A zip that could fill the disk or the memory (too many files,
a file too large once unzipped) or that names a path outside its own folder is refused: first
by the checks every upload has (``common.uploads.archives``, which reads each member through
with a limit rather than trusting the sizes a zip declares), then by a roster's own limits.
"""

import contextlib
import csv
import datetime as dt
import lzma
import os
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.utils import timezone

from coachloop.common.uploads.archives import check_archive
from coachloop.rosters.records import Problem

# Limits on what a zip may hold. They are not settings: nothing a school exports comes near.
MAX_MEMBER_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 50
MAX_WORKBOOK_MEMBERS = 1000
# The longest line read: a longer one is not a roster's.
MAX_LINE_BYTES = 1024 * 1024

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

TEXT_AGAIN = "Save the file as CSV UTF-8 and upload it again."

# What reading a member of a damaged zip can raise part of the way through.
READ_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError, ValueError)


class Refused(Exception):
    """A file or a member of a zip that is not read at all; the message says why."""

    def __init__(self, message, *, file=""):
        super().__init__(message)
        self.file = file


# --- What was given -----------------------------------------------------------------------


class Opened:
    """What was given, once opened: ``kind`` is "bundle" (several files by name: a zip or a
    folder), "csv", "xlsx", or "other" (with ``reason`` saying what it seems to be)."""

    kind = "other"
    reason = ""

    def __init__(self, label):
        self.label = label

    # A bundle's files, by lower-case name ("users.csv").
    def names(self):
        return set()

    def open(self, name):
        raise Refused(f"There is no {name}.", file=name)

    def modified_on(self, name):
        return None

    # A single file's bytes (a CSV or XLSX upload).
    def stream(self):
        raise Refused("Nothing to read.", file=self.label)


class _Single(Opened):
    def __init__(self, label, kind, binary, reason=""):
        super().__init__(label)
        self.kind = kind
        self.reason = reason
        self._binary = binary

    def stream(self):
        return self._binary


class _Folder(Opened):
    kind = "bundle"

    def __init__(self, label, folder):
        super().__init__(label)
        self._files = _files_of(folder)
        if not self._files.keys() & {"manifest.csv", "users.csv", "orgs.csv"}:
            inner = [p for p in folder.iterdir() if p.is_dir() and (p / "manifest.csv").exists()]
            if len(inner) == 1:
                self._files = _files_of(inner[0])

    def names(self):
        return set(self._files)

    def open(self, name):
        return self._files[name].open("rb")

    def modified_on(self, name):
        if name not in self._files:
            return None
        seconds = self._files[name].stat().st_mtime
        return dt.datetime.fromtimestamp(seconds, tz=timezone.get_current_timezone()).date()


def _files_of(folder):
    return {p.name.lower(): p for p in folder.iterdir() if p.is_file()}


class _Zip(Opened):
    kind = "bundle"

    def __init__(self, label, archive):
        super().__init__(label)
        self._archive = archive
        members = _members(archive, limit=MAX_MEMBERS, label=label)
        # The folder the export sits in: where its manifest (or failing that its users or
        # orgs file) is nearest the top; a zip of a folder is read as well as a flat one.
        found = [
            m
            for m in members
            if PurePosixPath(m.filename).name.lower() in ("manifest.csv", "users.csv", "orgs.csv")
        ]
        found.sort(key=lambda m: (m.filename.count("/"), "manifest" not in m.filename.lower()))
        home = str(PurePosixPath(found[0].filename).parent) if found else "."
        self._files = {
            PurePosixPath(m.filename).name.lower(): m
            for m in members
            if str(PurePosixPath(m.filename).parent) == home
        }

    def names(self):
        return set(self._files)

    def open(self, name):
        info = self._files[name]
        if info.file_size > MAX_MEMBER_BYTES:
            raise Refused(
                f"{name} is larger than {MAX_MEMBER_BYTES // (1024 * 1024)} MB once unzipped, "
                "so it was not read.",
                file=name,
            )
        try:
            return self._archive.open(info)
        except (RuntimeError, NotImplementedError, zipfile.BadZipFile) as error:
            # RuntimeError: a member with a password.
            raise Refused(f"{name} could not be unzipped ({error}).", file=name) from error

    def modified_on(self, name):
        info = self._files.get(name)
        if info is None:
            return None
        try:
            return dt.date(*info.date_time[:3])
        except ValueError:
            return None


def _members(archive, *, limit, label):
    """The files of a zip worth counting (not its folders or the Mac's resource forks),
    refusing the whole zip for a path that leaves its folder or for too many files."""
    members = []
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or (len(name) > 1 and name[1] == ":"):
            raise Refused(
                f"{label} names a file outside its own folder ({info.filename}), "
                "so it was not opened.",
                file=label,
            )
        if info.is_dir() or name.startswith("__MACOSX/") or PurePosixPath(name).name[:2] == "._":
            continue
        members.append(info)
    if len(members) > limit:
        raise Refused(
            f"{label} holds {len(members)} files; a roster export has no more than {limit}, "
            "so it was not opened.",
            file=label,
        )
    return members


@contextlib.contextmanager
def open_source(source, *, file_name=None):
    """Open ``source`` (a path, or a binary file-like object such as an upload) for reading.
    Raises ``Refused`` for a zip not to be opened at all."""
    with contextlib.ExitStack() as stack:
        if isinstance(source, str | os.PathLike):
            path = Path(source)
            label = file_name or path.name
            if path.is_dir():
                yield _Folder(label, path)
                return
            binary = stack.enter_context(path.open("rb"))
        else:
            label = file_name or Path(getattr(source, "name", "") or "upload").name
            binary = _seekable(source, stack)
        yield _sniffed(label, binary, stack)


def _seekable(upload, stack):
    with contextlib.suppress(AttributeError, OSError, ValueError):
        if upload.seekable():
            upload.seek(0)
            return upload
    copy = stack.enter_context(tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024))  # noqa: SIM115
    shutil.copyfileobj(upload, copy)
    copy.seek(0)
    return copy


def _sniffed(label, binary, stack):
    start = binary.read(8)
    binary.seek(0)
    suffix = Path(label).suffix.lower()
    if start.startswith(ZIP_MAGIC):
        try:
            check_archive(binary, label)
        except ValidationError as refusal:
            raise Refused(refusal.messages[0], file=label) from None
        try:
            archive = stack.enter_context(zipfile.ZipFile(binary))
        except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError):
            return _Single(label, "other", binary, reason=f"{label} is a damaged zip file.")
        if "xl/workbook.xml" in archive.namelist():
            _members(archive, limit=MAX_WORKBOOK_MEMBERS, label=label)
            for info in archive.infolist():
                if info.file_size > MAX_MEMBER_BYTES:
                    raise Refused(f"{label} is too large once unzipped to be read.", file=label)
            binary.seek(0)
            return _Single(label, "xlsx", binary)
        if suffix in (".xlsx", ".xlsm"):
            return _Single(label, "other", binary, reason=f"{label} is not an Excel workbook.")
        return _Zip(label, archive)
    if start.startswith(OLE_MAGIC):
        reason = (
            f"{label} is an Excel 97-2003 workbook (.xls). "
            "Save it as an Excel workbook (.xlsx) or as CSV UTF-8 and upload it again."
        )
        return _Single(label, "other", binary, reason=reason)
    if start.startswith(b"%PDF"):
        return _Single(label, "other", binary, reason=f"{label} is a PDF, not a staff list.")
    if suffix in (".xlsx", ".xlsm", ".zip"):
        reason = f"{label} is not a {'zip file' if suffix == '.zip' else 'workbook'}."
        return _Single(label, "other", binary, reason=reason)
    if start.startswith(UTF16_BOMS):
        reason = f"{label} is saved as UTF-16 text. {TEXT_AGAIN}"
        return _Single(label, "other", binary, reason=reason)
    if b"\x00" in binary.read(4096):
        binary.seek(0)
        return _Single(label, "other", binary, reason=f"{label} is not a text file.")
    binary.seek(0)
    return _Single(label, "csv", binary)


# --- Reading a CSV file -------------------------------------------------------------------


class LineTooLong(Exception):
    pass


class _Lines:
    """A binary file's lines as text: UTF-8, a byte-order mark skipped. A line that is not
    UTF-8 is read with the bytes it could not make sense of replaced, and ``undecodable``
    says so until the next record is asked for."""

    def __init__(self, binary):
        self._binary = binary
        self.undecodable = False
        self.count = 0

    def __iter__(self):
        first = True
        while True:
            raw = self._binary.readline(MAX_LINE_BYTES)
            if not raw:
                return
            self.count += 1
            if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
                raise LineTooLong
            if first:
                raw = raw.removeprefix(UTF8_BOM)
                first = False
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self.undecodable = True
                yield raw.decode("utf-8", "replace")


class CsvFile:
    """One CSV file's header and rows. ``rows()`` gives each row that is not blank with its
    number as a spreadsheet shows it (the header is row 1); the number of a row that spans
    several lines is that of the row, not of a line. A file that cannot be read to its end
    gets one problem at the row where reading stopped; ``problems`` is the list problems are
    added to.

    No roster has a value over several lines, so a row that runs on is a quotation mark left
    open, which would fold the rows after it (a student's, perhaps) into one of its values:
    it is a problem, whoever's row it is, and it is not given at all."""

    def __init__(self, name, binary, problems):
        self.name = name
        self._problems = problems
        self._lines = _Lines(binary)
        self._reader = csv.reader(iter(self._lines))
        self.row = 0
        self.lines = 0  # how many lines of the file the last row read took
        self.failed = False  # the file could not be read to its header: a problem says so
        self.header = self._read_header()
        self.index = {}
        for position, column in enumerate(self.header):
            self.index.setdefault(column.lower(), position)

    def _next(self):
        self._lines.undecodable = False
        before = self._lines.count
        row = next(self._reader)
        self.row += 1
        self.lines = self._lines.count - before
        return row

    def _read_header(self):
        try:
            header = self._next()
        except StopIteration:
            header = []
        except (csv.Error, LineTooLong, *READ_ERRORS) as error:
            self._stopped(error)
            self.failed = True
            return []
        if self.lines > 1:
            self._runs_on()
            self.failed = True
            return []
        if not any(column.strip() for column in header):
            self.add(None, None, f"{self.name} is empty: its first row should name its columns.")
            self.failed = True
            return []
        if self._lines.undecodable:
            self.add(1, None, f"The first row is not UTF-8 text. {TEXT_AGAIN}")
        return [column.strip() for column in header]

    def has(self, column):
        return column.lower() in self.index

    def missing(self, columns):
        """Adds a problem for each of ``columns`` not in the header; True when any is."""
        if self.failed:
            return True
        absent = [c for c in columns if not self.has(c)]
        for column in absent:
            self.add(None, column, f"{self.name} has no ‘{column}’ column.")
        return bool(absent)

    def get(self, row, column):
        position = self.index.get(column.lower())
        if position is None or position >= len(row):
            return ""
        return row[position].strip()

    def rows(self):
        if not self.header:
            return
        while True:
            try:
                row = self._next()
            except StopIteration:
                return
            except (csv.Error, LineTooLong, *READ_ERRORS) as error:
                self._stopped(error)
                return
            if self.lines > 1:
                self._runs_on()
            elif any(cell.strip() for cell in row):
                yield self.row, row

    def check_text(self, number, row):
        """For a row about to be kept: a problem if it was not UTF-8, at the first column
        showing a character that could not be read. True when the row was UTF-8."""
        if not self._lines.undecodable:
            return True
        cells = enumerate(row[: len(self.header)])
        column = next((self.header[i] for i, cell in cells if "\ufffd" in cell), None)
        self.add(number, column, f"This row is not UTF-8 text. {TEXT_AGAIN}")
        return False

    def _runs_on(self):
        message = (
            f'This row runs on over {self.lines} lines of the file: a quotation mark (") is '
            "not closed. Close or remove it and upload the file again."
        )
        self.add(self.row, None, message)

    def add(self, row, column, message):
        self._problems.append(Problem(self.name, row, column, message))

    def _stopped(self, error):
        row = self.row + 1
        if isinstance(error, LineTooLong):
            message = "A line is too long to be part of a roster; the file was read up to it."
        elif isinstance(error, csv.Error):
            message = f"The file could not be read from this row on ({error})."
        else:
            message = f"The file could not be read to its end ({error})."
        self.add(row, None, message)
