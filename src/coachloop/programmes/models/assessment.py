"""Submissions and their assessment: versions and files, extensions, formative feedback, two
markers' marks, the agreed mark, moderation and release.

A submission moves one way through its workflow (``Submission.Status``); the teacher sees marks
and summative feedback only once it is released.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel
from coachloop.programmes.models.programmes import PERCENT, Assignment, Enrolment


def due_for(extended_due_at, assignment_due_at):
    """The due time that holds for a teacher: their extension's, when they have one later
    than the assignment's, else the assignment's (for loops that hold both values)."""
    if is_extension(extended_due_at, assignment_due_at):
        return extended_due_at
    return assignment_due_at


def is_extension(extended_due_at, assignment_due_at):
    return extended_due_at is not None and extended_due_at > assignment_due_at


def uncapped_mark(agreed_mark, moderated_mark, corrected_mark):
    """``Submission.uncapped_mark`` from the three marks (for rows read as values)."""
    for mark in (corrected_mark, moderated_mark):
        if mark is not None:
            return mark
    return agreed_mark


def capped_mark(mark, mark_cap):
    """``mark`` held to an attempt's cap, if it has one (``Submission.final_mark``)."""
    if mark is None or mark_cap is None:
        return mark
    return min(mark, mark_cap)


class Submission(TenantModel):
    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        NOT_MARKED = "not_marked", _("Not marked")
        IN_MARKING = "in_marking", _("In marking")
        MARKING_DONE = "marking_done", _("Marking done")
        IN_REVIEW = "in_review", _("In review")
        READY = "ready", _("Ready for release")
        RELEASED = "released", _("Released")
        # The markers could not agree, or a third marker is settling it.
        ADJUDICATION = "adjudication", _("With the programme lead")

    class AgreedBy(models.TextChoices):
        MEAN = "mean", _("The mean of the two marks")
        FIRST_MARKER = "first_marker", _("The first marker's mark")
        RECONCILED = "reconciled", _("Agreed by the markers")
        ADJUDICATED = "adjudicated", _("Decided by the programme lead")
        THIRD_MARKER = "third_marker", _("The third marker's mark")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="submissions")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFTING)
    # The due time an extension set; empty unless the teacher's tutor granted one. Everyone
    # else is due when the assignment is (``due_at``), so moving the assignment moves them.
    extended_due_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(default=False)
    first_marker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    second_marker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Appointed by the programme lead when the two markers cannot agree; their mark settles it.
    third_marker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    agreed_mark = models.PositiveSmallIntegerField(null=True, blank=True, validators=PERCENT)
    agreed_by = models.CharField(max_length=20, choices=AgreedBy.choices, blank=True)
    agreed_reason = models.TextField(max_length=2000, blank=True)
    # Which of the two markers recorded a reconciled mark, for the other and the moderator.
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The other marker, who confirmed the reconciled mark the first proposed.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    # The feedback the teacher reads with the mark (unless the programme gives them the first
    # marker's): written when the marks are agreed.
    agreed_feedback = models.TextField(_("agreed feedback"), max_length=8000, blank=True)
    in_sample = models.BooleanField(default=False)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    moderated_mark = models.PositiveSmallIntegerField(null=True, blank=True, validators=PERCENT)
    moderation_note = models.TextField(max_length=2000, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    # A correction after release, with its reason in the mark history (``MarkEvent``).
    corrected_mark = models.PositiveSmallIntegerField(null=True, blank=True, validators=PERCENT)
    # A resubmission after a released fail is a new attempt; every attempt is kept, and only
    # the current one takes new work. Its mark may be capped (copied from the programme when
    # the resubmission opens, so a later change of setting never rewrites it).
    attempt = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    mark_cap = models.PositiveSmallIntegerField(null=True, blank=True, validators=PERCENT)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["assignment__due_at", "pk"]
        indexes = [models.Index(fields=["assignment", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "assignment", "attempt"], name="submission_attempt_once"
            ),
            models.UniqueConstraint(
                fields=["enrolment", "assignment"],
                condition=Q(is_current=True),
                name="submission_one_current_attempt",
            ),
            models.CheckConstraint(
                condition=Q(agreed_mark__lte=100)
                & Q(moderated_mark__lte=100)
                & Q(corrected_mark__lte=100)
                & Q(mark_cap__lte=100),
                name="submission_marks_at_most_100",
            ),
        ]

    @property
    def due_at(self):
        """When the work is due: the extension's time if it is later, else the assignment's."""
        return due_for(self.extended_due_at, self.assignment.due_at)

    @property
    def is_extended(self):
        """Whether an extension gives this teacher longer than the assignment does."""
        return is_extension(self.extended_due_at, self.assignment.due_at)

    @property
    def uncapped_mark(self):
        """The mark before any cap: a correction's, else the moderator's if they changed it,
        else the agreed one."""
        return uncapped_mark(self.agreed_mark, self.moderated_mark, self.corrected_mark)

    @property
    def final_mark(self):
        """The mark that counts: ``uncapped_mark``, held to the attempt's cap if it has one."""
        return capped_mark(self.uncapped_mark, self.mark_cap)

    def __str__(self):
        return f"{self.assignment} by {self.enrolment.teacher}"


class SubmissionVersion(TenantModel):
    class Kind(models.TextChoices):
        DRAFT = "draft", _("Draft, for feedback")
        FINAL = "final", _("Final, for marking")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(_("your text"), max_length=100_000, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="submission_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(kind="final"),
                name="submission_one_final_version",
            ),
        ]

    def __str__(self):
        return f"{self.submission}, version {self.number}"


def submission_upload_to(instance, filename):
    # The stored name is random; the name the teacher gave is kept in ``original_name``.
    return f"submissions/{instance.trust_id}/{instance.stored_name}"


class SubmissionFile(TenantModel):
    version = models.ForeignKey(SubmissionVersion, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=submission_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    stored_name = ""  # set by the service before saving

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class Extension(TenantModel):
    """A tutor moved a submission's due time; every extension is kept."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="extensions")
    due_at = models.DateTimeField(_("new due date"))
    reason = models.TextField(_("reason"), max_length=2000)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()

    class Meta:
        ordering = ["granted_at", "pk"]

    def __str__(self):
        return f"Extension for {self.submission}"


class Feedback(TenantModel):
    """Formative feedback on a draft, from the teacher's coach or tutor."""

    version = models.ForeignKey(
        SubmissionVersion, on_delete=models.PROTECT, related_name="feedback"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("feedback"), max_length=8000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Feedback from {self.author} on {self.version}"


class Mark(TenantModel):
    """One marker's summative mark of a submission, criterion by criterion."""

    class Position(models.TextChoices):
        FIRST = "first", _("First marker")
        SECOND = "second", _("Second marker")
        THIRD = "third", _("Third marker")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="marks")
    position = models.CharField(max_length=10, choices=Position.choices)
    marker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # {criterion id (as text): mark out of 100}
    scores = models.JSONField(default=dict)
    overall = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    comments = models.TextField(_("feedback for the teacher"), max_length=8000)
    # A third marker says why their mark settles it.
    reason = models.TextField(_("why this mark"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "position"], name="mark_once_per_marker_position"
            ),
        ]

    def __str__(self):
        return f"{self.get_position_display()} by {self.marker} on {self.submission}"
