"""The endpoint form: its address, which of the integration's tokens it speaks for, and the
events it hears of (the service refuses events the token's scopes do not allow)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coachloop.api.models import ApiToken
from coachloop.api.webhooks.events import EVENT_TYPES


class TokenChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        scopes = ", ".join(obj.scopes) or _("no scopes")
        return f"{obj.name} ({obj.prefix}…): {scopes}"


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where events are sent, starting with https://"),
        error_messages={
            "required": _("Enter the address events are sent to"),
            "invalid": _("Enter an address like https://example.org/coachloop"),
        },
    )
    token = TokenChoiceField(
        label=_("Token"),
        queryset=ApiToken.objects.none(),
        empty_label=None,
        help_text=_(
            "Events are sent only while this token works, and only those its scopes let it see."
        ),
        error_messages={"required": _("Choose a token"), "invalid_choice": _("Choose a token")},
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(name, label) for name, (_scope, label) in EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one event"),
            "invalid_choice": _("Choose events from the list"),
        },
    )

    def __init__(self, data=None, *, tokens):
        super().__init__(data)
        self.fields["token"].queryset = ApiToken.objects.filter(pk__in=[t.pk for t in tokens])
