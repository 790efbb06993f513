"""Forms for the programme lead's corrections on a submission's board page: reopening a stage
before release, correcting a released mark, and choosing the moderator. The services check
everything again; a form only gives a clear message early."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coachloop.common.forms import PersonChoiceField, error_messages, textarea
from coachloop.programmes.forms.marking import mark_field


def _reason(label, help_text, required_message, *, required=True):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=2000,
        widget=textarea(4),
        error_messages=error_messages(required_message),
    )


class ReopenForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("What to reopen"),
        choices=(),
        widget=forms.RadioSelect,
        error_messages=error_messages(
            _("Choose what to reopen."), invalid_choice=_("Choose what to reopen from the list.")
        ),
    )
    reason = _reason(
        _("Why"),
        _("The markers and the moderator read it in the submission's history."),
        _("Say why you are reopening it."),
    )

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stages


class CorrectForm(forms.Form):
    mark = mark_field(
        _("Corrected mark"),
        _("Enter the corrected mark."),
        out_of_range=_("The corrected mark must be a whole number from 0 to 100."),
    )
    reason = _reason(
        _("Why the mark changes"),
        _("The teacher reads it, and it stays in the submission's history."),
        _("Say why the mark changes."),
    )


class ModeratorForm(forms.Form):
    moderator = PersonChoiceField(
        label=_("Moderator"),
        queryset=None,
        empty_label=_("Choose a moderator"),
        help_text=_("One of the programme's moderators who marked none of this work."),
        error_messages=error_messages(
            _("Choose the moderator."), invalid_choice=_("Choose a moderator from the list.")
        ),
    )
    reason = _reason(
        _("Why"),
        _("Needed once the moderator has decided: their decision is cleared."),
        _("Say why."),
        required=False,
    )

    def __init__(self, *args, moderators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moderator"].queryset = moderators
