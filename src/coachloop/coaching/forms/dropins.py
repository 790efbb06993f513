"""Forms for a drop-in: recording one, editing it, and the draft saved as the coach types."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.models import DropIn
from coachloop.common.forms import DatesMixin, date_input, error_messages, textarea

TEXT_LIMIT = 4000


class DropInForm(DatesMixin, forms.Form):
    not_after_today = ("visited_on",)

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    visited_on = forms.DateField(
        label=_("Date of the visit"),
        widget=date_input(),
        error_messages=error_messages(_("Enter the date of the visit.")),
    )
    class_or_group = forms.CharField(
        label=_("Class or group"),
        max_length=80,
        widget=forms.TextInput(attrs={"list": "recent-classes", "autocomplete": "off"}),
        error_messages=error_messages(_("Enter the class or group you visited.")),
        help_text=_("For example 9X2 or Year 4. Never a pupil's name."),
    )
    minutes = forms.IntegerField(
        label=_("Minutes in the lesson"),
        min_value=1,
        max_value=120,
        # A text box with a number keypad, not type="number" (its arrows and scrolling trip
        # people up; the Design System advises against it).
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"}
        ),
        help_text=_("For example, 10"),
        error_messages=error_messages(
            _("Enter how many minutes you were in the lesson."),
            invalid=_("Enter the minutes as a whole number, for example 15."),
            min_value=_("Enter at least 1 minute."),
            max_value=_("Enter 120 minutes or fewer."),
        ),
    )
    strengths = forms.CharField(
        label=_("What went well"),
        max_length=TEXT_LIMIT,
        error_messages=error_messages(_("Enter at least one thing that went well.")),
        widget=textarea(4),
        help_text=_("Start with strengths: what the teacher did that worked."),
    )
    noticed = forms.CharField(
        label=_("What else you noticed"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=textarea(3),
    )
    evidence = forms.CharField(
        label=_("Evidence seen"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=textarea(3),
        help_text=_("What pupils said, did or produced."),
    )
    followup = forms.ChoiceField(
        label=_("Was the current action step visible?"),
        required=False,
        choices=DropIn.FollowUp.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, current_step=None, teacher=None, **kwargs):
        self.current_step = current_step
        super().__init__(*args, **kwargs)
        if current_step is None:
            del self.fields["followup"]
        if teacher is not None:
            self.fields["strengths"].help_text = _(
                "Start with strengths. Write to %(name)s: what they did that worked."
            ) % {"name": teacher.get_short_name()}

    # Checked here as well as by the service, so a date in the future is listed with any
    # other problem at once, not after they are fixed.
    def clean_visited_on(self):
        value = self.cleaned_data["visited_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the visit cannot be in the future."))
        return value

    def clean_followup(self):
        value = self.cleaned_data.get("followup", "")
        if self.current_step is not None and not value:
            raise forms.ValidationError(_("Say whether the current step was visible."))
        return value

    @classmethod
    def initial_for(cls, draft=None):
        if draft is None:
            return {"uuid": uuid.uuid4(), "visited_on": timezone.localdate()}
        return {
            "uuid": draft.uuid,
            "visited_on": draft.visited_on,
            "class_or_group": draft.class_or_group,
            "minutes": draft.minutes or None,
            "strengths": draft.strengths,
            "noticed": draft.noticed,
            "evidence": draft.evidence,
            "followup": draft.followup,
        }


class DropInEditForm(DropInForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["uuid"]


class DraftForm(forms.Form):
    """What the page sends as the coach types: anything valid so far is kept."""

    uuid = forms.UUIDField()
    visited_on = forms.DateField(required=False)
    class_or_group = forms.CharField(max_length=80, required=False)
    minutes = forms.IntegerField(min_value=0, max_value=120, required=False)
    strengths = forms.CharField(max_length=TEXT_LIMIT, required=False, strip=False)
    noticed = forms.CharField(max_length=TEXT_LIMIT, required=False, strip=False)
    evidence = forms.CharField(max_length=TEXT_LIMIT, required=False, strip=False)
    followup = forms.ChoiceField(choices=DropIn.FollowUp.choices, required=False)

    def draft_fields(self):
        """Only the fields that were valid; a bad field never blocks saving the rest."""
        data = {}
        for name in ("class_or_group", "strengths", "noticed", "evidence", "followup"):
            if name in self.cleaned_data:
                data[name] = self.cleaned_data[name] or ""
        if self.cleaned_data.get("minutes") is not None:
            data["minutes"] = self.cleaned_data["minutes"]
        visited_on = self.cleaned_data.get("visited_on")
        if visited_on and visited_on <= timezone.localdate():
            data["visited_on"] = visited_on
        return data

    def clean(self):
        # Keep the valid fields even when another one is not.
        for name in list(self.errors):
            if name != "uuid":
                del self._errors[name]
        return self.cleaned_data
