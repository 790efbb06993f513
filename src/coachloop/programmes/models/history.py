"""The history of a submission's marks: every mark, agreement, moderation, replacement,
correction and release, with who, when and why. Rows are only ever added; the programme lead,
the moderators and the exam-board export read them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel
from coachloop.programmes.models.assessment import Mark, Submission


class MarkEvent(TenantModel):
    class Kind(models.TextChoices):
        MARKED = "marked", _("Marked")
        MARK_WITHDRAWN = "mark_withdrawn", _("Mark withdrawn")
        AGREED = "agreed", _("Agreed within tolerance")
        PROPOSED = "proposed", _("Agreed mark proposed")
        CONFIRMED = "confirmed", _("Agreed mark confirmed")
        DECLINED = "declined", _("Proposed mark declined")
        ADJUDICATED = "adjudicated", _("Decided by the programme lead")
        THIRD_MARKER_APPOINTED = "third_marker_appointed", _("Third marker appointed")
        THIRD_MARKED = "third_marked", _("Settled by the third marker")
        MARKER_REPLACED = "marker_replaced", _("Marker replaced")
        SAMPLED = "sampled", _("Drawn for moderation")
        SAMPLED_BY_HAND = "sampled_by_hand", _("Added to the moderation sample")
        MODERATED = "moderated", _("Moderated")
        MODERATION_REVISED = "moderation_revised", _("Moderation revised")
        MODERATOR_REPLACED = "moderator_replaced", _("Moderator replaced")
        REOPENED = "reopened", _("Reopened")
        RELEASED = "released", _("Released")
        CORRECTED = "corrected", _("Corrected after release")
        RESUBMISSION_OPENED = "resubmission_opened", _("Resubmission opened")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    # Empty only for history rebuilt from records kept before the history was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    position = models.CharField(max_length=10, choices=Mark.Position.choices, blank=True)
    mark = models.PositiveSmallIntegerField(null=True, blank=True)
    previous_mark = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField(max_length=2000, blank=True)
    # The person appointed, replaced or whose mark was withdrawn.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # A withdrawn mark's criterion marks and comments, so nothing a marker gave is lost.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["submission", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.submission}"
