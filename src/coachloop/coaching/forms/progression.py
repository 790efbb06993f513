"""Forms for progression: placing a teacher on a stage, proposing a step, answering it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.forms.steps import ActionStepForm
from coachloop.coaching.models import Stage
from coachloop.coaching.queries.progression import STAGE_HINTS
from coachloop.common.forms import DatesMixin, date_input, textarea

TEXT_LIMIT = 2000


class StageForm(DatesMixin, forms.Form):
    not_after_today = ("assessed_on",)

    strand = forms.ChoiceField(
        label=_("Which strand?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a strand of the framework.")},
    )
    stage = forms.TypedChoiceField(
        label=_("Which stage describes it best now?"),
        choices=Stage.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a stage from novice to expert."),
            "invalid_choice": _("Choose a stage from novice to expert."),
        },
    )
    assessed_on = forms.DateField(
        label=_("Date"),
        widget=date_input(),
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Enter a real date, for example 3 March 2026."),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=textarea(3),
        help_text=_("What makes you say so: a moment in a lesson, a change in context."),
    )

    def __init__(self, *args, strands, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.strands = {s.code: s for s in strands}
        self.fields["strand"].choices = [(s.code, s.title) for s in strands]
        if len(strands) == 1:
            self.initial["strand"] = strands[0].code
        self.stage_choices = [
            {"value": value, "label": label, "hint": STAGE_HINTS[value]}
            for value, label in Stage.choices
        ]

    def clean_strand(self):
        return self.strands[self.cleaned_data["strand"]]

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ProposalForm(ActionStepForm):
    """The teacher's own next step, from the framework or in their words: the coach's step
    form (its choice of framework steps and its checks), in the teacher's words, with why."""

    no_step_error = ("title", _("Write the step in your own words, or choose one."))
    no_success_error = ("success_looks_like", _("Say what success looks like."))

    framework_step = forms.ChoiceField(
        label=_("A step from the framework (optional)"), required=False
    )
    title = forms.CharField(
        label=_("The step, in your own words"),
        max_length=200,
        required=False,
        help_text=_("Leave this blank to use the framework's wording."),
    )
    success_looks_like = forms.CharField(
        label=_("What success looks like"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=textarea(3),
        help_text=_("What your coach will see in your lessons once it has become habit."),
    )
    why = forms.CharField(
        label=_("Why this step now?"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=textarea(3),
        help_text=_("What you have noticed in your classes that makes it matter."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["agreed_in_conversation"]  # agreed when the coach accepts it


class AcceptForm(forms.Form):
    previous_outcome = ActionStepForm.base_fields["previous_outcome"]

    def __init__(self, *args, current_step=None, **kwargs):
        super().__init__(*args, **kwargs)
        if current_step is None:
            del self.fields["previous_outcome"]


class DiscussForm(forms.Form):
    response = forms.CharField(
        label=_("What would you like to talk about?"),
        max_length=TEXT_LIMIT,
        widget=textarea(3),
        help_text=_("Your reply goes to the teacher with the proposal."),
        error_messages={"required": _("Say what you would like to talk about.")},
    )
