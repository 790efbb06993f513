"""Imports of a trust's schools (from England's schools register) and staff (from rosters).

An import is read and checked first, and shows what it would do; only when the administrator
applies it does anything change, all at once. What an import holds is what it needs to show
and apply: staff rows, never a student's, and no uploaded file.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel
from coachloop.people.models import School


class RosterImport(TenantModel):
    class Kind(models.TextChoices):
        SCHOOLS = "schools", _("Schools from the register")
        STAFF = "staff", _("Staff from a roster")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        PROBLEMS = "problems", _("Has problems")
        READY = "ready", _("Ready to apply")
        APPLYING = "applying", _("Being applied")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Not applied")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKING)
    source_format = models.CharField(_("format"), max_length=40)
    file_name = models.CharField(_("file"), max_length=255)
    exported_on = models.DateField(_("export date"))
    full_export = models.BooleanField(
        default=True,
        help_text=_("A full export lists everyone; someone missing from it has left."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Rows as read (normalised, staff only), what applying would do, and what is wrong.
    records = models.JSONField(default=dict)
    plan = models.JSONField(default=dict)
    problems = models.JSONField(default=list)
    counts = models.JSONField(default=dict)
    # Progress, for the page that follows a long import.
    rows_total = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    rows_applied = models.PositiveIntegerField(default=0)
    phase_started_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["trust", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class OrgMapping(TenantModel):
    """Which school a roster's organisation is, as the administrator confirmed once, for an
    organisation whose identifier is not a URN Coachloop knows."""

    source_id = models.CharField(_("organisation's sourcedId"), max_length=255)
    source_name = models.CharField(_("organisation's name"), max_length=255, blank=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trust", "source_id"], name="org_mapping_unique"),
        ]

    def __str__(self):
        return f"{self.source_name or self.source_id} → {self.school}"
