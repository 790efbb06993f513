"""Forms for agreeing a mark: a marker's proposal (mark, how they reached it, the agreed
feedback), the other marker's reason for declining it, the programme lead's decision, their
choice of a third marker, and the third marker's mark with why it settles it."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from coachloop.common.forms import PersonChoiceField, error_messages, textarea
from coachloop.programmes.forms.marking import MarkForm, mark_field

AGREED_OUT_OF_RANGE = _("The agreed mark must be a whole number from 0 to 100.")


def _feedback_field():
    return forms.CharField(
        label=_("Agreed feedback"),
        help_text=_("What the teacher reads with the mark, once it is released."),
        max_length=8000,
        widget=textarea(8),
        error_messages=error_messages(
            _("Write the agreed feedback: the teacher reads it with the mark.")
        ),
    )


class ProposeForm(forms.Form):
    agreed_mark = mark_field(
        _("Agreed mark"),
        _("Enter the mark you propose."),
        help_text=_("The overall mark, a whole number between the two marks."),
        out_of_range=AGREED_OUT_OF_RANGE,
    )
    reason = forms.CharField(
        label=_("How you reached it"),
        help_text=_("The other marker, the moderator and the external examiner read this."),
        max_length=2000,
        widget=textarea(5),
        error_messages=error_messages(
            _("Say how you reached the agreed mark: the moderator reads it.")
        ),
    )
    feedback = _feedback_field()

    def __init__(self, *args, lowest=None, highest=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lowest is not None:
            self.fields["agreed_mark"].help_text = _(
                "The overall mark, a whole number from %(lowest)s to %(highest)s (between the "
                "two marks)."
            ) % {"lowest": lowest, "highest": highest}


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Why you decline it"),
        help_text=_("The programme lead reads this and decides the mark."),
        max_length=2000,
        widget=textarea(4),
        error_messages=error_messages(
            _("Say why you decline the proposed mark: the programme lead reads it.")
        ),
    )


class AdjudicateForm(forms.Form):
    agreed_mark = mark_field(
        _("Agreed mark"),
        _("Enter the mark you decide."),
        help_text=_("The overall mark, a whole number from 0 to 100."),
        out_of_range=AGREED_OUT_OF_RANGE,
    )
    reason = forms.CharField(
        label=_("How you decided it"),
        help_text=_("The markers, the moderator and the external examiner read this."),
        max_length=2000,
        widget=textarea(5),
        error_messages=error_messages(
            _("Say how you decided the mark: the moderator and the board read it.")
        ),
    )
    feedback = _feedback_field()


class ThirdMarkerForm(forms.Form):
    person = PersonChoiceField(
        label=_("Third marker"),
        queryset=None,
        empty_label=_("Choose a tutor"),
        help_text=_("A tutor on the programme who is neither marker nor the teacher."),
        error_messages=error_messages(
            _("Choose the tutor who marks third."),
            invalid_choice=_("Choose a tutor from the list."),
        ),
    )
    reason = forms.CharField(
        label=_("Why a third marker"),
        help_text=_("The third marker and the exam board read this."),
        max_length=2000,
        widget=textarea(4),
        error_messages=error_messages(_("Say why a third marker is needed: the board reads it.")),
    )

    def __init__(self, *args, tutors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = tutors


class ThirdMarkForm(MarkForm):
    """The third marker's mark: the criteria, their comments (the agreed feedback), and why
    their mark settles it."""

    reason = forms.CharField(
        label=_("Why your mark settles it"),
        help_text=_("The markers, the moderator and the exam board read this."),
        max_length=2000,
        widget=textarea(5),
        error_messages=error_messages(
            _("Say why your mark settles it: the moderator and the board read it.")
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].label = _("Feedback for the teacher")
        self.fields["reason"] = copy.deepcopy(self.base_fields["reason"])
