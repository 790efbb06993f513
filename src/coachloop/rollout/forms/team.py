"""Forms for a school's coaching team. Choices of people come from ``rollout.queries.team``,
so someone who is not a coach or teacher in the school is simply not a valid choice. Dates
are checked here as well as by the services, so every problem is listed at once. The form
that assigns a coach is coaching's (``coaching.forms.relationships.AssignCoachForm``)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.common.forms import (
    DatesMixin,
    PersonChoiceField,
    date_field,
    not_in_future,
)
from coachloop.rollout.models import RolloutPhase
from coachloop.rollout.services.team import (
    COURSE_LIMIT,
    DELIVERED_BY_LIMIT,
    DEVELOPMENT_LIMIT,
    MAX_TARGET_COACHES,
    NOTES_LIMIT,
    WENT_WELL_LIMIT,
)


def _number_input():
    # A text box with a number keypad, as the Design System advises, not type="number".
    return forms.TextInput(
        attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"}
    )


class CoachTrainingForm(DatesMixin, forms.Form):
    not_after_today = ("completed_on",)

    course = forms.CharField(
        label=_("Course"),
        max_length=COURSE_LIMIT,
        help_text=_("For example, Instructional coaching: foundations."),
        error_messages={"required": _("Enter the name of the course.")},
    )
    completed_on = date_field(
        _("Completed on"),
        _("Enter the date the course was completed."),
    )
    delivered_by = forms.CharField(
        label=_("Delivered by"),
        max_length=DELIVERED_BY_LIMIT,
        help_text=_("The person or organisation who ran it."),
        error_messages={"required": _("Say who ran the course.")},
    )

    def clean_completed_on(self):
        return not_in_future(
            self.cleaned_data["completed_on"],
            _("The date the course was completed cannot be in the future."),
        )


class RolloutPhaseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Phase"),
        choices=RolloutPhase.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose which phase this is."),
            "invalid_choice": _("Choose which phase this is."),
        },
    )
    starts_on = date_field(
        _("Starts on"),
        _("Enter the date the phase starts."),
    )
    ends_on = date_field(
        _("Ends on (optional)"),
        _("Enter the date the phase ends."),
        required=False,
        help_text=_("Leave this blank if the phase has no end date yet."),
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        max_length=NOTES_LIMIT,
        required=False,
        help_text=_("For example, who is in the first team of coaches."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("A phase cannot end before it starts."))
        return data


class CoverageTargetForm(DatesMixin, forms.Form):
    not_before_today = ("due_by",)

    trained_coaches = forms.IntegerField(
        label=_("Trained coaches"),
        help_text=_("How many coaches in the school will have completed training."),
        min_value=0,
        max_value=MAX_TARGET_COACHES,
        widget=_number_input(),
        error_messages={
            "required": _("Enter the number of trained coaches."),
            "invalid": _("Enter the number of trained coaches as a whole number, for example 6."),
            "min_value": _("The number of trained coaches cannot be negative."),
            "max_value": _("Enter %(limit_value)s trained coaches or fewer."),
        },
    )
    coached_percent = forms.IntegerField(
        label=_("Teachers with a coach (per cent)"),
        help_text=_("From 0 to 100. For example, 100 means every teacher has a coach."),
        min_value=0,
        max_value=100,
        widget=_number_input(),
        error_messages={
            "required": _("Enter the percentage of teachers with a coach."),
            "invalid": _("Enter the percentage as a whole number, for example 80."),
            "min_value": _("Enter a percentage of teachers with a coach from 0 to 100."),
            "max_value": _("Enter a percentage of teachers with a coach from 0 to 100."),
        },
    )
    due_by = date_field(
        _("Date to reach it by"),
        _("Enter the date the target is for."),
        help_text=_("Today or later."),
    )

    def clean_due_by(self):
        value = self.cleaned_data["due_by"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The date of a target cannot be in the past."))
        return value


class QaVisitForm(DatesMixin, forms.Form):
    not_after_today = ("visited_on",)

    coach = PersonChoiceField(
        label=_("Coach"),
        queryset=None,
        empty_label=_("Choose a coach"),
        error_messages={
            "required": _("Choose the coach you visited."),
            "invalid_choice": _("Choose a coach from the list."),
        },
    )
    visited_on = date_field(
        _("Date of the visit"),
        _("Enter the date of the visit."),
    )
    went_well = forms.CharField(
        label=_("What went well"),
        max_length=WENT_WELL_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the coach did in the conversation that helped the teacher."),
        error_messages={"required": _("Say what went well.")},
    )
    development_point = forms.CharField(
        label=_("One point to develop"),
        max_length=DEVELOPMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One thing for the coach to work on next. Keep it to one."),
        error_messages={"required": _("Give the coach one point to develop.")},
    )

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches

    def clean_visited_on(self):
        return not_in_future(
            self.cleaned_data["visited_on"], _("The date of the visit cannot be in the future.")
        )
