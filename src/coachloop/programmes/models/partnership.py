"""How the three partners work together: three-way meetings with their actions, goals agreed
by all three, a reading list per module with the coach's discussion prompts, what the coach
brings (their qualification), and the portfolio the teacher assembles for their tutor."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel
from coachloop.programmes.models.programmes import Enrolment, Module


class Meeting(TenantModel):
    """A three-way meeting: the teacher, their coach and their tutor."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="meetings")
    scheduled_for = models.DateTimeField(_("when"))
    agenda = models.TextField(_("agenda"), max_length=4000)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=8000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-scheduled_for", "pk"]
        indexes = [models.Index(fields=["enrolment", "held_on"])]

    def __str__(self):
        return f"Three-way meeting for {self.enrolment}"


class MeetingAction(TenantModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    due_on = models.DateField(_("by"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"Action from the {self.meeting}"


class GoalAgreement(TenantModel):
    """A goal of the teacher's (coaching.Goal) negotiated by the three partners: it is agreed
    once the teacher, the coach and the tutor have each agreed it."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="goals")
    goal = models.OneToOneField(
        "coaching.Goal", on_delete=models.PROTECT, related_name="programme_agreement"
    )
    teacher_agreed_at = models.DateTimeField(null=True, blank=True)
    coach_agreed_at = models.DateTimeField(null=True, blank=True)
    tutor_agreed_at = models.DateTimeField(null=True, blank=True)
    # The goal's version the three agreed to: a change to the goal needs agreeing again.
    goal_version = models.PositiveIntegerField()

    @property
    def is_agreed(self):
        agreed = (self.teacher_agreed_at, self.coach_agreed_at, self.tutor_agreed_at)
        return None not in agreed and self.goal.version == self.goal_version

    def __str__(self):
        return f"Agreement on the goal “{self.goal}”"


class Reading(TenantModel):
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="readings")
    title = models.CharField(_("title"), max_length=300)
    citation = models.CharField(_("reference"), max_length=500, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    week = models.PositiveSmallIntegerField(_("week of the module"), null=True, blank=True)

    class Meta:
        ordering = ["week", "pk"]

    def __str__(self):
        return self.title


class DiscussionPrompt(TenantModel):
    """A question a coach prepares to talk a reading through with their teacher."""

    reading = models.ForeignKey(Reading, on_delete=models.PROTECT, related_name="prompts")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="prompts")
    text = models.TextField(_("prompt"), max_length=2000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self):
        return f"Prompt on “{self.reading}”"


class CoachQualification(TenantModel):
    """The highest qualification a coach holds, as last recorded (training is kept in
    rollout.CoachTraining)."""

    class Level(models.TextChoices):
        NONE = "none", _("No postgraduate qualification")
        PGCERT = "pgcert", _("Postgraduate certificate")
        MASTERS = "masters", _("Master's degree")
        DOCTORATE = "doctorate", _("Doctorate")

    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("highest qualification"), max_length=20, choices=Level.choices)
    subject = models.CharField(_("in"), max_length=200, blank=True)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_on", "-pk"]

    @property
    def holds_masters(self):
        return self.level in (self.Level.MASTERS, self.Level.DOCTORATE)

    def __str__(self):
        return f"{self.coach}: {self.get_level_display()}"


class PortfolioItem(TenantModel):
    """Something the teacher chose to put in a module's portfolio for their tutor to read."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence")
        REFLECTION = "reflection", _("Reflection")
        SUBMISSION = "submission", _("Submission")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="portfolio")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+")
    evidence = models.ForeignKey(
        "coaching.EvidenceItem", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reflection = models.ForeignKey(
        "coaching.Reflection", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    submission_version = models.ForeignKey(
        "programmes.SubmissionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        evidence__isnull=False,
                        reflection__isnull=True,
                        submission_version__isnull=True,
                    )
                    | Q(
                        evidence__isnull=True,
                        reflection__isnull=False,
                        submission_version__isnull=True,
                    )
                    | Q(
                        evidence__isnull=True,
                        reflection__isnull=True,
                        submission_version__isnull=False,
                    )
                ),
                name="portfolio_item_holds_one_thing",
            ),
        ]

    @property
    def kind(self):
        if self.evidence_id:
            return self.Kind.EVIDENCE
        return self.Kind.REFLECTION if self.reflection_id else self.Kind.SUBMISSION

    def __str__(self):
        return f"Portfolio item {self.position} of {self.enrolment}"
