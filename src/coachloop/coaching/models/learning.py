"""The teacher's own learning: goals, reflections, evidence, stages, proposed steps.

These belong to the teacher. A goal or a piece of evidence linked to a relationship is read by
that relationship's coach too; anything else is the teacher's alone until they share it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.models.imported import KeepsImportedLinks
from coachloop.common.tenancy import TenantModel


class EvidenceKind(models.TextChoices):
    PUPIL_WORK = "pupil_work", _("Pupils' work")
    PUPIL_VOICE = "pupil_voice", _("Pupil voice")
    ASSESSMENT = "assessment", _("Assessment data")
    OBSERVATION = "observation", _("Observation")


class Goal(KeepsImportedLinks, TenantModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Working on it")
        ACHIEVED = "achieved", _("Achieved")
        SET_ASIDE = "set_aside", _("Set aside")

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="goals"
    )
    relationship = models.ForeignKey(
        "coaching.Relationship",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
    )
    title = models.CharField(_("goal"), max_length=200)
    why = models.TextField(_("why it matters to you"), max_length=2000, blank=True)
    # A class or a group, never a child's name (no pupil's personal data is stored).
    pupils = models.CharField(_("the pupils it aims to help"), max_length=120)
    evidence_kinds = models.JSONField(_("evidence that will show change"), default=list)
    evidence_plan = models.TextField(_("how you will see the change"), max_length=2000, blank=True)
    review_on = models.DateField(_("review on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["review_on", "pk"]
        indexes = [models.Index(fields=["teacher", "status"])]

    def __str__(self):
        return self.title


class GoalProgress(KeepsImportedLinks, TenantModel):
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress_notes")
    written_on = models.DateField(_("date"))
    note = models.TextField(_("progress"), max_length=4000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["written_on", "pk"]

    def __str__(self):
        return f"Progress on “{self.goal}”, {self.written_on}"


class Reflection(TenantModel):
    """A private journal entry: the teacher's alone unless they share it."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reflections"
    )
    written_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("reflection"), max_length=10000)
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="reflections"
    )
    action_step = models.ForeignKey(
        "coaching.ActionStep", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-written_on", "-pk"]
        indexes = [models.Index(fields=["teacher", "written_on"])]

    def __str__(self):
        return self.title


def evidence_upload_to(item, filename):
    # The stored name is ours; the teacher's file name is kept, cleaned, in original_name.
    return f"evidence/{item.trust_id}/{uuid.uuid4().hex}{item.file_suffix}"


class EvidenceItem(KeepsImportedLinks, TenantModel):
    class Kind(models.TextChoices):
        FILE = "file", _("A file")
        LINK = "link", _("A link")
        PUPIL_VOICE = "pupil_voice", _("Pupil voice")

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence"
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    action_step = models.ForeignKey(
        "coaching.ActionStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    file = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_on = models.DateField(_("added on"))

    file_suffix = ""  # set by the service before saving, from the detected type

    class Meta:
        ordering = ["-added_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="file") | ~Q(file=""), name="evidence_file_has_a_file"
            ),
            models.CheckConstraint(
                condition=~Q(kind="link") | ~Q(url=""), name="evidence_link_has_a_url"
            ),
        ]

    def __str__(self):
        return self.title


class Stage(models.IntegerChoices):
    NOVICE = 1, _("Novice")
    ADVANCED_BEGINNER = 2, _("Advanced beginner")
    COMPETENT = 3, _("Competent")
    PROFICIENT = 4, _("Proficient")
    EXPERT = 5, _("Expert")


class StageAssessment(KeepsImportedLinks, TenantModel):
    """Where a teacher places themselves (or their coach places them) on one strand, on a day.

    Strands are matched by code across framework versions, so a path survives a new version.
    """

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stages"
    )
    strand = models.ForeignKey(
        "frameworks.Strand", on_delete=models.PROTECT, null=True, related_name="+"
    )
    strand_code = models.CharField(max_length=20)
    strand_title = models.CharField(max_length=200)
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    assessed_on = models.DateField(_("date"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        ordering = ["assessed_on", "pk"]
        indexes = [models.Index(fields=["teacher", "strand_code", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__gte=1) & Q(stage__lte=5), name="stage_between_one_and_five"
            ),
        ]

    def __str__(self):
        stage = self.get_stage_display()
        return f"{self.teacher}: {self.strand_title}, {stage} ({self.assessed_on})"


class StepProposal(KeepsImportedLinks, TenantModel):
    """A step the teacher proposes for themselves; the coach accepts it or asks to talk."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the coach")
        ACCEPTED = "accepted", _("Accepted")
        TO_DISCUSS = "to_discuss", _("To talk about")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    relationship = models.ForeignKey(
        "coaching.Relationship", on_delete=models.PROTECT, related_name="step_proposals"
    )
    framework_step = models.ForeignKey(
        "frameworks.Step", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("the step"), max_length=200)
    success_looks_like = models.TextField(_("what success looks like"), max_length=2000)
    why = models.TextField(_("why this step now"), max_length=2000, blank=True)
    # Empty only on imported history written by someone with no account here (as_imported).
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    proposed_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("reply"), max_length=2000, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    action_step = models.OneToOneField(
        "coaching.ActionStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
    )

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship"],
                condition=Q(status="open"),
                name="step_proposal_one_open_per_relationship",
            ),
        ]

    def __str__(self):
        return self.title
