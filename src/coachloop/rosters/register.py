"""Reading England's schools register, Get Information about Schools (GIAS), for one trust.

The register publishes every establishment in one CSV file (``edubasealldataYYYYMMDD.csv``,
about 50,000 rows of 140 columns, in Windows-1252), and which groups (academy trusts,
federations) each belongs to in a links file; a trust's own page offers the same two files
for its schools alone. ``read_register`` reads either, a row at a time, and keeps only the
rows of one group: a school is the trust's when its "Trusts (code)" is the trust's group UID,
or when the links file ties its URN to that group. Rows of other trusts are skipped unchecked:
a fault in a school the trust does not run is not the trust's problem.

What is wrong in the trust's rows comes back as ``Problem``\\s (file, row, column, message);
nothing here writes anything. ``register_services`` turns an extract into a plan and applies it.
"""

import codecs
import csv
import datetime as dt
import os
import re
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace

from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.people.models import School
from coachloop.rosters.readers.checks import day_month_year
from coachloop.rosters.records import Problem

# The establishments file's columns that Coachloop reads.
URN = "URN"
NAME = "EstablishmentName"
TYPE = "TypeOfEstablishment (name)"
TYPE_GROUP = "EstablishmentTypeGroup (name)"
STATUS = "EstablishmentStatus (name)"
OPENED = "OpenDate"
CLOSED = "CloseDate"
PHASE = "PhaseOfEducation (name)"
LOCAL_AUTHORITY = "LA (name)"
TRUST_UID = "Trusts (code)"
TRUST_NAME = "Trusts (name)"
ESTABLISHMENT_COLUMNS = (
    URN,
    NAME,
    TYPE,
    TYPE_GROUP,
    STATUS,
    CLOSED,
    PHASE,
    LOCAL_AUTHORITY,
    TRUST_UID,
)
ESTABLISHMENT_OPTIONAL = (OPENED, TRUST_NAME)

# The links file's columns that Coachloop reads.
GROUP_UID = "Group UID"
GROUP_ID = "Group ID"
GROUP_NAME = "Group Name"
COMPANIES_HOUSE_NUMBER = "Companies House Number"
GROUP_TYPE = "Group Type"
GROUP_STATUS = "Group Status"
JOINED = "Joined date"
LINK_COLUMNS = (URN, GROUP_UID)
LINK_OPTIONAL = (GROUP_ID, GROUP_NAME, COMPANIES_HOUSE_NUMBER, GROUP_TYPE, GROUP_STATUS, JOINED)

OPEN = "Open"
CLOSED_STATUS = "Closed"
STATUSES = (OPEN, CLOSED_STATUS, "Open, but proposed to close", "Proposed to open")

PHASES = {
    "Nursery": School.Phase.PRIMARY,
    "Primary": School.Phase.PRIMARY,
    "Middle deemed primary": School.Phase.PRIMARY,
    "Secondary": School.Phase.SECONDARY,
    "Middle deemed secondary": School.Phase.SECONDARY,
    "16 plus": School.Phase.SECONDARY,
    "All-through": School.Phase.ALL_THROUGH,
}

_URN = re.compile(r"[1-9]\d{5}")
_DATE = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})")
_FILE_DATE = re.compile(r"(\d{8})")
_NAME_LENGTH = School._meta.get_field("name").max_length
_TYPE_LENGTH = School._meta.get_field("establishment_type").max_length
_LA_LENGTH = School._meta.get_field("local_authority").max_length


@dataclass(frozen=True)
class RegisterSchool:
    """One of the trust's schools as the register lists it. ``phase`` is a ``School.Phase``
    value; ``closed`` is the register's status; ``closed_on`` its close date, if it gives one
    (a school still open may have one ahead of it)."""

    urn: str
    name: str
    phase: str
    establishment_type: str
    local_authority: str
    status: str
    opened_on: dt.date | None
    closed_on: dt.date | None
    row: int

    @property
    def closed(self):
        return self.status == CLOSED_STATUS


@dataclass(frozen=True)
class RegisterGroup:
    """The trust as a group in the register. Every field but ``uid`` may be empty: only the
    links file gives the group's ID and Companies House number."""

    uid: str
    group_id: str = ""
    name: str = ""
    companies_house_number: str = ""
    type: str = ""
    status: str = ""


@dataclass
class RegisterExtract:
    """What ``read_register`` found for one group."""

    group: RegisterGroup
    exported_on: dt.date
    file_names: tuple[str, ...]
    schools: list[RegisterSchool] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0

    @property
    def file_name(self):
        return ", ".join(self.file_names)

    def as_dict(self):
        """A JSON-ready form, for keeping an extract between its preview and applying it."""
        return {
            "group": asdict(self.group),
            "exported_on": self.exported_on.isoformat(),
            "file_names": list(self.file_names),
            "schools": [
                {
                    **asdict(school),
                    "opened_on": _iso(school.opened_on),
                    "closed_on": _iso(school.closed_on),
                }
                for school in self.schools
            ],
            "problems": [problem.as_dict() for problem in self.problems],
            "rows_read": self.rows_read,
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            group=RegisterGroup(**data["group"]),
            exported_on=dt.date.fromisoformat(data["exported_on"]),
            file_names=tuple(data["file_names"]),
            schools=[
                RegisterSchool(
                    **{
                        **school,
                        "opened_on": _from_iso(school["opened_on"]),
                        "closed_on": _from_iso(school["closed_on"]),
                    }
                )
                for school in data["schools"]
            ],
            problems=[Problem(**problem) for problem in data["problems"]],
            rows_read=data["rows_read"],
        )


