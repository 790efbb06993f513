"""Forms for signing in and choosing a password, in our own words."""

from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _


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
