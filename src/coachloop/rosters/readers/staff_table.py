"""A plain staff list, for a school without OneRoster: a CSV file (UTF-8) or an Excel workbook
(the first sheet), one row per role a person holds at a school, with the columns Name, Email,
School URN, Role and, if wanted, Staff group, Start date and TRN. Someone on several rows (two
schools, or a teacher who also coaches) is one person with several roles.

``staff_template_csv()`` and ``staff_template_xlsx()`` are the empty list offered for
download: the columns and one example row.
"""

import csv
import datetime as dt
import io

import openpyxl
from django.utils import timezone
from openpyxl.styles import Font

from coachloop.people.models import Role, StaffGroup
from coachloop.rosters.readers import checks
from coachloop.rosters.readers.checks import quoted
from coachloop.rosters.readers.sources import CsvFile
from coachloop.rosters.records import Bundle, Org, Problem, RoleAt, StaffRecord

NAME, EMAIL, URN, ROLE, GROUP, START, TRN = (
    "Name",
    "Email",
    "School URN",
    "Role",
    "Staff group",
    "Start date",
    "TRN",
)
COLUMNS = (NAME, EMAIL, URN, ROLE, GROUP, START, TRN)
REQUIRED = (NAME, EMAIL, URN, ROLE)
SCHOOL_ROLES = (Role.TEACHER, Role.COACH, Role.COACHING_LEAD, Role.HEADTEACHER)
EXAMPLE = {
    NAME: "Sam Okafor",
    EMAIL: "sam.okafor@school.example.org",
    URN: "137042",
    ROLE: str(Role.TEACHER.label),
    GROUP: str(StaffGroup.EARLY_CAREER.label),
    START: dt.date(2025, 9, 1),
    TRN: "",
}


def _choices(values):
    """Each value by its label and by its own name, in lower case, and a label in the
    singular as well ("Early-career teacher")."""
    found = {}
    for value in values:
        label = str(value.label).lower()
        for name in (value.value, label, label.removesuffix("s"), value.value.replace("_", " ")):
            found[name] = value.value
    return found


ROLE_NAMES = _choices(SCHOOL_ROLES)
GROUP_NAMES = _choices(StaffGroup)


def read_staff_csv(binary, *, file_name, exported_on=None):
    problems = []
    table = CsvFile(file_name, binary, problems)
    if table.failed:
        return Bundle("staff-csv", exported_on or timezone.localdate(), problems=problems)
    return _Reading(file_name, problems).read(
        "staff-csv", table.header, table.rows(), exported_on, check=table.check_text
    )


def read_staff_xlsx(binary, *, file_name, exported_on=None):
    # A damaged workbook can make openpyxl raise almost anything (bad XML, a missing part, an
    # index out of range): whatever it raises, the workbook is one problem, not an error page.
    try:
        book = openpyxl.load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:
        message = f"{file_name} could not be opened as an Excel workbook ({error})."
        return _not_a_list(file_name, "staff-xlsx", message, exported_on)
    if not book.worksheets:
        book.close()
        return _not_a_list(file_name, "staff-xlsx", f"{file_name} has no sheets.", exported_on)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        cells = _guarded(sheet.iter_rows(values_only=True))
        header = [_text(cell) for cell in next(cells, ())]
        rows = (
            (number, [_cell(value) for value in row])
            for number, row in enumerate(cells, start=2)
            if any(_text(value) for value in row)
        )
        return _Reading(file_name, []).read("staff-xlsx", header, rows, exported_on)
    except _Unreadable as error:
        message = f"{file_name} could not be read to its end ({error})."
        return _not_a_list(file_name, "staff-xlsx", message, exported_on)
    finally:
        book.close()


class _Unreadable(Exception):
    pass


def _guarded(cells):
    """The workbook's rows, anything openpyxl raises on the way made ``_Unreadable``."""
    while True:
        try:
            row = next(cells)
        except StopIteration:
            return
        except Exception as error:
            raise _Unreadable(str(error)) from error
        yield row