def group_uid_problem(value):
    """Why ``value`` cannot be a group UID, or ``None``: for forms and commands to check."""
    if not re.fullmatch(r"\d{1,10}", (value or "").strip()):
        return _("A group UID is a number of up to 10 digits, for example 4124.")
    return None


def read_register(establishments, links=None, *, group_uid, exported_on=None):
    """Read the trust's schools from an establishments file and, optionally, a links file.

    Each file is a path or a binary file object (an upload); files opened here are closed
    here. ``exported_on`` defaults to the date in the establishments file's name
    (``edubasealldata20250314.csv``), else the links file's, else today.
    """
    problem = group_uid_problem(group_uid)
    if problem:
        raise ValueError(problem)
    uid = _uid(group_uid)
    names = (_name_of(establishments, _("establishments file")),)
    if links is not None:
        names += (_name_of(links, _("links file")),)
    extract = RegisterExtract(
        group=RegisterGroup(uid=uid),
        exported_on=exported_on or _date_in_names(names) or timezone.localdate(),
        file_names=names,
    )
    with ExitStack() as files:
        linked = {}
        if links is not None:
            linked = _read_links(extract, _opened(files, links), names[1])
        _read_establishments(extract, _opened(files, establishments), names[0], linked)
    if not extract.schools and not extract.problems:
        extract.problems.append(
            Problem(
                names[0],
                None,
                TRUST_UID,
                _(
                    "No school in this file belongs to the group with UID %(uid)s. Check the "
                    "trust's group UID, and that this is the register's establishments file."
                )
                % {"uid": uid},
            )
        )
    return extract


def _read_links(extract, binary, file_name):
    """The URNs the links file ties to the group (URN to row), and the group's details."""
    linked = {}
    for row in _records(binary, file_name, LINK_COLUMNS, LINK_OPTIONAL, extract.problems):
        if _uid(row[GROUP_UID]) != extract.group.uid:
            continue
        if extract.group == RegisterGroup(uid=extract.group.uid):
            extract.group = RegisterGroup(
                uid=extract.group.uid,
                group_id=row[GROUP_ID],
                name=row[GROUP_NAME],
                companies_house_number=row[COMPANIES_HOUSE_NUMBER],
                type=row[GROUP_TYPE],
                status=row[GROUP_STATUS],
            )
        urn_ok = _check_urn(row, extract.problems)
        _check_date(row, JOINED, extract.problems)
        if urn_ok:
            linked.setdefault(row[URN], row.number)
    return linked


def _read_establishments(extract, binary, file_name, linked):
    problems = extract.problems
    seen = {}
    rows = _records(
        binary, file_name, ESTABLISHMENT_COLUMNS, ESTABLISHMENT_OPTIONAL, problems, extract
    )
    for row in rows:
        urn = row[URN]
        if _uid(row[TRUST_UID]) != extract.group.uid and urn not in linked:
            continue
        if not extract.group.name and row[TRUST_NAME]:
            extract.group = replace(extract.group, name=row[TRUST_NAME])
        found = len(problems)
        _check_urn(row, problems)
        name = row[NAME]
        if not name:
            problems.append(row.problem(NAME, _("The school has no name.")))
        status = row[STATUS]
        if status not in STATUSES:
            problems.append(
                row.problem(
                    STATUS,
                    _("“%(value)s” is not a status the register uses: %(statuses)s.")
                    % {"value": status, "statuses": ", ".join(STATUSES)},
                )
            )
        opened_on = _check_date(row, OPENED, problems)
        closed_on = _check_date(row, CLOSED, problems)
        if len(problems) > found:
            continue
        if urn in seen:
            problems.append(
                row.problem(
                    URN,
                    _("URN %(urn)s is also on row %(row)s: list each school once.")
                    % {"urn": urn, "row": seen[urn]},
                )
            )
            continue
        seen[urn] = row.number
        extract.schools.append(
            RegisterSchool(
                urn=urn,
                name=name[:_NAME_LENGTH],
                phase=phase_of(row[PHASE], row[TYPE], row[TYPE_GROUP]),
                establishment_type=row[TYPE][:_TYPE_LENGTH],
                local_authority=row[LOCAL_AUTHORITY][:_LA_LENGTH],
                status=status,
                opened_on=opened_on,
                closed_on=closed_on,
                row=row.number,
            )
        )


