import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.models import ActionStep, DropIn, Rehearsal

TEXT_LIMIT = 4000


def _date_input():
    # A native date picker only accepts ISO dates, whatever the page's locale.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows, "class": "govuk-textarea"})


class GovukFormMixin:
    """Adds the Design System's classes and error states to each widget."""

    widget_classes = {
        forms.TextInput: "govuk-input",
        forms.NumberInput: "govuk-input govuk-input--width-3",
        forms.DateInput: "govuk-input govuk-input--width-10",
        forms.Textarea: "govuk-textarea",
        forms.Select: "govuk-select",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = self.widget_classes.get(type(field.widget))
            if css:
                field.widget.attrs.setdefault("class", css)
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self):
        # Styled here rather than in __init__, so validation runs once subclasses have set
        # up their fields (choices, querysets) and the errors are final.
        super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is None:
                continue
            attrs = field.widget.attrs
            described_by = [attrs["aria-describedby"]] if "aria-describedby" in attrs else []
            attrs["aria-describedby"] = " ".join([*described_by, f"id_{name}-error"])
            css = attrs.get("class", "")
            if css:
                attrs["class"] = f"{css} {css.split(' ')[0]}--error"


class DropInForm(GovukFormMixin, forms.Form):
    uuid = forms.UUIDField(widget=forms.HiddenInput)
    visited_on = forms.DateField(
        label=_("Date of the visit"),
        widget=_date_input(),
    )
    class_or_group = forms.CharField(
        label=_("Class or group"),
        max_length=80,
        error_messages={"required": _("Enter the class or group you visited.")},
        help_text=_("For example 9X2 or Year 4. Never a pupil's name."),
    )
    minutes = forms.IntegerField(
        label=_("Minutes in the lesson"),
        min_value=1,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    strengths = forms.CharField(
        label=_("What went well"),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Enter at least one thing that went well.")},
        widget=_textarea(4),
        help_text=_("Start with strengths: what the teacher did that worked."),
    )
    noticed = forms.CharField(
        label=_("What else you noticed"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=_textarea(3),
    )
    evidence = forms.CharField(
        label=_("Evidence seen"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=_textarea(3),
        help_text=_("What pupils said, did or produced."),
    )
    followup = forms.ChoiceField(
        label=_("Was the current action step visible?"),
        required=False,
        choices=DropIn.FollowUp.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, current_step=None, **kwargs):
        self.current_step = current_step
        super().__init__(*args, **kwargs)
        if current_step is None:
            del self.fields["followup"]
        self.fields["visited_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_visited_on(self):
        value = self.cleaned_data["visited_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the visit cannot be in the future."))
        return value

    def clean_class_or_group(self):
        value = self.cleaned_data["class_or_group"].strip()
        if not value:
            raise forms.ValidationError(_("Enter the class or group you visited."))
        return value

    def clean_strengths(self):
        value = self.cleaned_data["strengths"].strip()
        if not value:
            raise forms.ValidationError(_("Enter at least one thing that went well."))
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


class ActionStepForm(GovukFormMixin, forms.Form):
    framework_step = forms.ModelChoiceField(
        label=_("Step from the framework"),
        queryset=None,
        required=False,
        empty_label=_("None: I will write my own"),
    )
    title = forms.CharField(
        label=_("Or write the action step in your own words"),
        max_length=200,
        required=False,
    )
    success_looks_like = forms.CharField(
        label=_("What success looks like"),
        max_length=2000,
        widget=_textarea(3),
        help_text=_("What you will see in the lesson when the step has become habit."),
    )
    previous_outcome = forms.ChoiceField(
        label=_("How did the current step end?"),
        choices=ActionStep.Outcome.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, steps, current_step=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_step"].queryset = steps
        self.fields["framework_step"].label_from_instance = lambda s: f"{s.strand.title}: {s.title}"
        if current_step is None:
            del self.fields["previous_outcome"]

    def clean(self):
        data = super().clean()
        step = data.get("framework_step")
        title = (data.get("title") or "").strip()
        if not step and not title:
            raise forms.ValidationError(
                _("Choose a step from the framework or write one in your own words.")
            )
        data["title"] = title or (step.title if step else "")
        return data


class RehearsalPlanForm(GovukFormMixin, forms.Form):
    planned_for = forms.DateField(
        label=_("When"),
        widget=_date_input(),
    )
    mode = forms.ChoiceField(
        label=_("How"),
        choices=Rehearsal.Mode.choices,
        widget=forms.RadioSelect,
    )
    plan = forms.CharField(
        label=_("What you will practise"),
        max_length=TEXT_LIMIT,
        widget=_textarea(4),
        help_text=_("The moment in the lesson, the words or moves, and how many run-throughs."),
    )


class RehearsalLogForm(GovukFormMixin, forms.Form):
    done_on = forms.DateField(
        label=_("Done on"),
        widget=_date_input(),
    )
    how_it_went = forms.CharField(
        label=_("How it went"),
        max_length=TEXT_LIMIT,
        widget=_textarea(3),
    )

    def clean_done_on(self):
        value = self.cleaned_data["done_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Practice cannot be logged for a future date."))
        return value


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (ActionStep.Status.PRACTISING, ActionStep.Status.PRACTISING.label),
            (ActionStep.Status.EMBEDDED, ActionStep.Status.EMBEDDED.label),
        ]
    )
