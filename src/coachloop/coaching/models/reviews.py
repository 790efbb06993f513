"""Coaches as learners: session reviews against the principles, and a learning log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel


class SessionReview(TenantModel):
    """A coach's short review of one conversation, private unless shared with their QA lead.

    ``ratings`` maps each principle's code (coaching/principles.py) to how far the
    conversation showed it.
    """

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_reviews"
    )
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    relationship = models.ForeignKey(
        "coaching.Relationship", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group_session = models.ForeignKey(
        "coaching.GroupSession", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField(_("date of the conversation"))
    ratings = models.JSONField(default=dict)
    went_well = models.TextField(_("what went well"), max_length=4000, blank=True)
    try_next = models.TextField(_("what I will try next time"), max_length=4000, blank=True)
    shared_with_qa = models.BooleanField(_("share with my QA lead"), default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["coach", "held_on"])]

    def __str__(self):
        return f"Review by {self.coach} of {self.held_on}"


class CoachLearningEntry(TenantModel):
    """The coach's own learning log: private to the coach."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="learning_log"
    )
    written_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what I learnt"), max_length=10000)

    class Meta:
        ordering = ["-written_on", "-pk"]
        verbose_name_plural = _("coach learning entries")

    def __str__(self):
        return self.title
