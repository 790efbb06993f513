"""Reading a teacher-record file and checking all of it before anything is written.

``read_record`` returns the file's rows as Python values, or raises ``RecordProblems`` listing
every problem found, each with where it is (``relationship 2 › action step 3 › set_on``:
items are counted from 1, in the order the file lists them). The import service
(coaching/services/portability.py) then writes the rows, all or none.
"""

import base64
import binascii
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from coachloop.coaching.models import EvidenceItem, EvidenceKind
from coachloop.coaching.portability.format import FORMAT, PARTS, VERSION, Part, all_parts
from coachloop.coaching.portability.schema import record_schema
from coachloop.common import safe_json
from coachloop.common.uploads import check_upload

# Web uploads are refused past 200 MB before they are read (coaching.forms.portability);
# ``manage.py import_teacher`` reads larger records, up to this.
MAX_RECORD_CHARS = 2_000_000_000

SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


class RecordProblems(ValidationError):
    """The file cannot be imported; ``problems`` says every reason, nothing was written."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__([str(p) for p in self.problems])


@dataclass
class Row:
    """One item of the file, checked: model values ready to write, and how to link it."""

    part: Part
    file_id: int
    where: str
    values: dict = field(default_factory=dict)  # copied model fields
    people: dict = field(default_factory=dict)  # field -> {"name", "is_teacher"} or None
    references: dict = field(default_factory=dict)  # field -> file id or None
    framework: dict = field(default_factory=dict)  # field -> dict or None
    special: dict = field(default_factory=dict)  # e.g. school, coach_name, file bytes
    children: dict = field(default_factory=dict)  # child key -> [Row]


@dataclass
class CheckedRecord:
    exported_at: dt.datetime
    trust_name: str
    teacher_name: str
    teacher_email: str
    rows: dict  # top-level key -> [Row]

    @property
    def export_date(self):
        return timezone.localtime(self.exported_at).date()


MISSING = object()


class _Reader:
    def __init__(self):
        self.problems = []
        self.data = None
        self.rows = []  # every row read, parents before their children
        self.ids = {}  # part key -> {file id: Row}

    def problem(self, where, message):
        self.problems.append(Problem(where, str(message)))

    # -- the top of the file --------------------------------------------------------------

    def read(self, raw):
        if isinstance(raw, bytes | bytearray):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.problem("", _("The file is not text in UTF-8: it is not a teacher record."))
                return None
        try:
            data = self.data = safe_json.loads(raw, max_chars=MAX_RECORD_CHARS)
        except safe_json.JSONLimitError as error:
            self.problem("", _("The file cannot be read: %(error)s") % {"error": error})
            return None
        except safe_json.JSONDecodeError as error:
            self.problem(
                "",
                _("The file is not valid JSON (line %(line)s, column %(column)s: %(error)s).")
                % {"line": error.lineno, "column": error.colno, "error": error.msg},
            )
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            self.problem(
                "format",
                _("This is not a Coachloop teacher record (its format should be “%(format)s”).")
                % {"format": FORMAT},
            )
            return None
        version = data.get("version")
        if version != VERSION or isinstance(version, bool):
            self.problem(
                "version",
                _(
                    "Version %(version)s of the format cannot be read here: this Coachloop reads "
                    "version %(ours)s."
                )
                % {"version": version, "ours": VERSION},
            )
            return None
        exported_at = self.datetime("exported_at", data.get("exported_at", MISSING))
        trust_name = self.text("trust", data.get("trust", MISSING), max_length=200)
        teacher = data.get("teacher", MISSING)
        name = email = None
        if not isinstance(teacher, dict):
            self.problem("teacher", _("The teacher's name and email address are missing."))
        else:
            name = self.text("teacher › name", teacher.get("name", MISSING), max_length=150)
            email = self.text("teacher › email", teacher.get("email", MISSING), max_length=254)
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    self.problem(
                        "teacher › email",
                        _("“%(email)s” is not an email address.") % {"email": email},
                    )
                    email = None
        rows = {}
        for part in PARTS:
            rows[part.key] = self.items(part, data.get(part.key, MISSING), where="")
        self.links(rows)
        if self.problems:
            return None
        return CheckedRecord(
            exported_at=exported_at,
            trust_name=trust_name,
            teacher_name=name,
            teacher_email=email.lower(),
            rows=rows,
        )

    # -- plain values ---------------------------------------------------------------------

    def text(self, where, value, *, max_length):
        if value is MISSING or value is None or value == "":
            self.problem(where, _("This is missing."))
            return None
        if not isinstance(value, str):
            self.problem(where, _("This should be text."))
            return None
        if len(value) > max_length:
            self.problem(where, _("This is longer than %(n)s characters.") % {"n": max_length})
            return None
        return value

    def datetime(self, where, value):
        if value is MISSING or value is None:
            self.problem(where, _("This is missing."))
            return None
        parsed = None
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value)
            except ValueError:
                parsed = None
        if parsed is None:
            self.problem(where, _("“%(value)s” is not a date and time.") % {"value": value})
            return None
        if timezone.is_naive(parsed):
            self.problem(where, _("This date and time needs its offset from UTC (as +00:00)."))
            return None
        return parsed

    # -- items ----------------------------------------------------------------------------

    def items(self, part, value, *, where):
        here = f"{where} › {part.key}" if where else part.key
        if value is MISSING:
            self.problem(here, _("This list is missing (an empty list is fine)."))
            return []
        if not isinstance(value, list):
            self.problem(here, _("This should be a list."))
            return []
        rows = []
        for index, item in enumerate(value, start=1):
            item_where = f"{where} › {part.label} {index}" if where else f"{part.label} {index}"
            row = self.item(part, item, item_where)
            if row is not None:
                rows.append(row)
        return rows

    def item(self, part, item, where):
        if not isinstance(item, dict):
            self.problem(where, _("This should be an object with the item's fields."))
            return None
        file_id = item.get("id")
        if not isinstance(file_id, int) or isinstance(file_id, bool):
            self.problem(f"{where} › id", _("Each item needs a whole-number id."))
            file_id = None
        row = Row(part=part, file_id=file_id, where=where)
        self.rows.append(row)
        if file_id is not None:
            seen = self.ids.setdefault(part.key, {})
            if file_id in seen:
                self.problem(
                    f"{where} › id",
                    _("Another %(label)s has the same id (%(id)s).")
                    % {"label": part.label, "id": file_id},
                )
            seen[file_id] = row
        for name in part.copied:
            if name in part.added_later and name not in item:
                continue  # read from the other values, below
            row.values[name] = self.value(part, name, item.get(name, MISSING), f"{where} › {name}")
        for name in part.people:
            if name in part.added_later and name not in item:
                row.people[name] = part.added_later[name](row.values)
                continue
            row.people[name] = self.person(part, name, item.get(name, MISSING), where)
        for name in part.copied:
            if name in part.added_later and name not in item:
                row.values[name] = part.added_later[name](row.values)
        for name in part.references:
            reference = item.get(name, MISSING)
            if reference is MISSING:
                self.problem(f"{where} › {name}", _("This is missing (null is fine)."))
                reference = None
            elif reference is not None and (
                not isinstance(reference, int) or isinstance(reference, bool)
            ):
                self.problem(f"{where} › {name}", _("This should be an item's id, or null."))
                reference = None
            row.references[name] = reference
        for name, kind in part.framework.items():
            row.framework[name] = self.framework(kind, item.get(name, MISSING), f"{where} › {name}")
        self.special(part, item, row, where)
        self.rules(part, row, where)
        for child in part.children:
            row.children[child.key] = self.items(child, item.get(child.key, MISSING), where=where)
        return row

    def value(self, part, name, value, where):
        """One model field's value, checked by the model field itself (type, length, choices)."""
        model_field = part.model._meta.get_field(name)
        if value is MISSING:
            self.problem(where, _("This is missing."))
            return None
        if value is None:
            if not model_field.null:
                self.problem(where, _("This cannot be empty."))
            return None
        if not self._right_type(model_field, value):
            self.problem(where, self._type_message(model_field))
            return None
        try:
            cleaned = model_field.clean(value, None)
        except ValidationError as error:
            self.problem(where, " ".join(error.messages))
            return None
        if isinstance(model_field, models.DateTimeField) and timezone.is_naive(cleaned):
            self.problem(where, _("This date and time needs its offset from UTC (as +00:00)."))
            return None
        limit = model_field.max_length if isinstance(model_field, models.TextField) else None
        if limit and len(cleaned) > limit:
            self.problem(where, _("This is longer than %(n)s characters.") % {"n": limit})
            return None
        return cleaned

    @staticmethod
    def _right_type(model_field, value):
        if isinstance(model_field, models.JSONField):
            return isinstance(value, list | dict)
        if isinstance(model_field, models.IntegerField):
            return isinstance(value, int) and not isinstance(value, bool)
        return isinstance(value, str)

    @staticmethod
    def _type_message(model_field):
        if isinstance(model_field, models.DateTimeField):
            return _("This should be a date and time, as 2025-11-20T09:30:00+00:00.")
        if isinstance(model_field, models.DateField):
            return _("This should be a date, as 2025-11-20.")
        if isinstance(model_field, models.IntegerField):
            return _("This should be a whole number.")
        if isinstance(model_field, models.JSONField):
            return _("This should be a list.")
        return _("This should be text.")

    def person(self, part, name, value, where):
        here = f"{where} › {name}"
        required = not part.model._meta.get_field(name).null
        if value is MISSING:
            self.problem(here, _("This is missing."))
            return None
        if value is None:
            if required:
                self.problem(here, _("This needs the person's name."))
            return None
        if (
            not isinstance(value, dict)
            or not isinstance(value.get("name"), str)
            or not isinstance(value.get("is_teacher"), bool)
        ):
            self.problem(here, _('This should name a person: {"name", "is_teacher"}.'))
            return None
        return {"name": value["name"], "is_teacher": value["is_teacher"]}

    def framework(self, kind, value, where):
        if value is MISSING:
            self.problem(where, _("This is missing (null is fine)."))
            return None
        if value is None:
            return None
        keys = (
            ("code", "title")
            if kind == "strand"
            else ("code", "title", "strand_code", "strand_title")
        )
        if not isinstance(value, dict) or not all(isinstance(value.get(k), str) for k in keys):
            self.problem(where, _("This should give %(keys)s as text.") % {"keys": ", ".join(keys)})
            return None
        return {k: value[k] for k in keys}

    # -- what some parts carry differently -------------------------------------------------

    def special(self, part, item, row, where):
        if part.key == "relationships":
            school = item.get("school", MISSING)
            if school is MISSING or (school is not None and not isinstance(school, str)):
                self.problem(f"{where} › school", _("This should be the school's name, or null."))
                school = None
            row.special["school"] = school or None
            row.special["coach_name"] = self.text(
                f"{where} › coach_name", item.get("coach_name", MISSING), max_length=200
            )
            if not school and not row.values.get("imported_from"):
                self.problem(
                    f"{where} › school",
                    _("Either the school or where the coaching was imported from is needed."),
                )
        elif part.key == "evidence":
            row.special["file"] = self.evidence_file(item.get("file", MISSING), row, where)

    def evidence_file(self, value, row, where):
        here = f"{where} › file"
        if value is MISSING:
            self.problem(here, _("This is missing (null is fine)."))
            return None
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(here, _("This should hold content_base64 and sha256."))
            return None
        if value.get("missing"):
            self.problem(here, _("The file was missing when the record was exported."))
            return None
        encoded, digest = value.get("content_base64"), value.get("sha256")
        if not isinstance(encoded, str):
            self.problem(f"{here} › content_base64", _("The file's content is missing."))
            return None
        try:
            content = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            self.problem(f"{here} › content_base64", _("This is not valid base64."))
            return None
        if not isinstance(digest, str) or not SHA256.fullmatch(digest.lower()):
            self.problem(f"{here} › sha256", _("This should be a SHA-256 in hexadecimal."))
            return None
        if hashlib.sha256(content).hexdigest() != digest.lower():
            self.problem(
                f"{here} › sha256",
                _("The file's content does not match its SHA-256: it was changed or damaged."),
            )
            return None
        # The same checks as a file uploaded here: size, and a kind allowed by its content.
        name = row.values.get("original_name") or "evidence"
        try:
            checked = check_upload(SimpleUploadedFile(name, content))
        except ValidationError as error:
            self.problem(here, " ".join(error.messages))
            return None
        if row.values.get("content_type") not in (None, checked.content_type):
            self.problem(
                f"{where} › content_type",
                _("The file's content is %(found)s, not %(said)s.")
                % {"found": checked.content_type, "said": row.values["content_type"]},
            )
        if row.values.get("size") not in (None, len(content)):
            self.problem(
                f"{where} › size",
                _("The file has %(found)s bytes, not %(said)s.")
                % {"found": len(content), "said": row.values["size"]},
            )
        return {"content": content, "suffix": checked.suffix}

    def rules(self, part, row, where):
        """What the models insist on between fields, checked here so nothing fails half-way."""
        v = row.values
        if part.key == "relationships":
            if v.get("started_on") and v.get("finished_on") and v["finished_on"] < v["started_on"]:
                self.problem(f"{where} › finished_on", _("This is before the coaching started."))
        elif part.key == "evidence":
            said_why = any(p.where.startswith(f"{where} › file") for p in self.problems)
            no_file = v.get("kind") == EvidenceItem.Kind.FILE and not row.special.get("file")
            if no_file and not said_why:
                self.problem(f"{where} › file", _("A file item needs its file."))
            if v.get("kind") == EvidenceItem.Kind.LINK and not v.get("url"):
                self.problem(f"{where} › url", _("A link item needs its link."))
        elif part.key == "goals":
            kinds = v.get("evidence_kinds")
            if isinstance(kinds, dict) or (
                isinstance(kinds, list) and not set(kinds) <= set(EvidenceKind.values)
            ):
                self.problem(
                    f"{where} › evidence_kinds",
                    _("This should list some of: %(kinds)s.")
                    % {"kinds": ", ".join(EvidenceKind.values)},
                )

    # -- links between items ---------------------------------------------------------------

    def links(self, rows):
        """Every id a row points at is an item of the right list (and the right one)."""
        linked_once = set()
        for row in self.rows:
            for name, target in row.part.references.items():
                file_id = row.references.get(name)
                if file_id is None:
                    continue
                found = self.ids.get(target, {}).get(file_id)
                here = f"{row.where} › {name}"
                if found is None:
                    self.problem(
                        here, _("No item in the file has the id %(id)s.") % {"id": file_id}
                    )
                elif found is row:
                    self.problem(here, _("An item cannot point at itself."))
                elif row.part.model._meta.get_field(name).one_to_one:
                    key = (row.part.key, name, file_id)
                    if key in linked_once:
                        self.problem(
                            here, _("Another item already points at id %(id)s.") % {"id": file_id}
                        )
                    linked_once.add(key)
        for relationship in rows.get("relationships", []):
            self._within_relationship(relationship)

    def _within_relationship(self, relationship):
        steps = relationship.children.get("action_steps", [])
        own_steps = {s.file_id for s in steps}
        for dropin in relationship.children.get("dropins", []):
            step = dropin.references.get("followup_step")
            if (
                step is not None
                and step in self.ids.get("action_steps", {})
                and (step not in own_steps)
            ):
                self.problem(
                    f"{dropin.where} › followup_step",
                    _("A drop-in can only follow up a step of the same coaching."),
                )
        open_steps = [s for s in steps if s.values.get("closed_on") is None]
        if len(open_steps) > 1:
            self.problem(relationship.where, _("Only one action step can be open at a time."))
        proposals = relationship.children.get("step_proposals", [])
        if len([p for p in proposals if p.values.get("status") == "open"]) > 1:
            self.problem(relationship.where, _("Only one proposed step can wait at a time."))
        numbers = [
            a.values.get("number") for a in relationship.children.get("agreement_versions", [])
        ]
        if len(numbers) != len(set(numbers)):
            self.problem(relationship.where, _("Two learning agreements have the same number."))
        for version in relationship.children.get("agreement_versions", []):
            consents = version.children.get("consents", [])
            if len([c for c in consents if (c.people.get("person") or {}).get("is_teacher")]) > 1:
                self.problem(version.where, _("The teacher agreed to this version twice."))


def _where(path):
    """A place in the file as the reader names it: ``relationship 1 › action step 3 › set_on``."""
    labels = {part.key: part.label for part in all_parts()}
    names, key = [], None
    for step in path:
        if isinstance(step, int) and key in labels:
            names[-1] = f"{labels[key]} {step + 1}"
        else:
            names.append(str(step))
        key = step
    return " › ".join(names)


def _schema_problems(data):
    """Where the file breaks the published schema. The reader's own checks come first and
    name problems in their own words; this only speaks when the two disagree."""
    errors = Draft202012Validator(record_schema()).iter_errors(data)
    return [
        Problem(_where(error.absolute_path), error.message)
        for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])
    ]


def read_record(raw):
    """The checked contents of a teacher-record file (bytes or text), or ``RecordProblems``."""
    reader = _Reader()
    record = reader.read(raw)
    if not reader.problems:
        reader.problems.extend(_schema_problems(reader.data))
    if reader.problems:
        raise RecordProblems(reader.problems)
    return record
