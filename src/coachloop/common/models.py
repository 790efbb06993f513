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


class FormSubmission(models.Model):
    """A create form already saved, by the one-use token its page gave it
    (``common.submissions``): sent again (a double click, the back button and "Resubmit"),
    it goes to what the first one made instead of making a second.

    Not a tenant table: the token is random and is only ever read by the person who sent it.
    """

    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    redirect_to = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.redirect_to}"
