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


class PreparedDownload(TenantModel):
    """A file the task worker makes for one person (a record as a PDF), whose page follows it
    until it can be downloaded (``common.downloads``). Only the person who asked for it ever
    reaches it, and it is deleted a day after it was asked for."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be made")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)  # the builder's name (``downloads.register``)
    arguments = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    back_url = models.CharField(max_length=300, blank=True)
    back_text = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREPARING)
    body = models.BinaryField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self):
        return self.title
