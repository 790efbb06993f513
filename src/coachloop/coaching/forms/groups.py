"""Forms for coaching groups: setting one up, who is in it, and its sessions.

Choices of people come from ``coaching.queries.groups``, so someone from another school, or
outside the group, is simply not a valid choice.
"""

import copy

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.models import CoachingGroup, GroupSession
from coachloop.common.forms import (
    PeopleChoiceField,
    PersonChoiceField,
    date_input,
    error_messages,
    textarea,
)


def _limit(model, name):
    return model._meta.get_field(name).max_length


class CoachingGroupForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of group"),
        choices=CoachingGroup.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A dyad is two colleagues coaching each other. An action learning set is 3 to 8 "
            "colleagues: at each session one brings a real problem, the others ask questions, "
            "and they leave with an action to report on next time."
        ),
        error_messages=error_messages(
            _("Choose a dyad or an action learning set."),
            invalid_choice=_("Choose a dyad or an action learning set."),
        ),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=_limit(CoachingGroup, "name"),
        help_text=_("For example, Year 7 tutors or New heads of department."),
        error_messages=error_messages(_("Enter a name for the group.")),
    )
    focus = forms.CharField(
        label=_("What the group is working on (optional)"),
        max_length=_limit(CoachingGroup, "focus"),
        required=False,
        widget=textarea(3),
    )
    members = PeopleChoiceField(
        label=_("Members"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose from the staff who teach or coach at the school."),
        error_messages=error_messages(
            _("Choose who is in the group."),
            invalid_choice=_("Choose only people who teach or coach at the school."),
        ),
    )
    facilitator = PersonChoiceField(
        label=_("Facilitator (optional)"),
        queryset=None,
        required=False,
        empty_label=_("No facilitator"),
        help_text=_(
            "One of the members who keeps the process going: the time, the turns, and "
            "questions rather than advice."
        ),
        error_messages={"invalid_choice": _("The facilitator must be one of the members.")},
    )
    cadence_days = forms.IntegerField(
        label=_("Days between sessions (optional)"),
        required=False,
        min_value=1,
        max_value=365,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"}
        ),
        help_text=_("For example, 14 to meet every fortnight."),
        error_messages={
            "invalid": _("Enter the days as a whole number, for example 14."),
            "min_value": _("Enter a number of days from 1 to 365."),
            "max_value": _("Enter a number of days from 1 to 365."),
        },
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = staff
        self.fields["facilitator"].queryset = staff

    def clean(self):
        data = super().clean()
        facilitator, members = data.get("facilitator"), data.get("members")
        if facilitator is not None and members is not None and facilitator not in members:
            self.add_error("facilitator", _("The facilitator must be one of the members."))
        return data


class MemberAddForm(forms.Form):
    person = PersonChoiceField(
        label=_("Who is joining"),
        queryset=None,
        empty_label=_("Choose a person"),
        error_messages=error_messages(
            _("Choose who is joining the group."),
            invalid_choice=_("Choose someone who teaches or coaches at the school."),
        ),
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff


class GroupSessionForm(forms.Form):
    met_on = forms.DateField(
        label=_("Date the group met"),
        widget=date_input(),
        error_messages=error_messages(
            _("Enter the date the group met."), invalid=_("Enter a real date.")
        ),
    )
    presenter = PersonChoiceField(
        label=_("Who brought a problem"),
        queryset=None,
        required=False,
        empty_label=_("Nobody this time"),
        error_messages={"invalid_choice": _("Choose someone who is in the group.")},
    )
    problem = forms.CharField(
        label=_("The problem brought"),
        max_length=_limit(GroupSession, "problem"),
        required=False,
        widget=textarea(4),
        help_text=_("A real problem from their own work. Name a class or group, never a pupil."),
    )
    questions = forms.CharField(
        label=_("Questions that helped (optional)"),
        max_length=_limit(GroupSession, "questions"),
        required=False,
        widget=textarea(4),
        help_text=_("The questions that opened the problem up, rather than advice."),
    )
    action = forms.CharField(
        label=_("The action the presenter will take (optional)"),
        max_length=_limit(GroupSession, "action"),
        required=False,
        widget=textarea(3),
        help_text=_("What they will try before the next session. The group hears how it went."),
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        max_length=_limit(GroupSession, "notes"),
        required=False,
        widget=textarea(3),
    )

    def __init__(self, *args, members, **kwargs):
        kwargs.setdefault("initial", {"met_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = members

    @staticmethod
    def initial_for(session):
        return {
            "met_on": session.met_on,
            "presenter": session.presenter_id,
            "problem": session.problem,
            "questions": session.questions,
            "action": session.action,
            "notes": session.notes,
            "action_report": session.action_report,
            "reported_on": session.reported_on,
            "version": session.version,
        }


class GroupSessionEditForm(GroupSessionForm):
    """A recorded session; one whose action was reported on carries that report too."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, reported=False, **kwargs):
        super().__init__(*args, **kwargs)
        if reported:
            for name in ("action_report", "reported_on"):
                self.fields[name] = copy.deepcopy(ActionReportForm.base_fields[name])


class ActionReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    action_report = forms.CharField(
        label=_("What happened"),
        max_length=_limit(GroupSession, "action_report"),
        widget=textarea(5),
        help_text=_("What the presenter tried, how it went, and what they will do next."),
        error_messages=error_messages(_("Write what happened when the action was tried.")),
    )
    reported_on = forms.DateField(
        label=_("Date the group heard this"),
        widget=date_input(),
        error_messages=error_messages(
            _("Enter the date the group heard what happened."), invalid=_("Enter a real date.")
        ),
    )