def _cell(value):
    """A workbook's cell as the reader wants it: dates as dates, whole numbers (a URN typed as
    a number) without ".0", everything else as text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _text(value)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _not_a_list(file_name, source_format, message, exported_on):
    return Bundle(
        source_format=source_format,
        exported_on=exported_on or timezone.localdate(),
        problems=[Problem(file_name, None, None, message)],
    )


class _Reading:
    def __init__(self, file_name, problems):
        self.file = file_name
        self.problems = problems
        self.people = {}  # email: {"fields": ..., "roles": {(urn, role): RoleAt}}
        self.orgs = {}

    def read(self, source_format, header, rows, exported_on, check=None):
        exported_on = exported_on or timezone.localdate()
        index = {}
        for position, column in enumerate(header):
            index.setdefault(column.strip().lower(), position)
        known = [column for column in COLUMNS if column.lower() in index]
        if not known or "sourcedid" in index:
            message = self._not_a_list_message(index)
            return _not_a_list(self.file, source_format, message, exported_on)
        missing = [column for column in REQUIRED if column.lower() not in index]
        for column in missing:
            self._add(None, column, f"There is no ‘{column}’ column in the first row.")
        if not missing:
            for number, row in rows:
                if check is not None:
                    check(number, row)
                values = {c: _value(row, index.get(c.lower())) for c in COLUMNS}
                self._row(number, {c: v if c == START else _shown(v) for c, v in values.items()})
        return Bundle(
            source_format=source_format,
            exported_on=exported_on,
            full_export=True,
            orgs=self.orgs,
            staff=[
                StaffRecord(roles=tuple(person["roles"].values()), **person["fields"])
                for person in self.people.values()
            ],
            problems=self.problems,
        )

    def _not_a_list_message(self, index):
        if "sourcedid" in index:
            return (
                f"{self.file} looks like one file of a OneRoster export. Upload the whole "
                "export as a zip, with its manifest.csv, orgs.csv and users.csv."
            )
        return (
            f"{self.file} is not a staff list: its first row should name the columns "
            f"{', '.join(COLUMNS[:-1])} and {COLUMNS[-1]}."
        )

    def _row(self, number, values):
        name = " ".join(values[NAME].split())
        if not name:
            self._add(number, NAME, "Enter the person's name.")
        email = self._check(number, EMAIL, checks.email, values[EMAIL])
        urn = self._check(number, URN, checks.urn, values[URN])
        role = self._choice(number, ROLE, ROLE_NAMES, values[ROLE], SCHOOL_ROLES)
        group = StaffGroup.TEACHER.value
        if values[GROUP]:
            group = self._choice(number, GROUP, GROUP_NAMES, values[GROUP], StaffGroup)
        start = values[START]
        if start and not isinstance(start, dt.date):
            start = self._check(number, START, checks.date_either_way, start)
        trn = self._check(number, TRN, checks.trn, values[TRN]) if values[TRN] else ""
        if not email:
            return
        if urn:
            self.orgs.setdefault(urn, Org(key=urn, name="", urn=urn, type="school"))
        person = self.people.get(email)
        if person is None:
            fields = {"source_id": "", "email": email, "full_name": name, "trn": trn or ""}
            fields |= {"file": self.file, "row": number}
            person = self.people[email] = {"fields": fields, "roles": {}}
        else:
            self._same_person(number, person["fields"], name, trn)
        if urn and role:
            role_at = RoleAt(
                org=urn,
                role=role,
                staff_group=group or "",
                started_on=start or None,
                row=number,
                file=self.file,
            )
            self._role(number, person, role_at)

    def _same_person(self, number, fields, name, trn):
        first = fields["row"]
        if name and fields["full_name"] and name.casefold() != fields["full_name"].casefold():
            message = f"Row {first} gives this email to {fields['full_name']}, not {name}."
            self._add(number, NAME, message)
        if trn and fields["trn"] and trn != fields["trn"]:
            self._add(number, TRN, f"Row {first} gives this person the TRN {fields['trn']}.")
        fields["trn"] = fields["trn"] or trn or ""

    def _role(self, number, person, role_at):
        key = (role_at.org, role_at.role)
        before = person["roles"].get(key)
        if before is None:
            person["roles"][key] = role_at
        elif (before.staff_group, before.started_on) != (role_at.staff_group, role_at.started_on):
            message = (
                f"Row {before.row} gives this person the same role at this school, "
                "with a different staff group or start date."
            )
            self._add(number, None, message)

    def _check(self, number, column, check, value):
        try:
            return check(value)
        except checks.Invalid as invalid:
            self._add(number, column, str(invalid))
            return None

    def _choice(self, number, column, names, value, choices):
        found = names.get(" ".join(value.lower().split()))
        if found is None:
            allowed = ", ".join(str(choice.label) for choice in choices)
            message = (
                f"{quoted(value)} is not one of {allowed}." if value else f"Enter one of {allowed}."
            )
            self._add(number, column, message)
        return found

    def _add(self, row, column, message):
        self.problems.append(Problem(self.file, row, column, message))


def _value(row, position):
    if position is None or position >= len(row):
        return ""
    value = row[position]
    return value.strip() if isinstance(value, str) else value


# --- The template -------------------------------------------------------------------------


def staff_template_csv():
    """The staff list to fill in, as CSV (UTF-8 with a byte-order mark, so that Excel shows
    accented names as they are)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow([_shown(EXAMPLE[column]) for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def staff_template_xlsx():
    """The staff list to fill in, as an Excel workbook: the URN and TRN columns hold text, so
    that a number typed there keeps its digits, and the start date is a date."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Staff"
    sheet.append(COLUMNS)
    sheet.append([EXAMPLE[column] for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in ("C", "G"):
        for cell in sheet[column]:
            cell.number_format = "@"
    sheet["F2"].number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFG", (24, 34, 12, 16, 24, 12, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _shown(value):
    return value.isoformat() if isinstance(value, dt.date) else str(value)
