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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coachloop.coaching.models import ActionStep, DropIn, Relationship
from coachloop.coaching.portability.format import TEACHER_STANDS_IN, all_parts
from coachloop.coaching.portability.importer import Problem, RecordProblems, read_record
from coachloop.common.audit import audit_record
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import trust_scope
from coachloop.frameworks.models import Step, Strand
from coachloop.people.models import Role, User

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
    def __init__(self, *, trust, teacher, record):
        self.trust = trust
        self.teacher = teacher
        self.record = record
        self.matcher = _Matcher()
        self.created = {}
        self.counts = {part.key: 0 for part in all_parts()}
        self.stood_in = 0
        self.consents_left = 0
        self.saved_files = []

    def write(self):
        for rel in self.record.rows["relationships"]:
            self.relationship(rel)
        for goal in self.record.rows["goals"]:
            self.row(goal, teacher=self.teacher, relationship=self.linked(goal, "relationship"))
            for note in goal.children["progress_notes"]:
                self.row(note, goal=self.created[("goals", goal.file_id)])
        for reflection in self.record.rows["reflections"]:
            self.row(
                reflection,
                teacher=self.teacher,
                goal=self.linked(reflection, "goal"),
                action_step=self.linked(reflection, "action_step"),
            )
        for item in self.record.rows["evidence"]:
            self.evidence(item)
        for stage in self.record.rows["stage_assessments"]:
            self.row(stage, teacher=self.teacher, strand=None)
        self.second_pass()

    # -- one row ---------------------------------------------------------------------------

    def person(self, row, name):
        ref = row.people[name]
        if ref is not None and ref["is_teacher"]:
            return self.teacher
        if (row.part.key, name) in TEACHER_STANDS_IN:
            if ref is not None:
                self.stood_in += 1
            return self.teacher
        return None

    def linked(self, row, name):
        file_id = row.references.get(name)
        target = row.part.references[name]
        return None if file_id is None else self.created[(target, file_id)]

    def build(self, row, **links):
        fields = dict(row.values)
        for name in row.part.people:
            fields[name] = self.person(row, name)
        for name, kind in row.part.framework.items():
            fields[name] = self.matcher.find(kind, row.framework[name])
        fields.update(links)
        return row.part.model(trust=self.trust, **fields)

    def keep(self, row, obj):
        self.created[(row.part.key, row.file_id)] = obj
        self.counts[row.part.key] += 1
        return obj

    def row(self, row, **links):
        obj = self.build(row, **links)
        obj.save()
        return self.keep(row, obj)

    # -- coaching and what hangs from it ---------------------------------------------------

    def relationship(self, row):
        record = self.record
        rel = self.build(
            row,
            teacher=self.teacher,
            school=None,
            coach=None,
            imported_from=imported_from(row, record),
            imported_coach_name=row.special["coach_name"],
        )
        if rel.finished_on is None:  # coaching still running when exported ends on that day
            rel.finished_on = max(record.export_date, rel.started_on)
        rel.save()
        self.keep(row, rel)
        for step in row.children["action_steps"]:
            created = self.row(step, relationship=rel)
            for rehearsal in step.children["rehearsals"]:
                self.row(rehearsal, action_step=created)
        # A step still open when the coaching ended closes with it, as when coaching ends here.
        ActionStep.objects.filter(relationship=rel, closed_on__isnull=True).update(
            closed_on=Greatest(F("set_on"), Value(rel.finished_on)),
            outcome=ActionStep.Outcome.COACHING_ENDED,
        )
        for dropin in row.children["dropins"]:
            self.dropin(dropin, rel)
        for version in row.children["agreement_versions"]:
            created = self.row(version, relationship=rel, group=None)
            for consent in version.children["consents"]:
                if (consent.people["person"] or {}).get("is_teacher"):
                    self.row(consent, version=created)
                else:
                    self.consents_left += 1
        for proposal in row.children["step_proposals"]:
            self.row(proposal, relationship=rel, action_step=self.linked(proposal, "action_step"))

    def dropin(self, row, rel):
        created_at, updated_at = row.values["created_at"], row.values["updated_at"]
        obj = self.row(
            row,
            relationship=rel,
            followup_step=self.linked(row, "followup_step"),
            is_draft=False,
        )
        # Both are set by the database on save; the record keeps when they really were.
        DropIn.objects.filter(pk=obj.pk).update(created_at=created_at, updated_at=updated_at)
        obj.created_at, obj.updated_at = created_at, updated_at

    def evidence(self, row):
        item = self.build(
            row,
            teacher=self.teacher,
            goal=self.linked(row, "goal"),
            action_step=self.linked(row, "action_step"),
        )
        upload = row.special["file"]
        if upload is not None:
            item.file_suffix = upload["suffix"]
            item.file.save(
                item.original_name or "evidence", ContentFile(upload["content"]), save=False
            )
            self.saved_files.append(item.file.name)
        item.save()
        self.keep(row, item)

    def second_pass(self):
        """Links between rows of the same list, now that every row exists."""
        for rel in self.record.rows["relationships"]:
            earlier = self.linked(rel, "handed_over_from")
            if earlier is not None:
                obj = self.created[("relationships", rel.file_id)]
                obj.handed_over_from = earlier
                obj.save(update_fields=["handed_over_from"])
            for step in rel.children["action_steps"]:
                continues = self.linked(step, "continues")
                if continues is not None:
                    obj = self.created[("action_steps", step.file_id)]
                    obj.continues = continues
                    obj.save(update_fields=["continues"])

    def notes(self):
        notes = []
        if self.matcher.unmatched:
            notes.append(
                ngettext(
                    "%(n)s framework step or strand named in the file is not in this trust's "
                    "framework: the step's own title is kept, with no link.",
                    "%(n)s framework steps or strands named in the file are not in this trust's "
                    "framework: each step's own title is kept, with no link.",
                    self.matcher.unmatched,
                )
                % {"n": self.matcher.unmatched}
            )
        if self.stood_in:
            notes.append(
                ngettext(
                    "%(n)s rehearsal, agreement or proposal was written by someone who has no "
                    "account here: the teacher is named in their place.",
                    "%(n)s rehearsals, agreements or proposals were written by people who have "
                    "no account here: the teacher is named in their place.",
                    self.stood_in,
                )
                % {"n": self.stood_in}
            )
        if self.consents_left:
            notes.append(
                ngettext(
                    "%(n)s agreement by someone else (a coach) is not kept as a consent here; "
                    "the date each version came into force is kept.",
                    "%(n)s agreements by others (coaches) are not kept as consents here; the "
                    "date each version came into force is kept.",
                    self.consents_left,
                )
                % {"n": self.consents_left}
            )
        return notes


def _check_actor(viewer, trust):
    if viewer is None:
        return None
    if viewer.trust.pk != trust.pk or not viewer.has_role(Role.ADMINISTRATOR):
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
    writer = _Writer(trust=trust, teacher=teacher, record=record)
    writer.saved_files = saved_files
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
