"""What markers hold while they work: a claim on their own slot of a submission (with what they
have typed so far), and a reconciled mark one marker proposes and the other confirms."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel
from coachloop.programmes.models.assessment import Mark, Submission
from coachloop.programmes.models.programmes import PERCENT


class MarkClaim(TenantModel):
    """A marker's hold on their slot (first, second or third) until ``claimed_until``, so two
    people never mark the same slot at once while the two markers mark in parallel. The typed
    marks and comments are kept when the claim lapses or is given up."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="claims")
    position = models.CharField(max_length=10, choices=Mark.Position.choices)
    marker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    claimed_until = models.DateTimeField(null=True, blank=True)
    # {criterion id (as text): mark out of 100}, as far as the marker got
    scores = models.JSONField(default=dict, blank=True)
    comments = models.TextField(max_length=8000, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "position", "marker"], name="mark_claim_once_per_marker"
            ),
        ]

    def holds(self, now):
        return self.claimed_until is not None and self.claimed_until > now

    def __str__(self):
        return f"{self.get_position_display()} claim by {self.marker} on {self.submission}"


class ReconciliationProposal(TenantModel):
    """One marker's proposed agreed mark (with the agreed feedback), for the other to confirm
    or decline; declined, it goes to the programme lead."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Waiting for the other marker")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SUPERSEDED = "superseded", _("Replaced by a later proposal")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="proposals")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    mark = models.PositiveSmallIntegerField(_("agreed mark"), validators=PERCENT)
    reason = models.TextField(_("how you reached it"), max_length=2000)
    feedback = models.TextField(_("agreed feedback"), max_length=8000, blank=True)
    proposed_at = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(outcome="open"),
                name="proposal_one_open_per_submission",
            ),
            models.CheckConstraint(condition=Q(mark__lte=100), name="proposal_mark_at_most_100"),
        ]

    def __str__(self):
        return f"Proposed {self.mark} for {self.submission}"
