"""The form a teacher shares one of their items with: who, until when, and a note.

The people offered come from ``queries.sharing.people_to_share_with`` (everyone with a current
role in the teacher's trust but the teacher), so anyone else is simply not a valid choice."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.services.sharing import NOTE_LIMIT, latest_end
from coachloop.common.forms import PersonChoiceField, date_input

DEFAULT_SHARE_DAYS = 30


class ShareForm(forms.Form):
    grantee = PersonChoiceField(
        label=_("Who to share it with"),
        queryset=None,
        empty_label=_("Choose a person"),
        help_text=_("Anyone who works in your trust. Only they will be able to read it."),
        error_messages={
            "required": _("Choose who to share it with."),
            "invalid_choice": _("Choose someone from the list."),
        },
    )
    expires_on = forms.DateField(
        label=_("Share until"),
        widget=date_input(),
        help_text=_("They can read it until the end of this day, for a year at most."),
        error_messages={
            "required": _("Enter the date the share ends."),
            "invalid": _("Enter a real date."),
        },
    )
    note = forms.CharField(
        label=_("A note for them (optional)"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Keep the note to %(limit_value)d characters or fewer.")},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["grantee"].queryset = people
        self.fields["expires_on"].widget.attrs.update(
            {"min": today.isoformat(), "max": latest_end(today).isoformat()}
        )
        self.initial.setdefault("expires_on", today + dt.timedelta(days=DEFAULT_SHARE_DAYS))
