"""Forms for a school's coaching model and the trust's policy: the decision grid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coachloop.policy.grid import SETTING_GROUPS
from coachloop.policy.models import Cadence, FrameworkPolicy, Level

MAX_READ_AFTER_END_DAYS = 365
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
MODES = [
    ("meets_in_person", _("In person")),
    ("meets_by_phone", _("By phone")),
    ("meets_by_video", _("By video call")),
]


def _cadence(label):
    return forms.TypedChoiceField(
        label=label,
        choices=Cadence.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often.")},
    )


def _yes_no(label):
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )


class DecisionGridForm(forms.Form):
    """The grid's fields; ``locked`` groups (standardised by the trust) are left out."""

    cadence_early_career = _cadence(_("How often are early-career teachers seen?"))
    cadence_teachers = _cadence(_("How often are other teachers seen?"))
    cadence_leaders = _cadence(_("How often are leaders seen?"))
    leaders_coach = _yes_no(_("Do leaders coach?"))
    leaders_are_coached = _yes_no(_("Are leaders coached?"))
    meeting_modes = forms.MultipleChoiceField(
        label=_("How can coaching conversations take place?"),
        choices=MODES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way coaching meets.")},
    )
    group_coaching = _yes_no(_("Is group coaching allowed?"))
    framework_policy = forms.ChoiceField(
        label=_("Which framework for teaching?"),
        choices=FrameworkPolicy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a framework policy.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    GROUP_FIELDS = {
        "cadence": ["cadence_early_career", "cadence_teachers", "cadence_leaders"],
        "leadership": ["leaders_coach", "leaders_are_coached"],
        "meeting_modes": ["meeting_modes"],
        "group_coaching": ["group_coaching"],
        "framework": ["framework_policy"],
    }

    def __init__(self, *args, locked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = set(locked)
        for key in self.locked:
            for name in self.GROUP_FIELDS[key]:
                del self.fields[name]

    @classmethod
    def initial_from(cls, row):
        initial = {"version": row.version}
        for group in SETTING_GROUPS:
            for name in group.fields:
                value = getattr(row, name)
                initial[name] = ("yes" if value else "no") if isinstance(value, bool) else value
        initial["meeting_modes"] = [name for name, _label in MODES if getattr(row, name)]
        return initial

    def model_values(self):
        """The cleaned data as model field values."""
        data = self.cleaned_data
        values = {}
        for name in ("cadence_early_career", "cadence_teachers", "cadence_leaders"):
            if name in data:
                values[name] = data[name]
        for name in ("leaders_coach", "leaders_are_coached", "group_coaching"):
            if name in data:
                values[name] = data[name] == "yes"
        if "meeting_modes" in data:
            values.update({name: name in data["meeting_modes"] for name, _label in MODES})
        if "framework_policy" in data:
            values["framework_policy"] = data["framework_policy"]
        return values


class SchoolModelForm(DecisionGridForm):
    own_framework = forms.ModelChoiceField(
        label=_("The school's own framework"),
        queryset=None,
        required=False,
        empty_label=_("Not using one"),
        help_text=_("Only needed when the school uses its own framework."),
    )
    caseload_limit = forms.IntegerField(
        label=_("Most teachers one coach should have"),
        help_text=_("You are warned before a coach is given more than this."),
        error_messages={
            "required": _("Enter the most teachers one coach should have."),
            "invalid": _("Enter a whole number, like 6."),
        },
    )

    read_after_end_days = forms.IntegerField(
        label=_("Days a former coach may still read a teacher's record"),
        help_text=_(
            "When coaching ends or passes to a new coach, the former coach can read the "
            "record, but not change it, for this many days. Then only the teacher can. "
            "Enter 0 to stop their reading on the day it ends."
        ),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}
        ),
        error_messages={
            "required": _("Enter how many days a former coach may still read the record."),
            "invalid": _("Enter a whole number of days, like 30."),
        },
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["own_framework"].queryset = frameworks
        if "framework" in self.locked:
            del self.fields["own_framework"]

    def clean_read_after_end_days(self):
        value = self.cleaned_data["read_after_end_days"]
        if value < 0:
            raise forms.ValidationError(_("The number of days cannot be negative."))
        if value > MAX_READ_AFTER_END_DAYS:
            raise forms.ValidationError(
                _("Enter %(n)d days or fewer: a former coach should not read a record for longer.")
                % {"n": MAX_READ_AFTER_END_DAYS}
            )
        return value

    def clean_caseload_limit(self):
        value = self.cleaned_data["caseload_limit"]
        if value < 1:
            raise forms.ValidationError(_("A coach needs room for at least 1 teacher."))
        if value > 40:
            raise forms.ValidationError(
                _("Enter 40 or fewer: no coach can see more teachers well.")
            )
        return value

    @classmethod
    def initial_from(cls, row):
        return {
            **super().initial_from(row),
            "own_framework": row.own_framework_id,
            "caseload_limit": row.caseload_limit,
            "read_after_end_days": row.read_after_end_days,
        }

    def model_values(self):
        values = super().model_values()
        values["caseload_limit"] = self.cleaned_data["caseload_limit"]
        values["read_after_end_days"] = self.cleaned_data["read_after_end_days"]
        if "own_framework" in self.cleaned_data:
            values["own_framework"] = self.cleaned_data["own_framework"]
        return values


class TrustPolicyForm(DecisionGridForm):
    framework = forms.ModelChoiceField(
        label=_("The trust's framework for teaching"),
        queryset=None,
        required=False,
        empty_label=_("Every framework the trust has loaded"),
    )
    cadence_level = forms.ChoiceField(label=_("Coaching rhythm"), choices=Level.choices)
    leadership_level = forms.ChoiceField(
        label=_("Leaders coaching and coached"), choices=Level.choices
    )
    meeting_modes_level = forms.ChoiceField(label=_("How coaching meets"), choices=Level.choices)
    group_coaching_level = forms.ChoiceField(label=_("Group coaching"), choices=Level.choices)
    framework_level = forms.ChoiceField(label=_("Framework for teaching"), choices=Level.choices)

    LEVEL_FIELDS = (
        "cadence_level",
        "leadership_level",
        "meeting_modes_level",
        "group_coaching_level",
        "framework_level",
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks

    @classmethod
    def initial_from(cls, row):
        return {
            **super().initial_from(row),
            "framework": row.framework_id,
            **{name: getattr(row, name) for name in cls.LEVEL_FIELDS},
        }

    def model_values(self):
        values = super().model_values()
        values["framework"] = self.cleaned_data["framework"]
        values.update({name: self.cleaned_data[name] for name in self.LEVEL_FIELDS})
        return values
