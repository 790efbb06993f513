"""The programme lead's form to open a resubmission: the new due date and why."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _

from coachloop.common.forms import date_input, error_messages, textarea


class ResubmissionForm(forms.Form):
    due_on = forms.DateField(
        label=_("New due date"),
        widget=date_input(),
        error_messages=error_messages(
            _("Enter the new due date."), invalid=_("Enter the new due date as a real date.")
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The teacher's history and the exam board show it."),
        max_length=2000,
        widget=textarea(4),
        error_messages=error_messages(_("Say why the resubmission is opened.")),
    )

    def __init__(self, *args, due_at, **kwargs):
        super().__init__(*args, **kwargs)
        self.due_at = timezone.localtime(due_at)
        self.fields["due_on"].help_text = _("The work will be due at %(time)s on that day.") % {
            "time": time_format(self.due_at, "H:i")
        }
        self.fields["due_on"].widget.attrs["min"] = timezone.localdate().isoformat()

    def new_due_at(self):
        """The chosen day, at the time of day the assignment is due."""
        return timezone.make_aware(
            dt.datetime.combine(
                self.cleaned_data["due_on"], self.due_at.time().replace(tzinfo=None)
            )
        )
