"""Group coaching: a dyad or an action learning set, whose records only its members see."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel


class CoachingGroup(TenantModel):
    class Kind(models.TextChoices):
        DYAD = "dyad", _("Dyad (two colleagues)")
        ACTION_LEARNING_SET = "action_learning_set", _("Action learning set")

    # How many members each kind may have, inclusive.
    SIZES = {Kind.DYAD: (2, 2), Kind.ACTION_LEARNING_SET: (3, 8)}

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    focus = models.TextField(_("what the group is working on"), max_length=2000, blank=True)
    # A facilitator keeps the process (not a member unless also listed as one).
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    cadence_days = models.PositiveSmallIntegerField(
        _("days between sessions"), null=True, blank=True
    )
    started_on = models.DateField(_("started on"))
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("coaching group")
        verbose_name_plural = _("coaching groups")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["school", "finished_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(finished_on__gte=models.F("started_on")),
                name="group_finishes_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.finished_on is None


class GroupMember(TenantModel):
    group = models.ForeignKey(CoachingGroup, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["person__full_name", "pk"]
        indexes = [models.Index(fields=["person", "left_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(left_on__isnull=True),
                name="group_member_once_at_a_time",
            ),
        ]

    def __str__(self):
        return f"{self.person} in {self.group}"


class GroupSession(TenantModel):
    """One meeting. In an action learning set one member presents a real problem, the others
    ask questions, and the presenter leaves with an action they report on next time."""

    group = models.ForeignKey(CoachingGroup, on_delete=models.PROTECT, related_name="sessions")
    met_on = models.DateField(_("met on"))
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who brought a problem"),
    )
    problem = models.TextField(_("the problem brought"), max_length=4000, blank=True)
    questions = models.TextField(_("questions that helped"), max_length=4000, blank=True)
    action = models.TextField(_("the action the presenter will take"), max_length=2000, blank=True)
    # Filled in at a later session, when the presenter reports back.
    action_report = models.TextField(_("what happened"), max_length=4000, blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-met_on", "-pk"]

    def __str__(self):
        return f"{self.group} on {self.met_on}"
