"""django-allauth's two-step sign-in, in Coachloop's words and within its limits.

- ``TwoStepAdapter`` (``MFA_ADAPTER``) words allauth's errors and refuses to remove the only
  way someone who must use two-step sign-in has of doing it.
- ``AuthenticateForm`` and ``ReauthenticateForm`` (``MFA_FORMS``) count each wrong code as a
  failed sign-in with django-axes, as a wrong password is (``people.signin``): a code cannot be
  guessed, whatever worker answers, and too many wrong codes pause signing in to the account.
  allauth's own limit on codes counts in each worker's cache, and is off with its limits on
  signing in (settings: ``ACCOUNT_RATE_LIMITS``).
- ``ActivateTOTPForm`` says in our words that a first code from a new app is wrong.
- ``just_signed_in`` lets someone who signed in a moment ago change their two-step sign-in
  without confirming their password again (``AccountAdapter.is_reauthentication_required``):
  someone made to set it up as they sign in is not asked for the password twice.
"""

import time

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base import forms as base_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.totp import forms as totp_forms
from allauth.mfa.totp.internal import auth as totp_auth
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from coachloop.people.two_step import SECOND_STEPS, must_use_two_step

WRONG_CODE = _(
    "The code is not right. Enter the code your authenticator app shows now, or one of your "
    "recovery codes."
)
WRONG_NEW_CODE = _("The code is not right. Enter the 6-digit code the app shows now.")
NO_CODE = _("Enter the code from your authenticator app.")
PAUSED = _(
    "Signing in to this account is paused after too many wrong codes. Wait %(minutes)d "
    "minutes, then try again."
)


class TwoStepAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": WRONG_CODE,
        "cannot_delete_authenticator": _(
            "Your role needs two-step sign-in, so you cannot remove your only way of doing it. "
            "Add a passkey or security key first, or ask your administrator."
        ),
        "cannot_generate_recovery_codes": _(
            "Set up an authenticator app, a passkey or a security key first."
        ),
    }

    def can_delete_authenticator(self, authenticator):
        if authenticator.type not in SECOND_STEPS:
            return True
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id, type__in=SECOND_STEPS
        ).exclude(pk=authenticator.pk)
        return others.exists() or not must_use_two_step(authenticator.user)


class _CountedAsSignIn:
    """A code form whose wrong codes count against the account as wrong passwords do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = NO_CODE

    def clean_code(self):
        request = context.request
        credentials = {"username": self.user.email}
        if not AxesProxyHandler.is_allowed(request, credentials):
            minutes = settings.COACHLOOP_SIGN_IN_PAUSE_MINUTES
            raise ValidationError(PAUSED % {"minutes": minutes}, code="paused")
        try:
            return super().clean_code()
        except ValidationError:
            # Axes records the failure and, at the limit, answers with its paused page.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            raise


class AuthenticateForm(_CountedAsSignIn, base_forms.AuthenticateForm):
    """The code asked for as someone signs in; the page also says which ways they have."""

    @cached_property
    def _kinds(self):
        return set(Authenticator.objects.filter(user=self.user).values_list("type", flat=True))

    @property
    def has_app(self):
        return Authenticator.Type.TOTP in self._kinds

    @property
    def has_key(self):
        return Authenticator.Type.WEBAUTHN in self._kinds


class ReauthenticateForm(_CountedAsSignIn, base_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    """Setting up an authenticator app: the first code it shows proves it holds the secret."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = NO_CODE

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not totp_auth.validate_totp_code(self.secret, code):
            raise ValidationError(WRONG_NEW_CODE, code="incorrect_code")
        return super().clean_code()


def just_signed_in(request):
    """Whether the person signed in (password, single sign-on, code) in this session within
    the last few minutes (``ACCOUNT_REAUTHENTICATION_TIMEOUT``): proof enough that it is them,
    as confirming their password again would be."""
    if request is None or not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    latest = max((record.get("at", 0) for record in records), default=0)
    return time.time() - latest < account_settings.REAUTHENTICATION_TIMEOUT
