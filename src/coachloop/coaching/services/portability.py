"""Importing a teacher's record from elsewhere, and noting each export of one.

An import is all or nothing: the whole file is checked first (coaching/portability/importer.py)
and nothing is written if anything is wrong. The history arrives as imported rows: coaching
relationships with no school or coach here, only their names, already finished; everything else
hangs from them or from the teacher as it did before. Nobody is given a role: an administrator
adds the teacher's roles separately.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coachloop.coaching.models import ActionStep, DropIn, Relationship
from coachloop.coaching.portability.format import PARTS, all_parts
from coachloop.coaching.portability.importer import Problem, RecordProblems, read_record
from coachloop.common.audit import audit_record
from coachloop.common.downloads import download_prepare
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import trust_scope
from coachloop.frameworks.models import Step, Strand
from coachloop.people.models import User

IMPORTED = "teacher_record.imported"
EXPORTED = "teacher_record.exported"


@transaction.atomic
def teacher_record_exported(*, actor, teacher, trust, file_format):
    """Note in the audit trail that ``teacher``'s record left Coachloop (``actor`` is None
    when an operator exported it at the command line)."""
    return audit_record(
        actor=actor,
        verb=EXPORTED,
        target=teacher,
        subject=teacher,
        trust=trust,
        summary=f"{file_format}" + ("" if actor else ", by an operator's command"),
    )


RECORD_PDF = "coaching.record_pdf"


@transaction.atomic
def teacher_record_pdf_prepare(*, viewer, back=("", "")):
    """Ask for the viewer's own record as a PDF, made by the task worker
    (``common.downloads``); the download to send them to. Audited as an export now, when
    the person asks for it."""
    teacher = viewer.user
    name = slugify(teacher.full_name) or "teacher"
    download = download_prepare(
        owner=teacher,
        trust=viewer.trust,
        kind=RECORD_PDF,
        title=_("Your coaching record as a PDF"),
        file_name=f"coachloop-record-{name}-{timezone.localdate():%Y-%m-%d}.pdf",
        content_type="application/pdf",
        back=back,
    )
    teacher_record_exported(actor=teacher, teacher=teacher, trust=viewer.trust, file_format="PDF")
    return download


@dataclass
class ImportResult:
    teacher: object
    created_teacher: bool
    counts: dict  # list key in the file -> rows written
    notes: list  # what the import could not keep exactly, in words
    created: dict = field(default_factory=dict)  # (list key, file id) -> the new row


def _marker(record):
    return f"record exported at {record.exported_at.isoformat()}"[:200]


def _place(school, trust_name):
    return f"{school}, {trust_name}"[:200]


def imported_from(row, record):
    """Where an imported relationship came from: kept as it was if it had come from
    elsewhere already, else "<school>, <trust>"."""
    return row.values.get("imported_from") or _place(row.special["school"], record.trust_name)


def _problems_here(record, trust, teacher):
    """A file already imported here (or coaching already brought in) is refused: no duplicates."""
    if teacher is None:
        return []
    problems = []
    earlier_event = (
        AuditEvent.objects.filter(
            trust=trust, verb=IMPORTED, subject=teacher, summary=_marker(record)
        )
        .order_by("created_at")
        .first()
    )
    if earlier_event is not None:
        when = date_format(timezone.localtime(earlier_event.created_at), "j F Y")
        problems.append(
            Problem(
                "",
                _(
                    "This file was already imported into %(trust)s on %(date)s. Importing it "
                    "again would copy the record twice."
                )
                % {"trust": trust.name, "date": when},
            )
        )
        return problems
    imported = set(
        Relationship.objects.filter(teacher=teacher, school__isnull=True).values_list(
            "imported_from", "kind", "started_on"
        )
    )
    # A record exported from this very trust: its coaching is here already, as it happened.
    here = set()
    if record.trust_name == trust.name:
        here = set(
            Relationship.objects.filter(teacher=teacher, school__isnull=False).values_list(
                "school__name", "kind", "started_on"
            )
        )
    for row in record.rows["relationships"]:
        kind, started_on = row.values["kind"], row.values["started_on"]
        place = imported_from(row, record)
        if (place, kind, started_on) in imported:
            message = _(
                "This coaching (from %(place)s, started %(date)s) is already in this "
                "trust's records: it was imported before."
            )
        elif (row.special["school"], kind, started_on) in here:
            message = _(
                "This coaching (at %(place)s, started %(date)s) is already in this trust's "
                "records: the file was exported from here."
            )
            place = row.special["school"]
        else:
            continue
        problems.append(
            Problem(row.where, message % {"place": place, "date": date_format(started_on, "j F Y")})
        )
    return problems


class _Matcher:
    """Links an imported step or strand to this trust's own framework when one matches it
    exactly (the same codes and titles, in a current version); otherwise none."""

    def __init__(self):
        self.steps = {}
        for step in Step.objects.filter(
            school__isnull=True, strand__version__is_current=True
        ).select_related("strand"):
            key = (step.strand.code, step.strand.title, step.code, step.title)
            self.steps.setdefault(key, []).append(step)
        self.strands = {}
        for strand in Strand.objects.filter(version__is_current=True):
            self.strands.setdefault((strand.code, strand.title), []).append(strand)
        self.unmatched = 0

    def find(self, kind, ref):
        if ref is None:
            return None
        if kind == "strand":
            found = self.strands.get((ref["code"], ref["title"]), [])
        else:
            key = (ref["strand_code"], ref["strand_title"], ref["code"], ref["title"])
            found = self.steps.get(key, [])
        if len(found) == 1:
            return found[0]
        self.unmatched += 1
        return None


class _Writer:
    """Writes the checked rows, one generic way: each row with its parent, its people, its
    framework link and its links to other rows, then its children (format.PARTS)."""

    def __init__(self, *, trust, teacher, record, saved_files):
        self.trust = trust
        self.teacher = teacher
        self.record = record
        self.saved_files = saved_files
        self.matcher = _Matcher()
        self.created = {}
        self.counts = {part.key: 0 for part in all_parts()}
        self.later = []  # (row, field) links to rows not yet written when their row was
        self.unknown_people = set()  # names of people in the file with no account here

    def write(self):
        for part in PARTS:
            for row in self.record.rows[part.key]:
                self.row(row)
        for row, name in self.later:
            obj = self.created[(row.part.key, row.file_id)]
            setattr(obj, name, self.created[(row.part.references[name], row.references[name])])
            obj.save(update_fields=[name])

    def person(self, row, name, kept):
        ref = row.people[name]
        if ref is None:
            return None
        if ref["is_teacher"]:
            return self.teacher
        kept[name] = {"name": ref["name"]}
        self.unknown_people.add(ref["name"])
        return None

    def framework(self, row, name, kind, kept):
        ref = row.framework[name]
        found = self.matcher.find(kind, ref)
        if found is None and ref is not None:
            kept[name] = ref
        return found

    def linked(self, row, name):
        file_id = row.references[name]
        if file_id is None:
            return None
        found = self.created.get((row.part.references[name], file_id))
        if found is None:
            self.later.append((row, name))
        return found

    def fields(self, row, parent):
        part = row.part
        fields = {**row.values, **parent}
        kept = {}
        fields.update((name, self.person(row, name, kept)) for name in part.people)
        fields.update(
            (name, self.framework(row, name, kind, kept)) for name, kind in part.framework.items()
        )
        if kept:
            fields["as_imported"] = kept
        fields.update((name, self.linked(row, name)) for name in part.references)
        if "teacher" in part.special:
            fields["teacher"] = self.teacher
        if part.key == "relationships":
            fields.update(
                school=None,
                coach=None,
                imported_from=imported_from(row, self.record),
                imported_coach_name=row.special["coach_name"],
                # Coaching still running when exported ends on that day.
                finished_on=fields["finished_on"]
                or max(self.record.export_date, fields["started_on"]),
            )
        elif part.key == "dropins":
            fields["is_draft"] = False
        return fields

    def row(self, row, **parent):
        """Write ``row``, then its children."""
        part = row.part
        obj = part.model(trust=self.trust, **self.fields(row, parent))
        upload = row.special.get("file")
        if upload is not None:
            obj.file_suffix = upload["suffix"]
            obj.file.save(
                obj.original_name or "evidence", ContentFile(upload["content"]), save=False
            )
            self.saved_files.append(obj.file.name)
        obj.save()
        if part.key == "dropins":
            # Both are set by the database on save; the record keeps when they really were.
            obj.created_at, obj.updated_at = row.values["created_at"], row.values["updated_at"]
            DropIn.objects.filter(pk=obj.pk).update(
                created_at=obj.created_at, updated_at=obj.updated_at
            )
        self.created[(part.key, row.file_id)] = obj
        self.counts[part.key] += 1
        for child in part.children:
            for child_row in row.children[child.key]:
                self.row(child_row, **{child.parent: obj})
        if part.key == "relationships":
            # A step still open when the coaching ended closes with it, as when coaching ends
            # here.
            ActionStep.objects.filter(relationship=obj, closed_on__isnull=True).update(
                closed_on=Greatest(F("set_on"), Value(obj.finished_on)),
                outcome=ActionStep.Outcome.COACHING_ENDED,
            )

    def notes(self):
        notes = []
        if self.matcher.unmatched:
            notes.append(
                ngettext(
                    "%(n)s framework step or strand named in the file is not in this trust's "
                    "framework: its code and title are kept as the file gave them, with no "
                    "link.",
                    "%(n)s framework steps or strands named in the file are not in this trust's "
                    "framework: their codes and titles are kept as the file gave them, with no "
                    "link.",
                    self.matcher.unmatched,
                )
                % {"n": self.matcher.unmatched}
            )
        if self.unknown_people:
            notes.append(
                ngettext(
                    "%(n)s person named in the file (%(names)s) has no account here: their "
                    "name is kept with what they wrote or agreed.",
                    "%(n)s people named in the file (%(names)s) have no account here: their "
                    "names are kept with what they wrote or agreed.",
                    len(self.unknown_people),
                )
                % {"n": len(self.unknown_people), "names": ", ".join(sorted(self.unknown_people))}
            )
        return notes


def _check_actor(viewer, trust):
    if viewer is None:
        return None
    if viewer.trust.pk != trust.pk or not viewer.is_administrator:
        raise PermissionDenied
    return viewer.user


def teacher_record_import(*, viewer=None, trust, raw):
    """Import a teacher-record file (bytes or text) into ``trust``, all or nothing.

    ``viewer`` is the trust's administrator importing it, or None for an operator at the
    command line. Raises ``RecordProblems`` (every problem, nothing written).
    """
    actor = _check_actor(viewer, trust)
    record = read_record(raw)
    saved_files = []
    try:
        with transaction.atomic(), trust_scope(trust):
            result = _write(actor=actor, trust=trust, record=record, saved_files=saved_files)
    except IntegrityError as error:
        _forget(saved_files)
        raise RecordProblems(
            [Problem("", _("The record could not be saved (%(error)s).") % {"error": error})]
        ) from error
    except BaseException:
        _forget(saved_files)
        raise
    return result


def _write(*, actor, trust, record, saved_files):
    # Holding the person's row makes two imports of the same record run one after the other,
    # so the second sees the first and is refused.
    teacher = User.objects.select_for_update().filter(email__iexact=record.teacher_email).first()
    problems = _problems_here(record, trust, teacher)
    if problems:
        raise RecordProblems(problems)
    created_teacher = teacher is None
    if created_teacher:
        # No password and no role: they set a password through "forgotten password" once
        # an administrator has given them a role here.
        teacher = User.objects.create_user(
            email=record.teacher_email, password=None, full_name=record.teacher_name
        )
    writer = _Writer(trust=trust, teacher=teacher, record=record, saved_files=saved_files)
    writer.write()
    audit_record(
        actor=actor,
        verb=IMPORTED,
        target=teacher,
        subject=teacher,
        trust=trust,
        summary=_marker(record),
    )
    return ImportResult(
        teacher=teacher,
        created_teacher=created_teacher,
        counts=writer.counts,
        notes=writer.notes(),
        created=writer.created,
    )


def _forget(names):
    """Files saved before the import failed: nothing refers to them, so they go."""
    for name in names:
        default_storage.delete(name)
