"""Share grants: the teacher lets one named person read one item, for a time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel


class ShareGrant(TenantModel):
    class Item(models.TextChoices):
        REFLECTION = "reflection", _("Reflection")
        GOAL = "goal", _("Goal")
        DROPIN = "dropin", _("Drop-in")
        EVIDENCE = "evidence", _("Evidence")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shares_given"
    )
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shares_received"
    )
    item_kind = models.CharField(max_length=20, choices=Item.choices)
    item_id = models.PositiveBigIntegerField()
    item_title = models.CharField(max_length=200)
    note = models.CharField(_("a note for them"), max_length=500, blank=True)
    created_at = models.DateTimeField()
    expires_on = models.DateField(_("until"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["grantee", "item_kind", "item_id"]),
            models.Index(fields=["owner", "revoked_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(owner=models.F("grantee")), name="share_not_with_yourself"
            ),
        ]

    def __str__(self):
        return f"{self.item_title} shared with {self.grantee}"
