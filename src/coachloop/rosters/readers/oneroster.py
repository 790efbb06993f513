"""A OneRoster CSV export, version 1.1 or 1.2, read for its staff.

The files are read in an order that lets a student's row be dropped on sight: the manifest,
then orgs.csv (which organisations are schools), then in 1.2 roles.csv (who holds a staff
role where), then users.csv, then in 1.1 enrollments.csv. In users.csv 1.1 the role column is
read first; in 1.2 the sourcedId is looked up among the staff roles.csv named. A student's row
goes no further: it is counted, and nothing else of it is read, checked or kept, so no problem
ever names a student. Nor is a student's sourcedId held: only the staff's, and those of the
other adults (parents, aides) so that they can be counted apart.

Coachloop's roles: a OneRoster teacher is a teacher; an administrator (1.1), principal or
site, district or system administrator (1.2) is the school's headteacher in Coachloop, who
sees the school's figures and never coaching content. Roles are held in schools: a teacher
listed at a department is a teacher of the department's school; an administrator of anything
but a school (the district, which in England is usually the trust) is not brought in.
"""

import dataclasses
import datetime as dt
import re

from django.utils import timezone

from coachloop.rosters.readers import checks
from coachloop.rosters.readers.checks import quoted
from coachloop.rosters.readers.sources import READ_ERRORS, CsvFile, Refused
from coachloop.rosters.records import Bundle, Org, Problem, RoleAt, StaffRecord

VERSIONS = ("1.1", "1.2")
ROLES = {
    "1.1": {"teacher": "teacher", "administrator": "headteacher"},
    "1.2": {
        "teacher": "teacher",
        "principal": "headteacher",
        "siteadministrator": "headteacher",
        "districtadministrator": "headteacher",
        "systemadministrator": "headteacher",
        "administrator": "headteacher",
    },
}
TRN_TYPES = {"trn", "dfe trn"}
REQUIRED = {
    "manifest.csv": ["propertyName", "value"],
    "orgs.csv": ["sourcedId", "name", "type"],
    "users.csv 1.1": ["sourcedId", "role", "orgSourcedIds", "givenName", "familyName", "email"],
    "users.csv 1.2": ["sourcedId", "givenName", "familyName", "email"],
    "roles.csv": ["userSourcedId", "role", "orgSourcedId"],
    "enrollments.csv": ["userSourcedId", "schoolSourcedId", "role"],
}
USER_IDS = re.compile(r"\{([^{}]*)\}")


@dataclasses.dataclass
class _Role:
    """A role as it is gathered from one or more rows, before the export's date is known."""

    org: str
    role: str
    file: str
    row: int
    from_user: bool = False  # users.csv 1.1 lists the org: the role lasts while the user does
    started_on: object = None
    endings: list = dataclasses.field(default_factory=list)  # (to be deleted, end date)

    def add(self, *, begin, end, to_be_deleted):
        if begin and (self.started_on is None or begin < self.started_on):
            self.started_on = begin
        self.endings.append((to_be_deleted, end))

    def role_at(self, exported_on):
        ended = [tbd or (end is not None and end < exported_on) for tbd, end in self.endings]
        gone = not self.from_user and bool(ended) and all(ended)
        return RoleAt(
            org=self.org,
            role=self.role,
            started_on=self.started_on,
            to_be_deleted=gone,
            row=self.row,
            file=self.file,
        )


def read_oneroster(opened, *, exported_on=None):
    """The staff of an opened export (``sources.open_source``). The export's date is
    ``exported_on`` when given; otherwise the newest dateLastModified of a member of staff in
    users.csv (a bulk export leaves them blank); otherwise the date of users.csv in the zip,
    or when it was last changed in a folder; otherwise today."""
    return _Reading(opened).read(exported_on)


