from django import forms
from django.utils.translation import gettext_lazy as _


class EmailPreferenceForm(forms.Form):
    """Two checkboxes: an unticked box is a kind of email turned off."""

    due_reminders = forms.BooleanField(
        required=False,
        label=_("Tell me when a teacher I coach is due a drop-in"),
        help_text=_(
            "For coaches: at most one email a day, naming each teacher once when they are due "
            "and once if they become overdue."
        ),
    )
    weekly_digest = forms.BooleanField(
        required=False,
        label=_("Send me a weekly digest"),
        help_text=_(
            "For coaches and coaching leads: last week's drop-ins and steps, and who is due, "
            "every Monday."
        ),
    )
