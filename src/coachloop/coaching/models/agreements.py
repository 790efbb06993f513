"""Learning agreements: versions kept for ever; a version is in force once every party agreed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.models.imported import KeepsImportedLinks
from coachloop.common.tenancy import TenantModel


class AgreementVersion(KeepsImportedLinks, TenantModel):
    class Appraisal(models.TextChoices):
        SEPARATE = "separate", _("Kept apart from appraisal")
        TEACHER_CHOOSES = (
            "teacher_chooses",
            _("Kept apart, unless the teacher chooses to bring something to their appraisal"),
        )

    relationship = models.ForeignKey(
        "coaching.Relationship",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_versions",
    )
    group = models.ForeignKey(
        "coaching.CoachingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_versions",
    )
    number = models.PositiveIntegerField()
    ground_rules = models.TextField(_("ground rules"), max_length=4000)
    confidentiality = models.TextField(_("confidentiality"), max_length=4000)
    sharing = models.TextField(_("what is shared, and with whom"), max_length=4000)
    appraisal = models.CharField(
        _("how this relates to appraisal"),
        max_length=20,
        choices=Appraisal.choices,
        default=Appraisal.SEPARATE,
    )
    meeting_frequency = models.CharField(_("how often we meet"), max_length=200)
    # Empty only on imported history written by someone with no account here (as_imported).
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField()
    # Set once every party has agreed; from then on this version is in force.
    in_force_from = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(relationship__isnull=False) & Q(group__isnull=True))
                | (Q(relationship__isnull=True) & Q(group__isnull=False)),
                name="agreement_for_a_relationship_or_a_group",
            ),
            models.UniqueConstraint(
                fields=["relationship", "number"], name="agreement_number_unique_per_relationship"
            ),
            models.UniqueConstraint(
                fields=["group", "number"], name="agreement_number_unique_per_group"
            ),
        ]

    def __str__(self):
        return f"Learning agreement, version {self.number}"


class AgreementConsent(KeepsImportedLinks, TenantModel):
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="consents")
    # Empty only on imported history written by someone with no account here (as_imported).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    agreed_at = models.DateTimeField()

    class Meta:
        ordering = ["agreed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "person"], name="agreement_consent_once_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.person} agreed to {self.version}"
