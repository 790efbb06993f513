"""The learning agreement form: one version's terms, and the version it was written from."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.models import AgreementVersion
from coachloop.coaching.services.agreements import MEETING_LIMIT, TERMS, TEXT_LIMIT
from coachloop.common.forms import textarea


class AgreementForm(forms.Form):
    # The latest version's number when the form was opened (0 for the first): the service
    # refuses the proposal if someone proposed another version since.
    based_on = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    ground_rules = forms.CharField(
        label=_("Ground rules"),
        max_length=TEXT_LIMIT,
        widget=textarea(8),
        help_text=_("How you will work together. One rule on each line reads best."),
        error_messages={"required": _("Enter the ground rules.")},
    )
    confidentiality = forms.CharField(
        label=_("Confidentiality"),
        max_length=TEXT_LIMIT,
        widget=textarea(6),
        help_text=_("What stays between you, and the one exception (safeguarding)."),
        error_messages={"required": _("Say what stays confidential.")},
    )
    sharing = forms.CharField(
        label=_("What is shared, and with whom"),
        max_length=TEXT_LIMIT,
        widget=textarea(5),
        error_messages={"required": _("Say what is shared, and with whom.")},
    )
    appraisal = forms.ChoiceField(
        label=_("How this relates to appraisal"),
        choices=AgreementVersion.Appraisal.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Coaching is for learning, not for judging, so it is kept apart from appraisal and "
            "performance management. Nothing from it is used there unless the teacher chooses "
            "to bring something to their own appraisal themselves; nobody else can."
        ),
        error_messages={"required": _("Choose how this relates to appraisal.")},
    )
    meeting_frequency = forms.CharField(
        label=_("How often you meet"),
        max_length=MEETING_LIMIT,
        help_text=_("For example, every two weeks for about an hour."),
        error_messages={"required": _("Say how often you will meet.")},
    )

    @classmethod
    def initial_from(cls, terms, *, based_on):
        return {"based_on": based_on, **{name: terms[name] for name in TERMS}}

    def terms(self):
        return {name: self.cleaned_data[name] for name in TERMS}