class _Reading:
    def __init__(self, opened):
        self.opened = opened
        self.names = opened.names()
        self.problems = []
        self.manifest = {}
        self.version = None
        self.orgs = {}  # sourcedId: Org
        self.parents = {}  # sourcedId: parentSourcedId
        self.orgs_read = False
        self.roles = {}  # user sourcedId: {(org, role): _Role}
        self.staff_users = {}  # 1.2: user sourcedId: first row of roles.csv with a staff role
        self.not_at_school = {}  # user sourcedId: names of organisations that are not schools
        self.other_adults = set()  # 1.2: sourcedIds of parents, aides and the like
        self.people = {}  # sourcedId: fields of a StaffRecord
        self.user_rows = {}  # sourcedId: row
        self.emails = {}  # email: row
        self.newest = None
        self.students = 0
        self.others = 0

    def read(self, exported_on):
        if not self.names & {"manifest.csv", "users.csv", "orgs.csv"}:
            message = (
                f"{self.opened.label} is not a OneRoster export: it has no manifest.csv, "
                "orgs.csv or users.csv."
            )
            return self._bundle(
                "unknown", exported_on, [Problem(self.opened.label, None, None, message)]
            )
        self._each("manifest.csv", self._read_manifest, needed="The export has no manifest.csv.")
        self.version = self._version()
        self._each("orgs.csv", self._read_orgs, needed=self._needed("orgs"))
        if self.version == "1.2":
            self._each("roles.csv", self._read_roles, needed=self._needed("roles"))
        self._each("users.csv", self._read_users, needed=self._needed("users"))
        if self.version == "1.1":
            self._each("enrollments.csv", self._read_enrollments, needed=None)
        return self._bundle(f"oneroster-{self.version}", exported_on, self.problems)

    # --- Files ----------------------------------------------------------------------------

    def _each(self, name, read, *, needed):
        if name not in self.names:
            if needed:
                self.problems.append(Problem(name, None, None, needed))
            return
        try:
            with self.opened.open(name) as binary:
                read(CsvFile(name, binary, self.problems))
        except Refused as refusal:
            self.problems.append(Problem(name, None, None, str(refusal)))
        except READ_ERRORS as error:
            message = f"{name} could not be read ({error})."
            self.problems.append(Problem(name, None, None, message))

    def _needed(self, kind):
        state = self.manifest.get(f"file.{kind}", ("bulk", None))[0].lower()
        if kind == "users" and state == "absent":
            return "manifest.csv says there is no users.csv, where Coachloop finds the staff."
        if kind == "roles" and self.version == "1.2":
            return "A OneRoster 1.2 export needs roles.csv, which says who is staff where."
        if state == "absent":
            return None
        return f"The export has no {kind}.csv."

    def _read_manifest(self, table):
        if table.missing(REQUIRED["manifest.csv"]):
            return
        for number, row in table.rows():
            table.check_text(number, row)
            self.manifest[table.get(row, "propertyName")] = (table.get(row, "value"), number)
        for name, (state, number) in self.manifest.items():
            if name.startswith("file.") and state.lower() not in ("bulk", "delta", "absent"):
                message = f"{quoted(state)} should be bulk, delta or absent."
                self.problems.append(Problem("manifest.csv", number, "value", message))

    def _version(self):
        if "oneroster.version" in self.manifest:
            value, number = self.manifest["oneroster.version"]
            for version in VERSIONS:
                if value == version or value.startswith(version + "."):
                    return version
            message = f"Coachloop reads OneRoster 1.1 and 1.2; this export says {quoted(value)}."
            self.problems.append(Problem("manifest.csv", number, "value", message))
        elif "manifest.csv" in self.names:
            message = "manifest.csv does not say which version of OneRoster it is."
            self.problems.append(Problem("manifest.csv", None, "oneroster.version", message))
        # Guessed from the files, to find every other problem too.
        return "1.2" if "roles.csv" in self.names else "1.1"

    def _read_orgs(self, table):
        if table.missing(REQUIRED["orgs.csv"]):
            return
        self.orgs_read = True
        rows = {}
        for number, row in table.rows():
            table.check_text(number, row)
            key = table.get(row, "sourcedId")
            if not _unique(table, number, key, rows):
                continue
            self._common(table, number, row)
            identifier = table.get(row, "identifier")
            self.orgs[key] = Org(
                key=key,
                name=table.get(row, "name"),
                urn=identifier if checks.URN.fullmatch(identifier) else "",
                type=table.get(row, "type").lower(),
            )
            self.parents[key] = table.get(row, "parentSourcedId")

    def _read_roles(self, table):
        if table.missing(REQUIRED["roles.csv"]):
            return
        roles = ROLES["1.2"]
        for number, row in table.rows():
            kind = table.get(row, "role").lower()
            if kind == "student":
                continue
            user = table.get(row, "userSourcedId")
            role = roles.get(kind)
            if role is None:
                self.other_adults.add(user)
                continue
            if not user:
                table.add(number, "userSourcedId", "Enter the sourcedId of the user in users.csv.")
                continue
            listed = table.get(row, "orgSourcedId")
            org = self._school(table, number, "orgSourcedId", listed, role)
            if org is None and role != "teacher":
                self.other_adults.add(user)  # an administrator of the trust, not of a school
                continue
            self.staff_users.setdefault(user, number)
            if org is None:
                self.not_at_school.setdefault(user, []).append(self.orgs[listed].name or listed)
            table.check_text(number, row)
            to_be_deleted = self._common(table, number, row)
            begin = self._date(table, number, row, "beginDate")
            end = self._date(table, number, row, "endDate")
            if org:
                gathered = self._role(user, org, role, table.name, number)
                gathered.add(begin=begin, end=end, to_be_deleted=to_be_deleted)

    def _read_users(self, table):
        if self.version == "1.1":
            if table.missing(REQUIRED["users.csv 1.1"]):
                return
            self._read_users_11(table)
        else:
            if table.missing(REQUIRED["users.csv 1.2"]):
                return
            self._read_users_12(table)

    def _read_users_11(self, table):
        roles = ROLES["1.1"]
        for number, row in table.rows():
            kind = table.get(row, "role").lower()
            role = roles.get(kind)
            if role is None:
                if kind == "student":
                    self.students += 1
                else:
                    self.others += 1
                continue
            listed = [o.strip() for o in table.get(row, "orgSourcedIds").split(",") if o.strip()]
            places = [self._school(table, number, "orgSourcedIds", org, role) for org in listed]
            if role != "teacher" and listed and all(place is None for place in places):
                self.others += 1  # an administrator of the trust, not of a school
                continue
            user = self._person(table, number, row)
            if user is None:
                continue
            if not listed:
                if not self.people[user]["to_be_deleted"]:
                    message = "This member of staff has no school: orgSourcedIds is empty."
                    table.add(number, "orgSourcedIds", message)
            elif all(place is None for place in places):
                self.not_at_school[user] = [self.orgs[org].name or org for org in listed]
            for org in filter(None, places):
                self._role(user, org, role, table.name, number).from_user = True

    def _read_users_12(self, table):
        for number, row in table.rows():
            user = table.get(row, "sourcedId")
            if user not in self.staff_users:
                if user in self.other_adults:
                    self.others += 1
                else:
                    self.students += 1
                continue
            self._person(table, number, row)
        for user, number in self.staff_users.items():
            if user not in self.people:
                message = f"users.csv has no one with the sourcedId {quoted(user)}."
                self.problems.append(Problem("roles.csv", number, "userSourcedId", message))

    def _read_enrollments(self, table):
        if table.missing(REQUIRED["enrollments.csv"]):
            return
        for number, row in table.rows():
            if table.get(row, "role").lower() != "teacher":
                continue
            user = table.get(row, "userSourcedId")
            if user not in self.people:
                continue  # not staff, or a row of users.csv that had problems
            table.check_text(number, row)
            to_be_deleted = self._common(table, number, row)
            begin = self._date(table, number, row, "beginDate")
            end = self._date(table, number, row, "endDate")
            org = table.get(row, "schoolSourcedId")
            school = self._school(table, number, "schoolSourcedId", org, "teacher")
            if school:
                gathered = self._role(user, school, "teacher", table.name, number)
                gathered.add(begin=begin, end=end, to_be_deleted=to_be_deleted)

    # --- Rows -----------------------------------------------------------------------------

    def _person(self, table, number, row):
        """The staff member on a row of users.csv, or None for a row that names no one."""
        table.check_text(number, row)
        key = table.get(row, "sourcedId")
        if not _unique(table, number, key, self.user_rows):
            return None
        to_be_deleted = self._common(table, number, row, newest=True)
        given = table.get(row, "preferredGivenName") or table.get(row, "givenName")
        family = table.get(row, "preferredFamilyName") or table.get(row, "familyName")
        full_name = " ".join(part for part in (given, family) if part)
        # A row to be deleted need say no more than whose it is.
        if not full_name and not to_be_deleted:
            table.add(number, "givenName", "Enter this person's name.")
        try:
            email = checks.email(table.get(row, "email"))
        except checks.Invalid as invalid:
            email = table.get(row, "email").lower()
            if email or not to_be_deleted:
                table.add(number, "email", str(invalid))
        else:
            if email in self.emails:
                message = f"Row {self.emails[email]} has the same email, {email}."
                table.add(number, "email", message)
            else:
                self.emails[email] = number
        self.people[key] = {
            "source_id": key,
            "email": email,
            "full_name": full_name,
            "trn": self._trn(table, number, table.get(row, "userIds")),
            "to_be_deleted": to_be_deleted,
            "file": table.name,
            "row": number,
        }
        return key

    def _common(self, table, number, row, newest=False):
        """Checks status and dateLastModified; True when the row is to be deleted."""
        status = table.get(row, "status").lower()
        if status not in ("", "active", "tobedeleted"):
            table.add(number, "status", f"{quoted(status)} should be active or tobedeleted.")
        modified = table.get(row, "dateLastModified")
        if modified:
            try:
                day = checks.date_of_timestamp(modified)
            except checks.Invalid as invalid:
                table.add(number, "dateLastModified", str(invalid))
            else:
                if newest and (self.newest is None or day > self.newest):
                    self.newest = day
        return status == "tobedeleted"

    def _date(self, table, number, row, column):
        value = table.get(row, column)
        if not value:
            return None
        try:
            return checks.iso_date(value)
        except checks.Invalid as invalid:
            table.add(number, column, str(invalid))
            return None

    def _trn(self, table, number, user_ids):
        """A Teacher Reference Number among a user's other identifiers, written {TRN:1234567}."""
        pairs = USER_IDS.findall(user_ids) or user_ids.split(",")
        for pair in pairs:
            kind, _, value = pair.partition(":")
            if kind.strip().lower() in TRN_TYPES:
                try:
                    return checks.trn(value.strip())
                except checks.Invalid as invalid:
                    table.add(number, "userIds", str(invalid))
        return ""

    def _school(self, table, number, column, org, role):
        """The school where ``role`` at ``org`` is held: "" when the org is unknown (a problem
        is added) and None when it is not a school (a teacher at a department is at the
        department's school)."""
        if not self.orgs_read:
            return org  # orgs.csv is missing or unreadable, as a problem already says
        found = self.orgs.get(org)
        if found is None:
            table.add(
                number, column, f"orgs.csv has no organisation with the sourcedId {quoted(org)}."
            )
            return ""
        if found.type == "school":
            return org
        parent = self.orgs.get(self.parents.get(org, ""))
        if role == "teacher" and found.type == "department" and parent and parent.type == "school":
            return parent.key
        return None

    def _role(self, user, org, role, file, row):
        gathered = self.roles.setdefault(user, {})
        if (org, role) not in gathered:
            gathered[(org, role)] = _Role(org=org, role=role, file=file, row=row)
        return gathered[(org, role)]

    # --- The bundle -----------------------------------------------------------------------

    def _bundle(self, source_format, exported_on, problems):
        if exported_on is None:
            exported_on = _plausible(self.newest) or _plausible(
                self.opened.modified_on("users.csv")
            )
            exported_on = exported_on or timezone.localdate()
        staff = []
        for key, fields in self.people.items():
            roles = tuple(g.role_at(exported_on) for g in self.roles.get(key, {}).values())
            if not roles and key in self.not_at_school:
                places = ", ".join(sorted(set(self.not_at_school[key])))
                message = f"This member of staff is listed only at {places}, not at a school."
                problems.append(Problem(fields["file"], fields["row"], None, message))
            staff.append(StaffRecord(roles=roles, **fields))
        state = self.manifest.get("file.users", ("bulk", None))[0].lower()
        return Bundle(
            source_format=source_format,
            exported_on=exported_on,
            full_export=state != "delta",
            orgs=self.orgs,
            staff=staff,
            problems=problems,
            students_skipped=self.students,
            others_skipped=self.others,
        )


def _unique(table, number, key, seen):
    """Checks a row's sourcedId is there and not already used; ``seen`` maps each to its row."""
    if not key:
        table.add(number, "sourcedId", "Enter a sourcedId: each row needs one.")
        return False
    if key in seen:
        table.add(number, "sourcedId", f"Row {seen[key]} has the same sourcedId, {quoted(key)}.")
        return False
    seen[key] = number
    return True


EARLIEST_EXPORT = dt.date(2000, 1, 1)


def _plausible(day):
    """A date an export can have been made on: not in the future, and not before 2000 (a zip
    written without dates says 1 January 1980). Otherwise ``None``: the export is dated today."""
    if day is None or not EARLIEST_EXPORT <= day <= timezone.localdate():
        return None
    return day
