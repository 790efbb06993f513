"""Running coaching across a school and a trust.

Around each school's coaching model (``coachloop.policy``): coverage targets, rollout phases,
coach training, QA visits to coaching, protected coaching slots, twilight CPD sessions,
calendar feeds and reminder preferences.
"""

import hashlib
import re
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel


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

    def __str__(self):
        return f"{self.person} invited to {self.session}"


def new_feed_token():
    """The secret part of a calendar address: 256 random bits."""
    return secrets.token_urlsafe(32)


# The shape of every secret a feed address has held: URL-safe base64 (``new_feed_token``
# makes 43 characters; addresses from before feeds kept a hash held up to 64, and still work).
FEED_TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,64}")


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

    def __str__(self):
        return f"Calendar address of {self.person}"


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

    def __str__(self):
        return f"Email choices of {self.person}"


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

    def __str__(self):
        return f"Reminder ({self.kind}) about {self.relationship}, due {self.due_on}"


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

    def __str__(self):
        return f"Digest ({self.kind}) to {self.person}, week of {self.week}"
