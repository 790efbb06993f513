"""Reads for the teacher's own pages on a programme (their modules and assignments, their
work on one assignment, their portfolio) and for reading one submission or its files.

Who may read a submission: the teacher, their coach and tutor, its markers, and the
programme's lead and moderators. Marks follow ``queries.assessment.assessment_for``: the
teacher (and a coach or tutor who is not marking) sees them only once released; a blind
marker sees only their own until both are in.
"""

from dataclasses import dataclass, field

import rules
from django.db.models import Count, Exists, F, OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coachloop.coaching.models import EvidenceItem, Reflection
from coachloop.common.audit import audit_read
from coachloop.programmes.models import (
    Assignment,
    Band,
    Enrolment,
    Feedback,
    MarkEvent,
    Module,
    PortfolioItem,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from coachloop.programmes.models.assessment import due_for, is_extension
from coachloop.programmes.queries.assessment import as_the_teacher_sees_it, assessment_for
from coachloop.programmes.queries.portfolio import portfolio_for

Status = Submission.Status
# Everything between hand-in and release is "being marked" to the teacher: how the marking goes
# (a disagreement, the lead deciding, moderation) is not theirs to see until release.
BEING_MARKED = {
    Status.IN_MARKING,
    Status.ADJUDICATION,
    Status.MARKING_DONE,
    Status.IN_REVIEW,
    Status.READY,
}
CHOICES_SHOWN = 100  # of each kind offered for a portfolio, newest first


def status_words(submission, versions_count=None):
    """Where the teacher's work is, in words the teacher uses."""
    if submission is None:
        return _("Not started")
    if submission.status == Status.DRAFTING:
        count = submission.versions_count if versions_count is None else versions_count
        return _("Draft saved") if count else _("Not started")
    if submission.status == Status.NOT_MARKED:
        return _("Handed in")
    if submission.status in BEING_MARKED:
        return _("Being marked")
    released_on = submission.released_at
    if released_on is None:
        return _("Marked and released")
    return _("Marked – released on %(date)s") % {"date": day(released_on)}


def day(value):
    """A date or a time as the day it falls on, for example 20 March 2026."""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date() if value.tzinfo else value.date()
    return date_format(value, "j F Y")


band_for = Band.containing


def _bands():
    return Prefetch("bands", queryset=Band.objects.order_by("-lowest"))


# -- the teacher's programme ------------------------------------------------------------------


@dataclass
class AssignmentRow:
    assignment: Assignment
    submission: Submission | None
    due_at: object  # the teacher's own due time (an extension moves it)
    extended: bool
    status: str
    late: bool
    mark: int | None  # only once released
    band: Band | None
    corrected: bool = False  # the released mark was corrected since


def _corrected():
    return Exists(
        MarkEvent.objects.filter(submission=OuterRef("pk"), kind=MarkEvent.Kind.CORRECTED)
    )


@dataclass
class ModuleRows:
    module: Module
    rows: list


@dataclass
class MyEnrolment:
    enrolment: Enrolment
    modules: list = field(default_factory=list)


def my_programmes(viewer):
    """The viewer's enrolments (current first), each with its modules and assignments and
    where the viewer's work on each is. Marks are shown only once released."""
    enrolments = list(
        Enrolment.objects.filter(teacher_id=viewer.pk)
        .select_related("cohort__programme__partner", "coach", "tutor", "school")
        .order_by(F("finished_on").desc(nulls_first=True), "-started_on", "pk")
    )
    if not enrolments:
        return []
    programme_ids = {e.cohort.programme_id for e in enrolments}
    modules = list(
        Module.objects.filter(programme_id__in=programme_ids).prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.prefetch_related(_bands()))
        )
    )
    submissions = {
        (s.enrolment_id, s.assignment_id): s
        # The current attempt: a resubmission after a released fail replaces the first.
        for s in Submission.objects.filter(enrolment__in=enrolments, is_current=True).annotate(
            versions_count=Count("versions"), corrected=_corrected()
        )
    }
    result = []
    for enrolment in enrolments:
        mine = MyEnrolment(enrolment=enrolment)
        for module in modules:
            if module.programme_id != enrolment.cohort.programme_id:
                continue
            rows = []
            for assignment in module.assignments.all():
                submission = submissions.get((enrolment.pk, assignment.pk))
                released = submission is not None and submission.status == Status.RELEASED
                mark = submission.final_mark if released else None
                extended_due_at = submission.extended_due_at if submission else None
                rows.append(
                    AssignmentRow(
                        assignment=assignment,
                        submission=submission,
                        due_at=due_for(extended_due_at, assignment.due_at),
                        extended=is_extension(extended_due_at, assignment.due_at),
                        status=status_words(submission),
                        late=bool(submission and submission.is_late),
                        mark=mark,
                        band=band_for(assignment.bands.all(), mark),
                        corrected=released and submission.corrected,
                    )
                )
            mine.modules.append(ModuleRows(module=module, rows=rows))
        result.append(mine)
    return result


