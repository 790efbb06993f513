"""Running coaching across a school and a trust.

A trust sets a coaching policy: its own choices on the decision grid, and for each group of
settings whether it is standardised (the trust's choice applies), aligned (the school chooses,
and the trust sees where it differs) or left to the school. Each school keeps its own coaching
model within that. Around the model: coverage targets, rollout phases, coach training, QA
visits to coaching, protected coaching slots, twilight CPD sessions, calendar feeds and
reminder preferences.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel


class Cadence(models.IntegerChoices):
    """How often a teacher is seen, in days."""

    WEEKLY = 7, _("Weekly")
    FORTNIGHTLY = 14, _("Fortnightly")


class FrameworkPolicy(models.TextChoices):
    TRUST = "trust", _("Use the trust's framework as it is")
    ADAPT = "adapt", _("Adapt the trust's framework")
    OWN = "own", _("Use the school's own framework")


class Level(models.TextChoices):
    STANDARDISED = "standardised", _("Standardised: the trust decides")
    ALIGNED = "aligned", _("Aligned: the school decides, and the trust sees where it differs")
    AUTONOMOUS = "autonomous", _("Left to the school")


class CoachingChoices(TenantModel):
    """The decision grid, shared by the trust's policy and each school's model."""

    cadence_early_career = models.PositiveSmallIntegerField(
        _("early-career teachers are seen"), choices=Cadence.choices, default=Cadence.WEEKLY
    )
    cadence_teachers = models.PositiveSmallIntegerField(
        _("teachers are seen"), choices=Cadence.choices, default=Cadence.WEEKLY
    )
    cadence_leaders = models.PositiveSmallIntegerField(
        _("leaders are seen"), choices=Cadence.choices, default=Cadence.FORTNIGHTLY
    )
    leaders_coach = models.BooleanField(_("leaders coach"), default=True)
    leaders_are_coached = models.BooleanField(_("leaders are coached"), default=True)
    meets_in_person = models.BooleanField(_("in person"), default=True)
    meets_by_phone = models.BooleanField(_("by phone"), default=False)
    meets_by_video = models.BooleanField(_("by video call"), default=False)
    group_coaching = models.BooleanField(_("group coaching"), default=False)
    framework_policy = models.CharField(
        _("framework for teaching"),
        max_length=10,
        choices=FrameworkPolicy.choices,
        default=FrameworkPolicy.TRUST,
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TrustPolicy(CoachingChoices):
    """The trust's own choices, and how far each binds its schools."""

    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the trust's framework"),
    )
    cadence_level = models.CharField(
        _("coaching rhythm"), max_length=15, choices=Level.choices, default=Level.ALIGNED
    )
    leadership_level = models.CharField(
        _("leaders coaching and coached"),
        max_length=15,
        choices=Level.choices,
        default=Level.AUTONOMOUS,
    )
    meeting_modes_level = models.CharField(
        _("how coaching meets"), max_length=15, choices=Level.choices, default=Level.AUTONOMOUS
    )
    group_coaching_level = models.CharField(
        _("group coaching"), max_length=15, choices=Level.choices, default=Level.AUTONOMOUS
    )
    framework_level = models.CharField(
        _("framework for teaching"), max_length=15, choices=Level.choices, default=Level.ALIGNED
    )

    class Meta:
        verbose_name = _("trust coaching policy")
        verbose_name_plural = _("trust coaching policies")
        constraints = [models.UniqueConstraint(fields=["trust"], name="trust_policy_one_per_trust")]

    def __str__(self):
        return str(_("Coaching policy"))


class SchoolModel(CoachingChoices):
    """A school's coaching model: its choices within the trust's policy."""

    school = models.OneToOneField(
        "people.School", on_delete=models.PROTECT, related_name="coaching_model"
    )
    own_framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the school's own framework"),
    )
    caseload_limit = models.PositiveSmallIntegerField(
        _("most teachers per coach"),
        default=6,
        help_text=_("You are warned before a coach is given more teachers than this."),
    )
    read_after_end_days = models.PositiveSmallIntegerField(
        _("days a former coach may still read the record"),
        default=30,
        help_text=_(
            "When coaching ends or passes to a new coach, the former coach can read (not "
            "change) the teacher's record for this many days, then not at all."
        ),
    )

    class Meta:
        verbose_name = _("school coaching model")
        verbose_name_plural = _("school coaching models")
        constraints = [
            models.CheckConstraint(
                condition=Q(caseload_limit__gte=1), name="school_model_caseload_at_least_one"
            )
        ]

    def __str__(self):
        return str(self.school)


