"""The trust's coaching policy and each school's coaching model.

A trust sets a coaching policy: its own choices on the decision grid, and for each group of
settings whether it is standardised (the trust's choice applies), aligned (the school chooses,
and the trust sees where it differs) or left to the school. Each school keeps its own coaching
model within that. Coaching reads the model (its rhythm, caseload limit and framework); the
pages that edit it are the rollout app's.

The tables kept their names when these models moved here from ``rollout``
(``Meta.db_table``), so installations made before keep their data.
"""

from django.db import models
from django.db.models import Q
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
        db_table = "rollout_trustpolicy"
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
        db_table = "rollout_schoolmodel"
        verbose_name = _("school coaching model")
        verbose_name_plural = _("school coaching models")
        constraints = [
            models.CheckConstraint(
                condition=Q(caseload_limit__gte=1), name="school_model_caseload_at_least_one"
            )
        ]

    def __str__(self):
        return str(self.school)
