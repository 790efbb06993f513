"""What the readers make of a file, whatever its format: the shapes the rest of an import
works with.

A reader never returns a student: OneRoster rows for students (and guardians, parents and
the like) are counted and dropped as they are met, before any of their other columns is
looked at, and are never stored.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file: where (file, spreadsheet row counting the header as row 1,
    column name) and what, in words an administrator can act on. ``row`` and ``column`` are
    ``None`` for a problem with the whole file or column."""

    file: str
    row: int | None
    column: str | None
    message: str

    def as_dict(self):
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message}

    @classmethod
    def from_dict(cls, data):
        """One kept as ``as_dict`` made it (anything else kept with it is left out)."""
        return cls(data["file"], data["row"], data["column"], data["message"])


def problem_text(problem):
    """A problem on one line: where (file, row, column) and what."""
    where = [problem.file]
    if problem.row is not None:
        where.append(_("row %(row)s") % {"row": problem.row})
    if problem.column:
        where.append(_("column “%(column)s”") % {"column": problem.column})
    return f"{', '.join(part for part in where if part)}: {problem.message}"


@dataclass(frozen=True)
class Org:
    """An organisation a roster names: a school (its URN in ``urn`` when the roster gives
    one) or the trust itself (``type`` "district" in OneRoster)."""

    key: str  # OneRoster sourcedId; for a staff spreadsheet, the URN
    name: str
    urn: str = ""
    type: str = "school"


@dataclass(frozen=True)
class RoleAt:
    """One role someone holds in one organisation, as a Coachloop role value
    (``people.models.Role``)."""

    org: str  # Org.key
    role: str
    staff_group: str = ""  # a people.models.StaffGroup value, or "" when the file does not say
    started_on: dt.date | None = None
    to_be_deleted: bool = False  # OneRoster status "tobedeleted" on the role or enrolment
    row: int | None = None
    file: str = ""


@dataclass(frozen=True)
class StaffRecord:
    """One member of staff as the file describes them."""

    source_id: str  # OneRoster sourcedId; "" for a staff spreadsheet
    email: str  # lower case
    full_name: str
    roles: tuple[RoleAt, ...]
    trn: str = ""
    to_be_deleted: bool = False  # OneRoster status "tobedeleted" on the user
    file: str = ""
    row: int | None = None


@dataclass
class Bundle:
    """Everything a reader found in one upload or folder."""

    source_format: str  # "oneroster-1.1", "oneroster-1.2", "staff-csv" or "staff-xlsx"
    exported_on: dt.date
    full_export: bool = True  # False for a OneRoster delta: nobody missing from it has left
    orgs: dict[str, Org] = field(default_factory=dict)
    staff: list[StaffRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    students_skipped: int = 0
    others_skipped: int = 0  # guardians, parents, aides and anyone else who is not staff
