"""A trust's single sign-on on the admin site (imported by ``people.admin``).

The trust's administrator sets up its sign-in providers (``SignInProvider``) and may switch
password sign-in off for its staff (``Trust.password_sign_in``, on the trust's own page).
A provider's client secret is written here and never shown again, nor written to the audit
trail or to an error report.
"""

from allauth.account.authentication import get_authentication_records
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from coachloop.common.admin_site import TrustAdmin
from coachloop.common.tenancy import scopes_disabled
from coachloop.people import single_sign_on
from coachloop.people.models import SignInProvider, Trust


def signed_in_through(request):
    """The sign-in providers (their ``provider_id``) this session signed in through."""
    return {
        record.get("provider")
        for record in get_authentication_records(request, request.user)
        if record.get("method") == "socialaccount"
    }


class TrustDetailsForm(forms.ModelForm):
    """The trust's own details. Password sign-in is switched off only by an administrator
    who signed in through one of the trust's providers, so it is known to work: otherwise
    every one of its staff, the administrator included, could be shut out."""

    signed_in_through = frozenset()  # set for the request by the admin

    class Meta:
        model = Trust
        fields = ["name", "companies_house_number", "password_sign_in"]

    def clean_password_sign_in(self):
        allowed = self.cleaned_data["password_sign_in"]
        if allowed or not self.instance.password_sign_in:
            return allowed
        in_use = {p.provider_id for p in single_sign_on.providers_in_use(trusts=[self.instance])}
        if not in_use:
            raise ValidationError(
                _(
                    "Set up a sign-in provider under “Sign-in providers” first: without "
                    "passwords, staff can sign in only through one."
                )
            )
        if not in_use & set(self.signed_in_through):
            raise ValidationError(
                _(
                    "Sign in with one of your trust's sign-in providers first (sign out, then "
                    "use its button on the sign-in page), so you know it works before "
                    "switching password sign-in off."
                )
            )
        return allowed


class SignInProviderForm(forms.ModelForm):
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = SignInProvider
        fields = [
            "kind",
            "name",
            "slug",
            "client_id",
            "client_secret",
            "tenant_id",
            "server_url",
            "allowed_domains",
            "enabled",
        ]

        def formfield_callback(field, **kwargs):
            if isinstance(field, models.URLField):
                kwargs.setdefault("assume_scheme", "https")
            return field.formfield(**kwargs)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_secret"].help_text = (
            _("A secret is saved. Leave this empty to keep it, or enter a new one to replace it.")
            if self.instance.pk
            else _("From the provider, with the client ID. It is not shown again once saved.")
        )

    def clean_client_secret(self):
        secret = self.cleaned_data.get("client_secret", "")
        if secret:
            return secret
        if self.instance.pk:
            return self.instance.client_secret  # the saved one, kept
        raise ValidationError(_("Enter the client secret"))

    def clean_client_id(self):
        client_id = self.cleaned_data.get("client_id", "").strip()
        # Client IDs are one a provider across Coachloop (allauth finds a provider again by
        # its client ID): a clash with any trust's is a clash. Nothing else is said of it.
        with scopes_disabled():
            taken = SignInProvider.objects.filter(client_id=client_id).exclude(pk=self.instance.pk)
            taken = taken.exists()
        if taken:
            raise ValidationError(
                _(
                    "Another sign-in provider already uses this client ID. Register an app "
                    "of your trust's own with the provider and use its client ID."
                )
            )
        return client_id

    def clean(self):
        data = super().clean()
        trust = self.instance.trust if self.instance.trust_id else None
        switched_off = "enabled" in self.changed_data and data.get("enabled") is False
        if self.instance.pk and switched_off and not trust.password_sign_in:
            others = SignInProvider.objects.filter(trust=trust, enabled=True)
            if not others.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "enabled",
                    _(
                        "This is your trust's last sign-in provider in use, and its staff do "
                        "not sign in with passwords. Switch password sign-in back on (under "
                        "the trust's details) before taking it out of use."
                    ),
                )
        return data


@admin.register(SignInProvider)
class SignInProviderAdmin(TrustAdmin):
    form = SignInProviderForm
    list_display = ["name", "kind", "enabled"]
    list_filter = ["kind", "enabled"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fields(self, request, obj=None):
        fields = list(SignInProviderForm.Meta.fields)
        return [*fields, "redirect_uri"] if obj else fields

    def get_readonly_fields(self, request, obj=None):
        return ["slug", "redirect_uri"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    def get_object(self, request, object_id, from_field=None):
        """Another trust's provider (or none at all) is simply not found."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    @admin.display(description=_("redirect URI"))
    def redirect_uri(self, obj):
        """What to register with the provider as the app's redirect (callback) URI."""
        path = reverse("openid_connect_callback", kwargs={"provider_id": obj.provider_id})
        return settings.COACHLOOP_SITE_URL + path

    @method_decorator(sensitive_post_parameters("client_secret"))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)
