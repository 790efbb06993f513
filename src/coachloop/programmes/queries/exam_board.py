"""An assignment's marks and their whole history, as the exam board reads them: one row per
attempt handed in ("Marks") and one per event in its mark history ("History"). For the
programme's lead and moderators; each teacher's marks read are recorded in their trail, and
the export itself in the assignment's audit trail. A fixed number of queries, whatever the
size of the cohort. For the API: the programmes a person leads, and an assignment's released
marks alone (``released_marks``), for its lead, each read recorded as the board's are."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coachloop.common.audit import READ, audit_record
from coachloop.common.models import AuditEvent
from coachloop.common.spreadsheets import Column, Sheet
from coachloop.programmes.models import (
    Assignment,
    Band,
    Enrolment,
    Mark,
    MarkEvent,
    Module,
    Programme,
    ProgrammeStaff,
    Submission,
)
from coachloop.programmes.queries.staff_pages import LEAD, MODERATOR, assignment_for_staff

READ_SUMMARY = "marks and history, for the exam board"
RELEASED_SUMMARY = "released marks, through the API"
# A read of each handed-in submission of an assignment, in one statement (see ``_record``).
READS_SQL = (
    "INSERT INTO {events} (trust_id, created_at, actor_id, subject_id, verb, target_type, "
    "target_id, summary) "
    "SELECT s.trust_id, %s, %s, e.teacher_id, %s, %s, CAST(s.id AS VARCHAR(40)), %s "
    "FROM {submissions} s INNER JOIN {enrolments} e ON e.id = s.enrolment_id "
    "WHERE s.assignment_id = %s AND s.status <> %s AND e.teacher_id <> %s"
)
# The same for the current attempts whose marks are released (``released_marks``).
RELEASED_READS_SQL = (
    "INSERT INTO {events} (trust_id, created_at, actor_id, subject_id, verb, target_type, "
    "target_id, summary) "
    "SELECT s.trust_id, %s, %s, e.teacher_id, %s, %s, CAST(s.id AS VARCHAR(40)), %s "
    "FROM {submissions} s INNER JOIN {enrolments} e ON e.id = s.enrolment_id "
    "WHERE s.assignment_id = %s AND s.status = %s AND s.is_current AND e.teacher_id <> %s"
)


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list  # each a list of text, whole numbers, times, booleans or None (an empty cell)
    kinds: tuple = ()  # each column's kind in a download (``common.spreadsheets``)

    def columns(self):
        return [Column(h, kind) for h, kind in zip(self.headers, self.kinds, strict=True)]

    def sheet(self):
        return Sheet(self.title, self.columns(), self.rows)


@dataclass
class ExamBoard:
    assignment: object
    marks: Table
    history: Table

    def table(self, key):
        return {"marks": self.marks, "history": self.history}.get(key)


MARKS_HEADERS = (
    gettext_lazy("Teacher"),
    gettext_lazy("School"),
    gettext_lazy("Attempt"),
    gettext_lazy("Due"),
    gettext_lazy("Extension to"),
    gettext_lazy("Handed in"),
    gettext_lazy("Late"),
    gettext_lazy("First marker"),
    gettext_lazy("First mark"),
    gettext_lazy("Second marker"),
    gettext_lazy("Second mark"),
    gettext_lazy("Third marker"),
    gettext_lazy("Third mark"),
    gettext_lazy("Agreed mark"),
    gettext_lazy("How agreed"),
    gettext_lazy("Why"),
    gettext_lazy("In moderation sample"),
    gettext_lazy("Moderator"),
    gettext_lazy("Moderated mark"),
    gettext_lazy("Moderation note"),
    gettext_lazy("Corrected mark"),
    gettext_lazy("Cap"),
    gettext_lazy("Final mark"),
    gettext_lazy("Band"),
    gettext_lazy("Released on"),
)
MARKS_KINDS = (
    "text",
    "text",
    "int",
    "datetime",
    "datetime",
    "datetime",
    "flag",
    "text",
    "int",
    "text",
    "int",
    "text",
    "int",
    "int",
    "text",
    "text",
    "flag",
    "text",
    "int",
    "text",
    "int",
    "int",
    "int",
    "text",
    "datetime",
)

HISTORY_HEADERS = (
    gettext_lazy("Teacher"),
    gettext_lazy("Attempt"),
    gettext_lazy("When"),
    gettext_lazy("Who"),
    gettext_lazy("What"),
    gettext_lazy("Marker"),
    gettext_lazy("Mark before"),
    gettext_lazy("Mark after"),
    gettext_lazy("Reason"),
)
HISTORY_KINDS = ("text", "int", "datetime", "text", "text", "text", "int", "int", "text")


def _name(person):
    return person.full_name if person else ""


def exam_board(viewer, assignment_id):
    """The assignment's exam-board tables, for its programme's lead or a moderator (404 for
    anyone not on the programme's staff, 403 for a tutor). Records the reads and the export."""
    assignment, _roles = assignment_for_staff(viewer, assignment_id, allowed=(LEAD, MODERATOR))
    bands = list(Band.objects.filter(assignment=assignment))
    events = MarkEvent.objects.select_related("actor", "person").order_by("at", "pk")
    submissions = list(
        Submission.objects.filter(assignment=assignment)
        .exclude(status=Submission.Status.DRAFTING)
        .select_related(
            "enrolment__teacher",
            "enrolment__school",
            "first_marker",
            "second_marker",
            "third_marker",
            "moderator",
        )
        .prefetch_related("marks", Prefetch("events", queryset=events))
        .order_by("enrolment__teacher__full_name", "enrolment_id", "attempt")
    )
    for submission in submissions:
        submission.assignment = assignment  # for the due date, without a query each
    board = ExamBoard(
        assignment=assignment,
        marks=Table(
            "marks",
            _("Marks"),
            [str(h) for h in MARKS_HEADERS],
            [_marks_row(s, bands) for s in submissions],
            MARKS_KINDS,
        ),
        history=Table(
            "history",
            _("History"),
            [str(h) for h in HISTORY_HEADERS],
            [row for s in submissions for row in _history_rows(s)],
            HISTORY_KINDS,
        ),
    )
    _record(viewer, assignment, submissions)
    return board


def _marks_row(submission, bands):
    marks = {m.position: m.overall for m in submission.marks.all()}
    band = Band.containing(bands, submission.final_mark)
    released = submission.status == Submission.Status.RELEASED
    return [
        submission.enrolment.teacher.full_name,
        submission.enrolment.school.name,
        submission.attempt,
        submission.due_at,
        submission.extended_due_at if submission.is_extended else None,
        submission.submitted_at,
        submission.is_late,
        _name(submission.first_marker),
        marks.get(Mark.Position.FIRST),
        _name(submission.second_marker),
        marks.get(Mark.Position.SECOND),
        _name(submission.third_marker),
        marks.get(Mark.Position.THIRD),
        submission.agreed_mark,
        submission.get_agreed_by_display() if submission.agreed_by else "",
        submission.agreed_reason,
        submission.in_sample,
        _name(submission.moderator),
        submission.moderated_mark,
        submission.moderation_note,
        submission.corrected_mark,
        submission.mark_cap,
        submission.final_mark,
        band.name if band else "",
        submission.released_at if released else None,
    ]


def _history_rows(submission):
    teacher = submission.enrolment.teacher.full_name
    return [
        [
            teacher,
            submission.attempt,
            event.at,
            _name(event.actor),
            _what(event),
            event.get_position_display() if event.position else "",
            event.previous_mark,
            event.mark,
            event.reason,
        ]
        for event in submission.events.all()
    ]


def _what(event):
    """The event, with the person it appointed or whose mark went, where there is one."""
    what = event.get_kind_display()
    if event.person is not None:
        what = f"{what}: {event.person.full_name}"
    return what


def _record(viewer, assignment, submissions):
    """The export in the assignment's trail, and a read in the trail of each teacher whose
    work it holds: two queries however many teachers (one INSERT ... SELECT for the reads,
    since a bulk insert is split into batches on SQLite)."""
    audit_record(
        actor=viewer.user,
        verb="assignment.exam_board_exported",
        target=assignment,
        summary=f"{len(submissions)} submissions",
    )
    _record_reads(viewer, assignment, READS_SQL, READ_SUMMARY, Submission.Status.DRAFTING)


def _record_reads(viewer, assignment, statement, summary, status):
    """A read in the trail of each teacher whose work ``statement`` picks (by ``status``)."""
    events, handed_in, enrolments = (
        connection.ops.quote_name(model._meta.db_table)
        for model in (AuditEvent, Submission, Enrolment)
    )
    # The tables' names are our own models'; the values are parameters.
    sql = statement.format(events=events, submissions=handed_in, enrolments=enrolments)  # nosec B608
    params = [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        viewer.pk,
        READ,
        Submission._meta.label_lower,
        summary,
        assignment.pk,
        status,
        viewer.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# The released marks' fields, named for the API, in ``_marks_row``'s order.
MARKS_FIELDS = (
    "teacher",
    "school",
    "attempt",
    "due_at",
    "extended_to",
    "handed_in_at",
    "late",
    "first_marker",
    "first_mark",
    "second_marker",
    "second_mark",
    "third_marker",
    "third_mark",
    "agreed_mark",
    "how_agreed",
    "why",
    "in_moderation_sample",
    "moderator",
    "moderated_mark",
    "moderation_note",
    "corrected_mark",
    "cap",
    "final_mark",
    "band",
    "released_at",
)


def released_marks(viewer, assignment_id):
    """The marks of the assignment's released work, each teacher's current attempt only, by
    field name (``MARKS_FIELDS``), for its programme's lead (404 for anyone not on the
    programme's staff, 403 for a tutor or moderator). Work not yet released is never here.
    Each teacher's marks read are recorded in their trail, as the exam board's are."""
    assignment, _roles = assignment_for_staff(viewer, assignment_id, allowed=(LEAD,))
    bands = list(Band.objects.filter(assignment=assignment))
    submissions = list(
        Submission.objects.filter(
            assignment=assignment, status=Submission.Status.RELEASED, is_current=True
        )
        .select_related(
            "enrolment__teacher",
            "enrolment__school",
            "first_marker",
            "second_marker",
            "third_marker",
            "moderator",
        )
        .prefetch_related("marks")
        .order_by("enrolment__teacher__full_name", "enrolment_id", "attempt")
    )
    rows = []
    for submission in submissions:
        submission.assignment = assignment  # for the due date, without a query each
        rows.append(
            {"submission_id": submission.pk}
            | dict(zip(MARKS_FIELDS, _marks_row(submission, bands), strict=True))
        )
    _record_reads(
        viewer, assignment, RELEASED_READS_SQL, RELEASED_SUMMARY, Submission.Status.RELEASED
    )
    return assignment, rows


def programmes_led(viewer):
    """The programmes the viewer leads, each with its modules' assignments (two queries)."""
    return list(
        Programme.objects.filter(staff__person_id=viewer.pk, staff__role=ProgrammeStaff.Role.LEAD)
        .select_related("partner")
        .prefetch_related(
            Prefetch(
                "modules",
                queryset=Module.objects.order_by("starts_on", "code").prefetch_related(
                    Prefetch("assignments", queryset=Assignment.objects.order_by("due_at", "pk"))
                ),
            )
        )
        .distinct()
        .order_by("title", "pk")
    )