def _my_enrolment(viewer, programme_id):
    """The viewer's enrolment on the programme (a current one first), or 404."""
    enrolment = (
        Enrolment.objects.filter(teacher_id=viewer.pk, cohort__programme_id=programme_id)
        .select_related("cohort__programme", "coach", "tutor")
        .order_by(F("finished_on").desc(nulls_first=True), "-started_on", "pk")
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


# -- one submission ---------------------------------------------------------------------------


def _versions(versions):
    return list(
        versions.prefetch_related(
            "files", Prefetch("feedback", queryset=Feedback.objects.select_related("author"))
        )
    )


def versions_readable_by(viewer, submission):
    """The versions of a submission that someone who may read it (``assessment_for``) reads:
    every one for the teacher, their coach and their tutor (``programmes.read_drafts``); the
    final version only for anyone else. The submission's page lists these and its files
    download from these, so the two can never differ."""
    versions = submission.versions.all()
    if not rules.test_rule("programmes.read_drafts", viewer, submission.enrolment):
        versions = versions.filter(kind=SubmissionVersion.Kind.FINAL)
    return versions


@dataclass
class CriterionMarks:
    criterion: object
    scores: list  # one per mark shown, in the marks' order (None where not given)


@dataclass
class MarksShown:
    marks: list
    criteria: list  # CriterionMarks
    final_mark: int | None
    band: Band | None
    feedback: str = ""  # the one piece of feedback the teacher reads
    corrections: list = field(default_factory=list)
    as_teacher: bool = False


def _marks_shown(assessment, assignment):
    criteria = list(assignment.criteria.all())
    rows = [
        CriterionMarks(criterion=c, scores=[m.scores.get(str(c.pk)) for m in assessment.marks])
        for c in criteria
    ]
    return MarksShown(
        marks=assessment.marks,
        criteria=rows,
        final_mark=assessment.final_mark,
        band=band_for(list(assignment.bands.all()), assessment.final_mark),
        feedback=assessment.feedback,
        corrections=assessment.corrections,
        as_teacher=assessment.as_teacher,
    )


@dataclass
class EarlierAttempt:
    submission: Submission
    mark: int | None  # released, as the teacher read it
    band: Band | None


@dataclass
class SubmissionPage:
    enrolment: Enrolment
    assignment: Assignment
    submission: Submission | None
    versions: list
    status: str
    marks: MarksShown | None  # only once released
    bands: list
    earlier: list = field(default_factory=list)  # EarlierAttempt, the first first

    @property
    def place_ended(self):
        return self.enrolment.finished_on is not None

    @property
    def is_open(self):
        """Whether the teacher can still add a version."""
        if self.place_ended:
            return False
        return self.submission is None or self.submission.status == Status.DRAFTING

    @property
    def due_at(self):
        return due_for(self.submission and self.submission.extended_due_at, self.assignment.due_at)

    @property
    def extended(self):
        return is_extension(
            self.submission and self.submission.extended_due_at, self.assignment.due_at
        )

    @property
    def latest(self):
        return self.versions[-1] if self.versions else None


def submission_page(viewer, assignment_id):
    """The teacher's own work on one assignment of their programme, or 404."""
    assignment = (
        Assignment.objects.select_related("module__programme")
        .prefetch_related("criteria", _bands())
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404
    enrolment = _my_enrolment(viewer, assignment.module.programme_id)
    attempts = list(
        Submission.objects.filter(enrolment=enrolment, assignment=assignment).order_by("attempt")
    )
    for attempt in attempts:
        attempt.assignment = assignment  # its programme's settings are read with it
    submission = next((s for s in attempts if s.is_current), None)
    bands = list(assignment.bands.all())
    earlier = [
        EarlierAttempt(
            submission=s,
            mark=s.final_mark if s.status == Status.RELEASED else None,
            band=band_for(bands, s.final_mark) if s.status == Status.RELEASED else None,
        )
        for s in attempts
        if not s.is_current
    ]
    versions = _versions(submission.versions.all()) if submission else []
    marks = None
    if submission is not None and submission.status == Status.RELEASED:
        released = as_the_teacher_sees_it(
            submission, list(submission.marks.select_related("marker").order_by("position"))
        )
        marks = _marks_shown(released, assignment)
    return SubmissionPage(
        enrolment=enrolment,
        assignment=assignment,
        submission=submission,
        versions=versions,
        status=status_words(submission, len(versions)),
        marks=marks,
        bands=bands,
        earlier=earlier,
    )


@dataclass
class SubmissionReading:
    submission: Submission
    is_teacher: bool
    versions: list
    marks: MarksShown
    hidden: bool
    status: str

    @property
    def extended(self):
        return self.submission.is_extended


def submission_reading(viewer, submission_id):
    """One submission as this person may read it, or 404; a read by anyone but the teacher
    is in the teacher's audit trail."""
    assessment = assessment_for(viewer, submission_id)
    submission = assessment.submission
    assignment = submission.assignment
    prefetch_related_objects([assignment], "criteria", _bands())
    versions = _versions(versions_readable_by(viewer, submission))
    audit_read(
        viewer=viewer.user,
        target=submission,
        subject=submission.enrolment.teacher,
        summary=f"submission for {assignment.title}",
    )
    return SubmissionReading(
        submission=submission,
        is_teacher=submission.enrolment.teacher_id == viewer.pk,
        versions=versions,
        marks=_marks_shown(assessment, assignment),
        hidden=assessment.hidden,
        status=status_words(submission, len(versions)),
    )


def submission_file_for(viewer, file_id):
    """A file of a submission, for someone its page lists it to (``submission_reading``:
    ``assessment_for`` says who may read the submission, ``versions_readable_by`` which of its
    versions), or 404."""
    found = SubmissionFile.objects.select_related("version").filter(pk=file_id).first()
    if found is None:
        raise Http404
    submission = assessment_for(viewer, found.version.submission_id).submission
    if not versions_readable_by(viewer, submission).filter(pk=found.version_id).exists():
        raise Http404
    audit_read(
        viewer=viewer.user,
        target=submission,
        subject=submission.enrolment.teacher,
        summary=f"file {found.original_name}",
    )
    return found


# -- the portfolio ----------------------------------------------------------------------------


@dataclass
class Choice:
    key: str  # as posted: "evidence-12", "reflection-3", "version-7"
    kind: str
    title: str
    detail: str
    item: object


@dataclass
class PortfolioBuilder:
    enrolment: Enrolment
    module: Module
    items: list  # PortfolioItem
    choices: list = field(default_factory=list)

    def choice(self, key):
        return next((c for c in self.choices if c.key == key), None)


def portfolio_builder(viewer, module_id):
    """The teacher's portfolio for a module of their programme, and what of theirs they can
    still put in it; 404 for a module not on their programme."""
    module = Module.objects.filter(pk=module_id).first()
    if module is None:
        raise Http404
    enrolment = _my_enrolment(viewer, module.programme_id)
    portfolio = portfolio_for(viewer, enrolment_id=enrolment.pk, module_id=module.pk)
    taken = {
        "evidence": {i.evidence_id for i in portfolio.items if i.evidence_id},
        "reflection": {i.reflection_id for i in portfolio.items if i.reflection_id},
        "version": {i.submission_version_id for i in portfolio.items if i.submission_version_id},
    }
    builder = PortfolioBuilder(enrolment=enrolment, module=portfolio.module, items=portfolio.items)
    for item in EvidenceItem.objects.filter(teacher_id=viewer.pk).exclude(pk__in=taken["evidence"])[
        :CHOICES_SHOWN
    ]:
        builder.choices.append(
            Choice(
                key=f"evidence-{item.pk}",
                kind=_("Evidence"),
                title=item.title,
                detail=f"{item.get_kind_display()}, {day(item.added_on)}",
                item=item,
            )
        )
    for item in Reflection.objects.filter(teacher_id=viewer.pk).exclude(pk__in=taken["reflection"])[
        :CHOICES_SHOWN
    ]:
        builder.choices.append(
            Choice(
                key=f"reflection-{item.pk}",
                kind=_("Reflection"),
                title=item.title,
                detail=day(item.written_on),
                item=item,
            )
        )
    versions = (
        SubmissionVersion.objects.filter(submission__enrolment=enrolment)
        .exclude(pk__in=taken["version"])
        .select_related("submission__assignment", "submission__enrolment")
        .order_by("-created_at", "-pk")[:CHOICES_SHOWN]
    )
    for item in versions:
        builder.choices.append(
            Choice(
                key=f"version-{item.pk}",
                kind=_("Submission"),
                title=item.submission.assignment.title,
                detail=ngettext(
                    "Version %(number)s (%(kind)s), %(words)s word",
                    "Version %(number)s (%(kind)s), %(words)s words",
                    item.word_count,
                )
                % {
                    "number": item.number,
                    "kind": item.get_kind_display(),
                    "words": item.word_count,
                },
                item=item,
            )
        )
    return builder


def portfolio_entry_for(viewer, item_id):
    """One entry of the teacher's own portfolio, or 404."""
    entry = (
        PortfolioItem.objects.select_related("enrolment", "module")
        .filter(pk=item_id, enrolment__teacher_id=viewer.pk)
        .first()
    )
    if entry is None:
        raise Http404
    return entry
