"""The record of each erasure: what was erased of whom, why and by whom, kept so the report can
be shown and downloaded again. It names the person only through their account, which erasure
pseudonymises, so it holds nothing of theirs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel


class Erasure(TenantModel):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # None when the trust's retention period erased them.
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    erased_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("reason"), max_length=2000)
    # [[app verbose name, kind, count], ...] in the order erased
    counts = models.JSONField(default=list)

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self):
        return f"{self.person} erased {self.erased_at:%Y-%m-%d}"
