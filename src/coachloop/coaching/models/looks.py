"""When a person last looked at their home page, so the page can lead with what is new."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel


class HomeLook(TenantModel):
    """A person's visits to one of their home pages in one trust.

    Looks within ``coaching.services.looks.VISIT`` of the first are one visit, so reading the
    page again (or coming back to it from a drop-in) keeps the same things marked as new. What
    changed after ``before`` (the start of the visit before this one) is new; ``before`` is
    empty on the first visit ever.
    """

    class Page(models.TextChoices):
        TEACHER = "teacher", _("My development")
        COACH = "coach", _("My teachers")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    page = models.CharField(max_length=20, choices=Page.choices)
    looked_at = models.DateTimeField(_("this visit began"))
    before = models.DateTimeField(_("the visit before began"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trust", "person", "page"], name="one_home_look_each"),
        ]

    def __str__(self):
        return f"{self.person} looked at {self.page} at {self.looked_at:%Y-%m-%d %H:%M}"
