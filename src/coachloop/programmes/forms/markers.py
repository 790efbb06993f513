"""The programme lead's form replacing a submission's marker: who marks in their place, and,
once the outgoing marker's mark is in, why it is withdrawn."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coachloop.common.forms import PersonChoiceField, error_messages, textarea


class MarkerReplaceForm(forms.Form):
    person = PersonChoiceField(
        label=_("Who marks instead"),
        queryset=None,
        empty_label=_("Choose someone"),
        help_text=_("A tutor on the programme or a coach at the teacher's school."),
        error_messages=error_messages(
            _("Choose who marks instead."), invalid_choice=_("Choose someone from the list.")
        ),
    )
    reason = forms.CharField(
        label=_("Why their mark is withdrawn"),
        help_text=_("The markers, the moderator and the exam board read this."),
        max_length=2000,
        required=False,
        widget=textarea(4),
    )

    def __init__(self, *args, people, mark_in, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        if not mark_in:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _("Say why their mark is withdrawn.")
