"""Forms for signing in, choosing a password and choosing a trust, in our own words."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from coachloop.people.services import NOT_YOUR_TRUST


class ResetPasswordForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(
            required=_("Enter your email address"),
            invalid=_("Enter an email address in the correct format, like name@example.org"),
        )


class ChoosePasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = _("Enter a password")
        self.fields["new_password2"].error_messages["required"] = _("Enter the password again")
        self.fields["new_password1"].label = _("Password")
        self.fields["new_password1"].help_text = _(
            "Use at least 8 characters. Avoid a common password, one made only of numbers, and "
            "one that looks like your name or email address."
        )
        self.fields["new_password2"].label = _("Enter the password again")
        self.fields["new_password2"].help_text = ""
        self.error_messages["password_mismatch"] = _("The two passwords are not the same.")


class TrustChoiceForm(forms.Form):
    """Which of the person's trusts to work in: only theirs are choices."""

    trust = forms.ModelChoiceField(
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        label=_("Which trust are you working in today?"),
        help_text=_("You can switch trust at any time from the top of any page."),
        error_messages={
            "required": _("Select the trust you are working in today"),
            "invalid_choice": NOT_YOUR_TRUST,
        },
    )

    def __init__(self, *args, trusts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trust"].queryset = trusts
