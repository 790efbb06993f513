"""Rollups: count tables that background tasks fill week by week, the way Zulip keeps its
analytics. Dashboards read these, never the drop-in table.

Every figure is a count of people or events for a whole school and a whole week (Monday to
Sunday); whether a figure may be shown is decided when it is read (``common.disclosure``).
"""

from django.db import models

from coachloop.common.tenancy import TenantModel


class SchoolWeek(TenantModel):
    """One school's figures for one week, as they stood at the end of it."""

    school = models.ForeignKey("people.School", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()  # the Monday
    teachers = models.PositiveIntegerField(default=0)
    coached_teachers = models.PositiveIntegerField(default=0)
    coaches = models.PositiveIntegerField(default=0)
    trained_coaches = models.PositiveIntegerField(default=0)
    visits_due = models.PositiveIntegerField(default=0)
    visits_kept = models.PositiveIntegerField(default=0)
    dropins = models.PositiveIntegerField(default=0)
    steps_set = models.PositiveIntegerField(default=0)
    # Of the steps set, those the teacher proposed themselves (and their coach accepted).
    steps_proposed_by_teacher = models.PositiveIntegerField(default=0)
    steps_embedded = models.PositiveIntegerField(default=0)
    # Different teachers with a step embedded since the school year began, to the week's end:
    # how many people a median time to embed describes.
    embedders_to_date = models.PositiveIntegerField(default=0)
    # Coaches by the share of their teachers seen on rhythm this week.
    coaches_on_rhythm = models.PositiveIntegerField(default=0)  # 80% or more
    coaches_part_rhythm = models.PositiveIntegerField(default=0)  # 50% to 79%
    coaches_off_rhythm = models.PositiveIntegerField(default=0)  # under 50%

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "week"], name="school_week_once"),
        ]
        indexes = [models.Index(fields=["trust", "week"])]

    def __str__(self):
        return f"{self.school}, week of {self.week}"


class SchoolWeekStep(TenantModel):
    """How often one framework step was set, and embedded, in a school in a week."""

    school = models.ForeignKey("people.School", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    step = models.ForeignKey("frameworks.Step", on_delete=models.CASCADE, related_name="+")
    set_count = models.PositiveIntegerField(default=0)
    embedded_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "week", "step"], name="school_week_step_once")
        ]
        indexes = [models.Index(fields=["trust", "week"])]

    def __str__(self):
        return f"{self.school}, week of {self.week}: {self.step}"


class SchoolWeekEmbedTime(TenantModel):
    """Steps embedded in a school in a week, counted by how many days each took."""

    school = models.ForeignKey("people.School", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    days = models.PositiveIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "week", "days"], name="school_week_embed_time_once"
            )
        ]
        indexes = [models.Index(fields=["trust", "week"])]

    def __str__(self):
        return f"{self.school}, week of {self.week}: embedded in {self.days} days"


class SchoolCaseload(TenantModel):
    """Coaches in a school by how many teachers each coaches, at the end of a week."""

    school = models.ForeignKey("people.School", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    teachers = models.PositiveIntegerField()
    coaches = models.PositiveIntegerField(default=0)
    over_limit = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "week", "teachers"], name="school_caseload_once"
            )
        ]
        indexes = [models.Index(fields=["trust", "week"])]

    def __str__(self):
        return f"Caseloads at {self.school}, week of {self.week}"


class RollupState(TenantModel):
    """How far a trust's rollups are filled: the last week written, and when."""

    last_week = models.DateField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trust"], name="rollup_state_one_per_trust")]

    def __str__(self):
        return f"Rollups up to the week of {self.last_week}"
