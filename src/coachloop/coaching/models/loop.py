"""The coaching loop: relationship, drop-in, action step, rehearsal, follow-up.

Nothing here grades a lesson or a teacher: a drop-in records what the coach noticed (strengths
first) and the evidence seen, and a follow-up records whether the step was visible, never how
good the lesson was.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.models.imported import KeepsImportedLinks
from coachloop.common.tenancy import TenantModel

NOT_NOW_LIMIT = 500  # characters of the teacher's reason for "not now"


class Relationship(KeepsImportedLinks, TenantModel):
    """A coach working with a teacher, for a period that is closed, never rewritten."""

    class Kind(models.TextChoices):
        INSTRUCTIONAL = "instructional", _("Instructional coaching")
        MENTORING = "mentoring", _("Mentoring")
        SPECIALIST = "specialist", _("Specialist coaching")
        CO_COACHING = "co_coaching", _("Co-coaching")

    # Imported history (a teacher's record brought from another trust) has no school or
    # coach here: it names them in ``imported_from`` and ``imported_coach_name`` instead.
    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_as_coach",
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coaching_as_teacher"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.INSTRUCTIONAL
    )
    started_on = models.DateField(_("started on"))
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    # Until when the coach may still read the record after it ends (the school sets the
    # period); empty while the coaching runs.
    coach_reads_until = models.DateField(_("coach may read until"), null=True, blank=True)

    # Mentoring: an induction period and a rhythm of its own (days between meetings).
    induction_starts_on = models.DateField(_("induction starts on"), null=True, blank=True)
    induction_ends_on = models.DateField(_("induction ends on"), null=True, blank=True)
    cadence_days = models.PositiveSmallIntegerField(
        _("days between meetings"), null=True, blank=True
    )
    # Specialist coaching: one strand of the framework, or a subject.
    strand = models.ForeignKey(
        "frameworks.Strand", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("subject or aspect of practice"), max_length=120, blank=True)
    # Co-coaching is two relationships, one each way, each pointing at the other.
    peer = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A handover closes one relationship and opens the next, which points back at it.
    handed_over_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handed_over_to",
    )
    # When the teacher let this coach read what was written before this coaching began: the
    # teacher's earlier stages, goal notes and evidence, and the coaching handed over to it.
    earlier_content_consented_at = models.DateTimeField(null=True, blank=True)
    # When it was recorded here (a start date may be given in the past). Empty on rows made
    # before this was kept: their start date stands in.
    created_at = models.DateTimeField(null=True, blank=True, default=timezone.now, editable=False)
    # Who recorded it, and whether they did so in the admin site (the teacher is shown so).
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    started_in_admin = models.BooleanField(default=False, editable=False)

    imported_from = models.CharField(_("imported from"), max_length=200, blank=True)
    imported_coach_name = models.CharField(_("coach (imported)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("coaching relationship")
        verbose_name_plural = _("coaching relationships")
        ordering = ["teacher__full_name"]
        indexes = [
            models.Index(fields=["coach", "finished_on"]),
            models.Index(fields=["teacher", "finished_on"]),
            models.Index(fields=["school", "finished_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(coach=models.F("teacher")), name="relationship_coach_is_not_teacher"
            ),
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(finished_on__gte=models.F("started_on")),
                name="relationship_finishes_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["trust", "coach", "teacher", "kind"],
                condition=Q(finished_on__isnull=True),
                name="relationship_one_open_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(imported_from="") | (Q(coach__isnull=False) & Q(school__isnull=False)),
                name="relationship_has_coach_and_school_unless_imported",
            ),
        ]

    def __str__(self):
        return f"{self.coach} coaching {self.teacher}"

    @property
    def is_active(self):
        return self.finished_on is None


class ActionStep(KeepsImportedLinks, TenantModel):
    """One step a teacher is working on. One current step per relationship.

    A step the coach sets is proposed until it is agreed (``agreed_on``): the teacher agrees
    in one tap, or the coach records that they agreed it in their conversation. A step the
    teacher proposed is agreed when the coach accepts it. The teacher may say "not now" with a
    reason instead: that closes the step (outcome ``not_now``), so the coach proposes another.
    """

    class Status(models.TextChoices):
        # Shown only once the step is agreed: until then its label is "Proposed".
        SET = "set", _("Agreed")
        PRACTISING = "practising", _("Practising")
        EMBEDDED = "embedded", _("Embedded")
        REVISITED = "revisited", _("Revisited")

    class Outcome(models.TextChoices):
        EMBEDDED = "embedded", _("Embedded: it has become habit")
        MOVED_ON = "moved_on", _("Moved on before it became habit")
        COACHING_ENDED = "coaching_ended", _("The coaching ended")
        HANDED_OVER = "handed_over", _("Carried on with a new coach")
        NOT_NOW = "not_now", _("The teacher said not now")
        REPLACED = "replaced", _("Replaced before it was agreed")

    relationship = models.ForeignKey(
        Relationship, on_delete=models.PROTECT, related_name="action_steps"
    )
    framework_step = models.ForeignKey(
        "frameworks.Step", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("action step"), max_length=200)
    success_looks_like = models.TextField(_("what success looks like"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SET
    )
    set_on = models.DateField(_("set on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # Empty only on imported history written by someone with no account here (as_imported).
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # When and by whom the step was agreed: the teacher, or the coach recording that they
    # agreed it in conversation (or accepting the teacher's own proposal). Empty: proposed.
    agreed_on = models.DateTimeField(_("agreed on"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Why the teacher said "not now" to it (the outcome is then ``not_now``).
    not_now_reason = models.TextField(_("why not now"), max_length=NOT_NOW_LIMIT, blank=True)
    # The same step carried into a new relationship at a handover.
    continues = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-set_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship"],
                condition=Q(closed_on__isnull=True),
                name="action_step_one_current_per_relationship",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_current(self):
        return self.closed_on is None

    @property
    def is_agreed(self):
        return self.agreed_on is not None

    @property
    def is_proposed(self):
        """Waiting for the teacher's answer: current and not yet agreed."""
        return self.closed_on is None and self.agreed_on is None

    @property
    def status_label(self):
        return step_status_label(status=self.status, agreed_on=self.agreed_on, outcome=self.outcome)


