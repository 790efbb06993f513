from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel


class AuditEvent(TenantModel):
    """Something that happened: a write by a service, or a read of someone's coaching content.

    ``subject`` is the person whose record it concerns, so a teacher can list who read what of
    theirs. Events are only ever added.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    verb = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    summary = models.CharField(_("what"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subject", "verb", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.target_type}"