class CoverageTarget(TenantModel):
    """Where a school means to be by a date: trained coaches and the share of teachers coached."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    trained_coaches = models.PositiveSmallIntegerField(_("trained coaches"))
    coached_percent = models.PositiveSmallIntegerField(_("teachers with a coach (per cent)"))
    due_by = models.DateField(_("by"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_by", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(coached_percent__lte=100), name="target_percent_at_most_100"
            )
        ]

    def __str__(self):
        return f"{self.school}: by {self.due_by}"


class RolloutPhase(TenantModel):
    class Kind(models.TextChoices):
        SOFT_LAUNCH = "soft_launch", _("Soft launch with a first team")
        SCALE_UP = "scale_up", _("Scale-up")
        EVERY_TEACHER = "every_teacher", _("Every teacher coached")

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("phase"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="rollout_phase_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.school})"


class CoachTraining(TenantModel):
    """A course a coach completed: what, when and who ran it."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coach_training"
    )
    course = models.CharField(_("course"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    delivered_by = models.CharField(_("delivered by"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on", "pk"]
        indexes = [models.Index(fields=["coach", "completed_on"])]

    def __str__(self):
        return f"{self.course} ({self.completed_on})"


class QaVisit(TenantModel):
    """A coaching lead sat in on a coaching conversation: for the coach's development only."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qa_visits"
    )
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("date of the visit"))
    went_well = models.TextField(_("what went well"), max_length=4000)
    development_point = models.TextField(_("one point to develop"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return f"QA visit {self.visited_on}"


class ProtectedSlot(TenantModel):
    """Time in a coach's timetable kept for coaching, every week on one day."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="protected_slots"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    label = models.CharField(_("what it is for"), max_length=120, blank=True)

    class Meta:
        ordering = ["weekday", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="slot_period_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}"


class CpdSession(TenantModel):
    """A twilight (or other) session of group practice, on a topic or a strand."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    strand = models.ForeignKey(
        "frameworks.Strand",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("framework strand"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("where"), max_length=200, blank=True)
    led_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CpdInvitation", related_name="cpd_sessions"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="cpd_session_ends_after_it_starts"
            )
        ]

    def __str__(self):
        return self.title


class CpdInvitation(TenantModel):
    """Someone invited to a session, and whether they came (unknown until it is taken)."""

    session = models.ForeignKey(CpdSession, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(_("attended"), null=True)

    class Meta:
        ordering = ["person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="cpd_invitation_once")
        ]


def new_feed_token():
    """The secret part of a calendar address: 256 random bits."""
    return secrets.token_urlsafe(32)


def feed_token_hash(token):
    """What is kept of a calendar address's secret: its SHA-256, never the secret itself. The
    secret is random and long, so a plain hash is enough (there is nothing to guess)."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(TenantModel):
    """A person's private calendar address. Only a hash of its secret is kept, so the address
    is shown once, when it is made; a new one replaces it and the old one stops working."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)  # when the current address was made

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trust", "person"], name="calendar_feed_one_per_person")
        ]


class EmailPreference(TenantModel):
    """Which emails a person wants. Everyone gets them until they turn them off."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_reminders = models.BooleanField(_("tell me when a teacher is due a drop-in"), default=True)
    weekly_digest = models.BooleanField(_("send me a weekly digest"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "person"], name="email_preference_one_per_person"
            )
        ]


class ReminderSent(TenantModel):
    """A reminder already sent, so each one goes once: per relationship, kind and due date."""

    relationship = models.ForeignKey(
        "coaching.Relationship", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "kind", "due_on"], name="reminder_sent_once"
            )
        ]


class DigestSent(TenantModel):
    """A weekly digest already sent, so a second run in the same week sends nothing."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # "coach" or "lead"
    week = models.DateField()  # the first day of the week it covers
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "week"], name="digest_sent_once")
        ]
