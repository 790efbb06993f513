"""Forms for signing in, choosing or changing a password and choosing a trust, in our own
words."""

from allauth.account import forms as allauth_forms
from allauth.account.forms import LoginForm
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coachloop.people import single_sign_on
from coachloop.people.models import User
from coachloop.people.services import NOT_YOUR_TRUST


class SignInForm(LoginForm):
    """allauth's sign-in form, which also refuses the right password of someone whose trusts
    sign their staff in only with their own accounts, and says which buttons to use. The
    password is checked first, so nobody learns from this page how an account signs in
    without knowing its password."""

    password_sign_in_closed = False

    def clean(self):
        cleaned_data = super().clean()
        person = getattr(self, "user", None)
        if person is None or self.errors:
            return cleaned_data
        trusts = single_sign_on.password_sign_in_closed(person)
        if trusts:
            self.password_sign_in_closed = True
            raise ValidationError(_password_closed_message(trusts), code="password_sign_in_closed")
        return cleaned_data


def _password_closed_message(trusts):
    names = get_text_list([trust.name for trust in trusts], _("and"))
    said = ngettext(
        "%(trusts)s signs its staff in with their own accounts, not a Coachloop password.",
        "%(trusts)s sign their staff in with their own accounts, not a Coachloop password.",
        len(trusts),
    ) % {"trusts": names}
    buttons = [
        _("“Sign in with %(name)s”") % {"name": provider.name}
        for provider in single_sign_on.providers_of(trusts)
    ]
    if not buttons:
        ask = _("Ask your school's Coachloop administrator how to sign in.")
        return f"{said} {ask}"
    use = _("Use %(buttons)s below.") % {"buttons": get_text_list(buttons, _("or"))}
    return f"{said} {use}"


class ResetPasswordForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(
            required=_("Enter your email address"),
            invalid=_("Enter an email address in the correct format, like name@example.org"),
        )

    def get_users(self, email):
        """Nobody whose trusts sign their staff in only with their own accounts is sent a
        password link; the page after asking reads the same for them as for anyone.

        Unlike Django's own, this also sends one to someone who has no password yet: people
        brought in from a roster choose their first password this way."""
        people = User.objects.filter(email__iexact=email.strip(), is_active=True)
        for person in people:
            if not single_sign_on.password_sign_in_closed(person):
                yield person


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
