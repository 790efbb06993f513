"""A partner university's programme, run with a trust: its staff, modules, assignments (with
criteria and bands), cohorts and the teachers enrolled with their coach and tutor."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class PartnerInstitution(TenantModel):
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "name"], name="partner_unique_name"),
        ]

    def __str__(self):
        return self.name


class Programme(TenantModel):
    class AgreeBy(models.TextChoices):
        MEAN = "mean", _("The mean of the two marks")
        FIRST_MARKER = "first_marker", _("The first marker's mark")

    class TeacherFeedback(models.TextChoices):
        AGREED = "agreed", _("Feedback the markers agree")
        FIRST_MARKER = "first_marker", _("The first marker's feedback")

    class SecondMarker(models.TextChoices):
        COACH = "coach", _("The teacher's school coach")
        TUTOR = "tutor", _("Another tutor")

    partner = models.ForeignKey(
        PartnerInstitution, on_delete=models.PROTECT, related_name="programmes"
    )
    title = models.CharField(_("title"), max_length=200)
    # Marking: how two marks become one, and who marks second.
    second_marker = models.CharField(
        _("second marker"), max_length=20, choices=SecondMarker.choices, default=SecondMarker.COACH
    )
    blind_marking = models.BooleanField(
        _("blind double marking"),
        default=True,
        help_text=_("Neither marker sees the other's mark until both are in."),
    )
    tolerance = models.PositiveSmallIntegerField(
        _("marks agree automatically within"), default=5, validators=PERCENT
    )
    agree_by = models.CharField(
        _("marks within tolerance agree as"),
        max_length=20,
        choices=AgreeBy.choices,
        default=AgreeBy.MEAN,
    )
    bands_must_agree = models.BooleanField(
        _("marks in different bands are reconciled by the markers"),
        default=True,
        help_text=_(
            "If the two marks are in different bands (for example 68 and 72), the markers "
            "reconcile them even when they are within tolerance. This stops a teacher getting "
            "a band neither marker gave."
        ),
    )
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), default=50, validators=PERCENT)
    # What the teacher reads with their mark, and whether a resubmission's mark is capped.
    teacher_feedback = models.CharField(
        _("the teacher reads"),
        max_length=20,
        choices=TeacherFeedback.choices,
        default=TeacherFeedback.AGREED,
    )
    show_individual_marking = models.BooleanField(
        _("the teacher also sees each marker's marks and comments"),
        default=False,
        help_text=_(
            "Off: the teacher sees the final mark and one piece of feedback. On: they also see "
            "each marker's criterion marks and comments."
        ),
    )
    cap_resubmissions = models.BooleanField(
        _("a resubmission's mark is capped at the pass mark"), default=True
    )
    # Moderation: the share of each assignment's submissions a moderator reviews, and the
    # ones always in the sample.
    moderation_percent = models.PositiveSmallIntegerField(
        _("moderation sample (%)"), default=20, validators=PERCENT
    )
    moderate_all_fails = models.BooleanField(_("every fail is moderated"), default=True)
    moderate_top_band = models.BooleanField(
        _("every mark in the top band is moderated"), default=False
    )
    claim_minutes = models.PositiveSmallIntegerField(
        _("a marker holds a submission for (minutes)"),
        default=120,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    # Support: when to offer help (prompts, not judgements).
    caseload_limit = models.PositiveSmallIntegerField(_("teachers per coach, at most"), default=4)
    quiet_after_days = models.PositiveSmallIntegerField(
        _("a teacher needs contact after (days without a meeting or a submission)"), default=28
    )
    coach_quiet_after_days = models.PositiveSmallIntegerField(
        _("a coach needs contact after (days without a meeting or feedback)"), default=28
    )
    # Funding: the fee per enrolment and the school's share of it (the university has the rest).
    fee_per_enrolment = models.DecimalField(
        _("funding per enrolment (£)"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    school_share_percent = models.PositiveSmallIntegerField(
        _("school's share of the funding (%)"), default=60, validators=PERCENT
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tolerance__lte=100)
                & Q(pass_mark__lte=100)
                & Q(moderation_percent__lte=100)
                & Q(school_share_percent__lte=100),
                name="programme_percentages_at_most_100",
            ),
        ]

    def __str__(self):
        return self.title


class ProgrammeStaff(TenantModel):
    """The university's people on a programme: its lead, its tutors, its moderators."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Programme lead")
        TUTOR = "tutor", _("Tutor")
        MODERATOR = "moderator", _("Moderator")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="staff")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person", "role"], name="programme_staff_once_per_role"
            ),
        ]

    def __str__(self):
        return f"{self.person}, {self.get_role_display().lower()} on {self.programme}"


class Module(TenantModel):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="modules")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    credits = models.PositiveSmallIntegerField(_("credits"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["starts_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="module_unique_code"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="module_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class Assignment(TenantModel):
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="assignments")
    title = models.CharField(_("title"), max_length=200)
    brief = models.TextField(_("brief"), max_length=8000)
    due_at = models.DateTimeField(
        _("due"),
        help_text=_(
            "Moving it moves every teacher's due date, except for teachers with a later "
            "extension from their tutor."
        ),
    )
    word_limit = models.PositiveIntegerField(_("word limit"))

    class Meta:
        ordering = ["due_at", "pk"]

    def __str__(self):
        return self.title


class Criterion(TenantModel):
    """One thing an assignment is marked on; each is marked 0 to 100 and weighted."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="criteria")
    title = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("what it asks for"), max_length=2000, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Band(TenantModel):
    """A band of marks (70 to 100: distinction) with what work in it looks like."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="bands")
    name = models.CharField(_("band"), max_length=60)
    lowest = models.PositiveSmallIntegerField(_("from"), validators=PERCENT)
    highest = models.PositiveSmallIntegerField(_("to"), validators=PERCENT)
    descriptor = models.TextField(_("what work in this band shows"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-lowest"]
        constraints = [
            models.CheckConstraint(
                condition=Q(highest__gte=models.F("lowest")) & Q(highest__lte=100),
                name="band_range_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.lowest}–{self.highest})"

    @staticmethod
    def containing(bands, mark):
        """The band of ``bands`` that ``mark`` falls in, or None (no mark, or a gap)."""
        if mark is None:
            return None
        return next((b for b in bands if b.lowest <= mark <= b.highest), None)


class Cohort(TenantModel):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self):
        return self.name


class Enrolment(TenantModel):
    """A teacher studying on a programme, with their school coach and their tutor."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started on"))
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    # The programme's fee when the teacher enrolled, kept so a later change does not rewrite it.
    fee = models.DecimalField(max_digits=9, decimal_places=2)
    school_share_percent = models.PositiveSmallIntegerField(validators=PERCENT)

    class Meta:
        ordering = ["teacher__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "teacher"],
                condition=Q(finished_on__isnull=True),
                name="enrolment_once_per_cohort",
            ),
        ]

    def __str__(self):
        return f"{self.teacher} on {self.cohort}"
