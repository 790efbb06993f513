"""Forms for the action step and its practice: setting a step, its status, a rehearsal planned
and logged."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.models import ActionStep, Rehearsal
from coachloop.coaching.models.loop import NOT_NOW_LIMIT
from coachloop.common.forms import date_input, error_messages, textarea

TEXT_LIMIT = 4000


class ActionStepForm(forms.Form):
    """One step, from the framework or in the coach's words; the current one closes first."""

    # Where a missing step or success criterion is shown, and in whose words.
    no_step_error = (
        "framework_step",
        _("Choose a step from the framework or write one in your own words."),
    )
    no_success_error = (
        "success_looks_like",
        _("Say what success looks like for a step in your own words."),
    )

    previous_outcome = forms.ChoiceField(
        label=_("How did the current step end?"),
        choices=[
            (ActionStep.Outcome.EMBEDDED, ActionStep.Outcome.EMBEDDED.label),
            (ActionStep.Outcome.MOVED_ON, ActionStep.Outcome.MOVED_ON.label),
        ],
        widget=forms.RadioSelect,
        error_messages=error_messages(_("Say how the current step ended.")),
    )
    framework_step = forms.ChoiceField(
        label=_("Step from the framework"),
        required=False,
    )
    title = forms.CharField(
        label=_("Or write the action step in your own words"),
        max_length=200,
        required=False,
        help_text=_("Leave this blank to use the framework's wording."),
    )
    success_looks_like = forms.CharField(
        label=_("What success looks like"),
        max_length=2000,
        required=False,
        widget=textarea(3),
        help_text=_(
            "What you will see in the lesson when the step has become habit. Leave it blank "
            "to use what the framework says the step looks like."
        ),
    )
    agreed_in_conversation = forms.BooleanField(
        label=_("We agreed this step in our conversation"),
        required=False,
        help_text=_("Leave this unticked to ask the teacher to agree it here first."),
    )

    def __init__(self, *args, steps, current_step=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = {str(step.pk): step for step in steps}
        by_strand = {}
        for step in self.steps.values():
            by_strand.setdefault(step.strand.title, []).append((str(step.pk), step.title))
        self.fields["framework_step"].choices = [
            ("", _("None: I will write my own")),
            *by_strand.items(),
        ]
        if current_step is None:
            del self.fields["previous_outcome"]

    def clean_framework_step(self):
        value = self.cleaned_data["framework_step"]
        return self.steps.get(value) if value else None

    def clean(self):
        data = super().clean()
        if {"framework_step", "title", "success_looks_like"} & set(self.errors):
            return data
        step = data.get("framework_step")
        title = (data.get("title") or "").strip()
        success = (data.get("success_looks_like") or "").strip()
        if not step and not title:
            self.add_error(*self.no_step_error)
        elif not step and not success:
            self.add_error(*self.no_success_error)
        else:
            data["title"] = title or step.title
            data["success_looks_like"] = success or step.looks_like
        return data


class RehearsalPlanForm(forms.Form):
    planned_for = forms.DateField(
        label=_("Date of the rehearsal"),
        widget=date_input(),
        error_messages=error_messages(_("Enter the date of the rehearsal.")),
    )
    mode = forms.ChoiceField(
        label=_("Who will practise"),
        choices=Rehearsal.Mode.choices,
        widget=forms.RadioSelect,
        error_messages=error_messages(_("Say who will practise.")),
    )
    plan = forms.CharField(
        label=_("What you will practise"),
        max_length=TEXT_LIMIT,
        widget=textarea(4),
        help_text=_("The moment in the lesson, the words or moves, and how many run-throughs."),
        error_messages=error_messages(_("Say what you will practise.")),
    )

    def __init__(self, *args, for_teacher=False, **kwargs):
        super().__init__(*args, **kwargs)
        if for_teacher:  # the teacher reads about themselves
            self.fields["mode"].choices = [
                (Rehearsal.Mode.ALONE, _("On my own")),
                (Rehearsal.Mode.TOGETHER, _("With my coach")),
            ]


class RehearsalLogForm(forms.Form):
    done_on = forms.DateField(
        label=_("Date you rehearsed"),
        widget=date_input(),
        error_messages=error_messages(_("Enter the date you rehearsed.")),
    )
    how_it_went = forms.CharField(
        label=_("How it went"),
        help_text=_("What worked, and what you will change next time."),
        max_length=TEXT_LIMIT,
        widget=textarea(3),
        error_messages=error_messages(_("Say how it went.")),
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


class NotNowForm(forms.Form):
    """The teacher's reason for not taking up a step now, for their coach to read."""

    reason = forms.CharField(
        label=_("Why not now?"),
        help_text=_("Your coach reads this and suggests another step or a change to this one."),
        max_length=NOT_NOW_LIMIT,
        widget=textarea(3),
        error_messages=error_messages(
            _("Say why not now, so your coach can suggest another."),
            max_length=_("Keep the reason to %(limit_value)d characters or fewer."),
        ),
    )