def step_status_label(*, status, agreed_on, outcome=""):
    """What a step's status reads as: "Proposed" or "Not now" until it is agreed, then its
    status ("Agreed", "Practising", ...). Takes fields, so rows read with ``values()`` can
    use it too."""
    if agreed_on is None:
        if outcome == ActionStep.Outcome.NOT_NOW:
            return _("Not now")
        return _("Proposed")
    return ActionStep.Status(status).label


class DropIn(TenantModel):
    """A short, low-stakes visit to a lesson. Drafts are the coach's until recorded."""

    class FollowUp(models.TextChoices):
        HABIT = "habit", _("Yes, it looked like habit")
        EMERGING = "emerging", _("Partly: it is emerging")
        NOT_YET = "not_yet", _("Not yet seen")
        NO_CHANCE = "no_chance", _("No chance to see it in this lesson")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(Relationship, on_delete=models.PROTECT, related_name="dropins")
    visited_on = models.DateField(_("date of the visit"))
    class_or_group = models.CharField(_("class or group"), max_length=80)
    minutes = models.PositiveSmallIntegerField(_("minutes in the lesson"))
    strengths = models.TextField(_("what went well"), max_length=4000)
    noticed = models.TextField(_("what else you noticed"), max_length=4000, blank=True)
    evidence = models.TextField(_("evidence seen"), max_length=4000, blank=True)
    followup_step = models.ForeignKey(
        ActionStep, on_delete=models.PROTECT, null=True, blank=True, related_name="followups"
    )
    followup = models.CharField(
        _("was the action step visible?"), max_length=20, choices=FollowUp.choices, blank=True
    )
    is_draft = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["relationship", "is_draft", "visited_on"]),
            # A school's latest recorded drop-ins (the lead's home), newest first.
            models.Index(
                fields=["-visited_on", "-id"],
                condition=models.Q(is_draft=False),
                name="dropin_latest_recorded",
            ),
        ]

    def __str__(self):
        return f"Drop-in {self.visited_on} ({self.class_or_group})"


class Rehearsal(KeepsImportedLinks, TenantModel):
    """Deliberate practice of an action step: planned, then logged when done."""

    class Mode(models.TextChoices):
        TOGETHER = "together", _("The teacher and coach together")
        ALONE = "alone", _("The teacher alone")

    action_step = models.ForeignKey(ActionStep, on_delete=models.PROTECT, related_name="rehearsals")
    planned_for = models.DateField(_("planned for"))
    mode = models.CharField(_("how"), max_length=20, choices=Mode.choices)
    plan = models.TextField(_("what we will practise"), max_length=4000)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    how_it_went = models.TextField(_("how it went"), max_length=4000, blank=True)
    # Empty only on imported history written by someone with no account here (as_imported).
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["planned_for", "pk"]

    def __str__(self):
        return f"Rehearsal {self.planned_for}"
