"""The decision grid: which settings a school's coaching model holds, grouped as the trust
governs them, and how a school's model and the trust's policy combine.

A group the trust has standardised takes the trust's values, whatever the school saved; an
aligned or autonomous group takes the school's. ``effective_model`` is the one place that
rule lives, so every page and reminder follows the same model.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from coachloop.people.models import StaffGroup
from coachloop.policy.models import Cadence, CoachingChoices, FrameworkPolicy, Level, SchoolModel


@dataclass(frozen=True)
class SettingGroup:
    key: str
    label: str
    fields: tuple[str, ...]

    @property
    def level_field(self):
        return f"{self.key}_level"


SETTING_GROUPS = (
    SettingGroup(
        "cadence",
        _("Coaching rhythm"),
        ("cadence_early_career", "cadence_teachers", "cadence_leaders"),
    ),
    SettingGroup(
        "leadership", _("Leaders coaching and coached"), ("leaders_coach", "leaders_are_coached")
    ),
    SettingGroup(
        "meeting_modes",
        _("How coaching meets"),
        ("meets_in_person", "meets_by_phone", "meets_by_video"),
    ),
    SettingGroup("group_coaching", _("Group coaching"), ("group_coaching",)),
    SettingGroup("framework", _("Framework for teaching"), ("framework_policy",)),
)

CADENCE_FIELD = {
    StaffGroup.EARLY_CAREER: "cadence_early_career",
    StaffGroup.TEACHER: "cadence_teachers",
    StaffGroup.LEADER: "cadence_leaders",
}


def _defaults():
    return {
        f.name: f.default
        for f in CoachingChoices._meta.get_fields()
        if f.name in {name for group in SETTING_GROUPS for name in group.fields}
    }


@dataclass(frozen=True)
class EffectiveModel:
    """A school's coaching model as it applies today: the school's choices where the trust
    lets it choose, the trust's where the trust has standardised."""

    values: dict
    levels: dict  # group key -> Level
    trust_values: dict
    caseload_limit: int
    framework_id: int | None  # the framework the school's coaches choose steps from
    adapts_framework: bool

    def cadence_days(self, staff_group=StaffGroup.TEACHER) -> int:
        field = CADENCE_FIELD.get(staff_group, CADENCE_FIELD[StaffGroup.TEACHER])
        return int(self.values[field])

    def is_standardised(self, group_key) -> bool:
        return self.levels.get(group_key) == Level.STANDARDISED

    def differs_from_trust(self, group: SettingGroup) -> bool:
        return any(self.values[name] != self.trust_values[name] for name in group.fields)

    def __getattr__(self, name):
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def effective_model(*, policy, school_model) -> EffectiveModel:
    """Combine a trust's policy and a school's model; either may be missing (defaults)."""
    defaults = _defaults()
    trust_values = {name: getattr(policy, name) if policy else defaults[name] for name in defaults}
    levels = {
        group.key: getattr(policy, group.level_field) if policy else Level.AUTONOMOUS
        for group in SETTING_GROUPS
    }
    values = {}
    for group in SETTING_GROUPS:
        use_trust = levels[group.key] == Level.STANDARDISED or school_model is None
        source = trust_values if use_trust else {n: getattr(school_model, n) for n in group.fields}
        values.update({name: source[name] for name in group.fields})
    trust_framework = policy.framework_id if policy else None
    own_framework = school_model.own_framework_id if school_model else None
    policy_choice = values["framework_policy"]
    if policy_choice == FrameworkPolicy.OWN and own_framework:
        framework_id = own_framework
    else:
        framework_id = trust_framework
    return EffectiveModel(
        values=values,
        levels=levels,
        trust_values=trust_values,
        caseload_limit=(
            school_model.caseload_limit
            if school_model
            else SchoolModel._meta.get_field("caseload_limit").default
        ),
        framework_id=framework_id,
        adapts_framework=policy_choice == FrameworkPolicy.ADAPT,
    )


def cadence_label(days) -> str:
    return str(Cadence(days).label) if days in Cadence.values else str(days)