def phase_of(phase, type_name, type_group):
    """The ``School.Phase`` of a register row: special schools are special whatever their
    phase of education; a phase Coachloop has no word for is "other"."""
    if type_group == "Special schools" or "special" in type_name.lower():
        return School.Phase.SPECIAL
    return PHASES.get(phase, School.Phase.OTHER)


class _Row:
    """One record of a CSV file, read by column name (an absent column reads as empty)."""

    __slots__ = ("cells", "file", "index", "number")

    def __init__(self, file, number, cells, index):
        self.file, self.number, self.cells, self.index = file, number, cells, index

    def __getitem__(self, column):
        position = self.index.get(column)
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position].strip()

    def has(self, column):
        return column in self.index

    def problem(self, column, message):
        return Problem(self.file, self.number, column, message)


class _Unreadable(Exception):
    def __init__(self, line):
        super().__init__(line)
        self.line = line


def _records(binary, file_name, required, optional, problems, extract=None):
    """Yield each record after the header as a ``_Row``; a missing column, an empty file or a
    file that is not text is a problem, and then nothing is yielded (or nothing more)."""
    number = 0
    try:
        reader = csv.reader(_text_lines(binary))
        header = next(reader, None)
        number = 1
        if header is None:
            problems.append(Problem(file_name, None, None, _("The file is empty.")))
            return
        columns = [name.strip() for name in header]
        missing = [column for column in required if column not in columns]
        for column in missing:
            problems.append(
                Problem(
                    file_name,
                    1,
                    column,
                    _(
                        "The file has no “%(column)s” column. Use the file as the register "
                        "gives it, with all its columns."
                    )
                    % {"column": column},
                )
            )
        if missing:
            return
        index = {}
        for position, name in enumerate(columns):
            if name in required or name in optional:
                index.setdefault(name, position)
        for cells in reader:
            number += 1
            if extract is not None:
                extract.rows_read += 1
            if cells:
                yield _Row(file_name, number, cells, index)
    except _Unreadable as unreadable:
        problems.append(
            Problem(
                file_name,
                unreadable.line,
                None,
                _(
                    "This row cannot be read as text. Use the CSV file the register gives "
                    "(Windows-1252 or UTF-8), not a spreadsheet or a file saved in another "
                    "encoding."
                ),
            )
        )
    except csv.Error as error:
        problems.append(
            Problem(
                file_name,
                number + 1,
                None,
                _("This row cannot be read as CSV (%(error)s).") % {"error": error},
            )
        )


def _text_lines(binary):
    """Decode a file a line at a time. A byte-order mark means UTF-8; otherwise the first
    line that is not plain ASCII decides: UTF-8 if it reads as UTF-8, else Windows-1252 (the
    register's own encoding). A line that does not decode, or holds a NUL byte (a spreadsheet
    or a UTF-16 file), raises ``_Unreadable``."""
    encoding = None
    for line, raw in enumerate(binary, start=1):
        if isinstance(raw, str):
            raise TypeError("read_register needs files opened in binary mode.")
        if line == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
            encoding = "utf-8"
        if b"\x00" in raw:
            raise _Unreadable(line)
        if encoding is None:
            if raw.isascii():
                yield raw.decode("ascii")
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                encoding = "cp1252"
            else:
                encoding = "utf-8"
                yield text
                continue
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            raise _Unreadable(line) from None


def _check_urn(row, problems):
    urn = row[URN]
    if _URN.fullmatch(urn):
        return True
    problems.append(
        row.problem(
            URN,
            _("“%(value)s” is not a URN: a URN is 6 digits, from 100000 to 999999.")
            % {"value": urn},
        )
    )
    return False


def _check_date(row, column, problems):
    """The date in ``column`` (day-month-year, as the register writes it), or ``None`` when
    it is empty or absent; a problem when it is not a date."""
    value = row[column]
    if not value:
        return None
    match = _DATE.fullmatch(value)
    day = day_month_year(match) if match else None
    if day is not None:
        return day
    problems.append(
        row.problem(
            column,
            _(
                "“%(value)s” is not a date: the register writes dates as day-month-year, "
                "like 01-09-2021."
            )
            % {"value": value},
        )
    )
    return None


def _uid(value):
    value = (value or "").strip()
    return str(int(value)) if value.isdigit() else value


def _name_of(source, default):
    if isinstance(source, (str, os.PathLike)):
        return os.path.basename(os.fspath(source))
    name = getattr(source, "name", None)
    return os.path.basename(name) if isinstance(name, str) and name else default


def _opened(files, source):
    if isinstance(source, (str, os.PathLike)):
        return files.enter_context(open(source, "rb"))  # noqa: SIM115 (closed by the stack)
    return source


def _date_in_names(names):
    for name in names:
        for digits in _FILE_DATE.findall(name):
            try:
                return dt.datetime.strptime(digits, "%Y%m%d").date()
            except ValueError:
                continue
    return None


def _iso(day):
    return day.isoformat() if day else None


def _from_iso(value):
    return dt.date.fromisoformat(value) if value else None
