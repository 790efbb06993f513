"""The forms that make tokens and integrations. The services (``api.tokens``,
``api.integrations``) check everything again and say why in the same words; the forms only
turn what was typed into values."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coachloop.api.integrations import FEWEST_CALLS, MOST_CALLS
from coachloop.api.models import Scope
from coachloop.common.forms import DatesMixin, date_field

DEFAULT_DAYS = 30


def _name_field(help_text):
    return forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=help_text,
        error_messages={
            "required": _("Enter a name for the token, to know it by."),
            "max_length": _("The name must be 100 characters or fewer."),
        },
    )


def _expires_field(help_text):
    return date_field(
        _("Stops working at the end of"),
        _("Enter the date the token stops working."),
        help_text=help_text,
    )


def default_expiry():
    return timezone.localdate() + timedelta(days=DEFAULT_DAYS)


class PersonalTokenForm(DatesMixin, forms.Form):
    not_before_today = ("expires_on",)

    name = _name_field(_("What you will use it for, such as “Timetable spreadsheet”."))
    expires_on = _expires_field("")

    def __init__(self, *args, longest_days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].help_text = ngettext(
            "A token of yours can work for %(days)s day at most.",
            "A token of yours can work for %(days)s days at most.",
            longest_days,
        ) % {"days": longest_days}
        latest = timezone.localdate() + timedelta(days=longest_days)
        self.fields["expires_on"].widget.attrs["max"] = latest.isoformat()


class IntegrationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The system that will use the API, such as “School MIS”."),
        error_messages={
            "required": _("Enter a name for the integration, such as the system it is."),
            "max_length": _("The name must be 100 characters or fewer."),
        },
    )


class SchoolChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class IntegrationTokenForm(DatesMixin, forms.Form):
    not_before_today = ("expires_on",)

    name = _name_field(_("What this token is for, such as “Nightly staff sync”."))
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        choices=Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Choose only what the system needs. Starting and ending roles covers teacher and "
            "coach roles only: leaders' roles are changed by a person."
        ),
    )
    schools = SchoolChoiceField(
        label=_("Schools whose coaching activity it may read"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for a token that reads coaching activity."),
        error_messages={"invalid_choice": _("Choose only schools of your trust.")},
    )
    expires_on = _expires_field(_("An integration's token can work for 365 days at most."))
    rate_per_minute = forms.IntegerField(
        label=_("Calls a minute"),
        help_text=_("Between %(fewest)s and %(most)s. Calls beyond this wait for the next minute.")
        % {"fewest": FEWEST_CALLS, "most": MOST_CALLS},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"}
        ),
        error_messages={
            "required": _("Enter how many calls a minute the token may make."),
            "invalid": _("Enter the calls a minute as a whole number, like 60."),
        },
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools
