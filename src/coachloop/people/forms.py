"""Forms for signing in and choosing or changing a password, in our own words."""

from allauth.account import forms as allauth_forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
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


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    """django-allauth's form for changing one's password (signed in), in our words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "oldpassword": _("Your current password"),
            "password1": _("New password"),
            "password2": _("Enter the new password again"),
        }
        for name, label in labels.items():
            field = self.fields[name]
            field.label = label
            field.help_text = ""
            field.widget.attrs.pop("placeholder", None)
        self.fields["password1"].help_text = _(
            "Use at least 8 characters. Avoid a common password, one made only of numbers, and "
            "one that looks like your name or email address."
        )
        self.fields["oldpassword"].error_messages["required"] = _("Enter your current password")
        self.fields["password1"].error_messages["required"] = _("Enter a new password")
        self.fields["password2"].error_messages["required"] = _("Enter the new password again")

    def clean_oldpassword(self):
        if not self.user.check_password(self.cleaned_data.get("oldpassword", "")):
            raise ValidationError(
                _("That is not your current password. Enter it again."), code="wrong"
            )
        return self.cleaned_data["oldpassword"]

    def clean(self):
        password1, password2 = (self.cleaned_data.get(name) for name in ("password1", "password2"))
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two new passwords are not the same."))
            return self.cleaned_data  # rather than allauth's own words for it
        return super().clean()
