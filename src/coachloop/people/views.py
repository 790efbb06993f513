"""Signing in and choosing a password, with limits on guessing and asking; choosing which
trust to work in; the person's own account page."""

import functools
import logging

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from requests import RequestException

from coachloop.common import navigation
from coachloop.common.decorators import member_required
from coachloop.people import queries, services, sessions, single_sign_on
from coachloop.people.forms import (
    ChoosePasswordForm,
    ResetPasswordForm,
    SignInForm,
    TrustChoiceForm,
)
from coachloop.people.sessions import end_every_session
from coachloop.people.sign_in_records import SIGN_INS_KEPT_DAYS
from coachloop.people.signin import client_address

logger = logging.getLogger(__name__)

FORBIDDEN = 403
TOO_MANY_REQUESTS = 429
BAD_GATEWAY = 502


class SignInView(allauth_views.LoginView):
    """Signing in with an email address and password, through django-allauth (which then
    asks for a second step where the person has one), or with a trust's own accounts: a
    button for each sign-in provider in use, under its trust's name."""

    template_name = "people/login.html"
    form_class = SignInForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sign_in_buttons"] = single_sign_on.sign_in_buttons()
        return context

    def render_to_response(self, context, **kwargs):
        """A button's form posts here, and Coachloop sends the browser on to the provider;
        browsers hold that redirect to the page's Content-Security-Policy ``form-action``,
        so this page allows the origins of the providers it shows."""
        response = super().render_to_response(context, **kwargs)
        origins = single_sign_on.origins_of(
            provider for _trust, providers in context["sign_in_buttons"] for provider in providers
        )
        if origins:
            response._csp_update = {"form-action": origins}
        return response


REFUSED_TEMPLATES = {
    single_sign_on.Refusal.NO_VERIFIED_EMAIL: "people/single_sign_on/no_verified_email.html",
    single_sign_on.Refusal.OTHER_ORGANISATION: "people/single_sign_on/other_organisation.html",
    single_sign_on.Refusal.NOT_FOUND: "people/single_sign_on/not_found.html",
}


def refused(request, match):
    """The page for a sign-in through a provider that signs nobody in, saying why."""
    context = {"provider": match.provider, "trust": match.provider.trust, "email": match.email}
    return render(request, REFUSED_TEMPLATES[match.refusal], context, status=FORBIDDEN)


def single_sign_on_step(view):
    """django-allauth's OpenID Connect view (setting off to the provider, or coming back),
    answering a page that says so, not a server error, when the provider cannot be reached
    or does not answer with its configuration (a mistyped issuer URL, say)."""

    @functools.wraps(view)
    def step(request, provider_id):
        provider = single_sign_on.provider_for(provider_id)
        if provider is None:
            raise Http404  # not one of ours in use: allauth would fail on some of them
        try:
            response = view(request, provider_id=provider_id)
        except (RequestException, KeyError) as error:
            logger.warning(
                "Sign-in provider %s could not be used: %s", provider_id, type(error).__name__
            )
            context = {"provider": provider}
            return render(
                request, "people/single_sign_on/unreachable.html", context, status=BAD_GATEWAY
            )
        # Its page asking to go on (a GET) posts here and is sent on to the provider: the
        # same allowance as the sign-in page's (see SignInView).
        response._csp_update = {"form-action": single_sign_on.origins_of([provider])}
        return response

    return step


def not_here(request, *args, **kwargs):
    """django-allauth pages Coachloop does not offer (see the project's URLs)."""
    raise Http404


def sign_in_paused(request, original_response=None, credentials=None):
    """What django-axes answers instead of signing in, while signing in is paused. It reads
    the same whether or not the email address has an account."""
    context = {"minutes": settings.COACHLOOP_SIGN_IN_PAUSE_MINUTES}
    return render(request, "people/sign_in_paused.html", context, status=TOO_MANY_REQUESTS)


class ResetPasswordView(auth_views.PasswordResetView):
    form_class = ResetPasswordForm
    template_name = "people/password_reset_form.html"
    email_template_name = "people/password_reset_email.html"
    subject_template_name = "people/password_reset_subject.txt"
    too_many = _(
        "Too many password links have been asked for from your network in the last hour. "
        "Try again in an hour, or ask your school's Coachloop administrator for help."
    )

    def form_valid(self, form):
        outcome = services.password_link_request(
            email=form.cleaned_data["email"], address=client_address(self.request)
        )
        if outcome is services.PasswordLink.SEND:
            return super().form_valid(form)
        if outcome is services.PasswordLink.TOO_MANY_FROM_ADDRESS:
            form.add_error(None, self.too_many)
            response = self.form_invalid(form)
            response.status_code = TOO_MANY_REQUESTS
            return response
        return HttpResponseRedirect(self.get_success_url())


class ChoosePasswordView(auth_views.PasswordResetConfirmView):
    """Choosing a new password from an emailed link ends every session of the person, on
    every device, and ends a pause on signing in."""

    form_class = ChoosePasswordForm
    template_name = "people/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        end_every_session(form.user)
        services.sign_in_release(person=form.user)
        return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def trust_choose(request):
    """Which trust to work in, for a person with roles in more than one: asked after signing
    in, and from the header's "Switch trust". Anyone else has nothing to choose."""
    trusts = queries.trusts_of(request.user)
    next_url = _safe_next(request)
    destination = next_url or resolve_url(settings.LOGIN_REDIRECT_URL)
    if len(trusts) < 2:
        return redirect(destination)
    viewer = request.viewer
    data = request.POST if request.method == "POST" else None
    form = TrustChoiceForm(data, trusts=trusts, initial={"trust": viewer and viewer.trust})
    if form.is_bound and form.is_valid():
        try:
            services.trust_choose(
                person=request.user, trust=form.cleaned_data["trust"], session=request.session
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(destination)
    return render(request, "people/trust_choose.html", {"form": form, "next": next_url})


def _safe_next(request):
    """The page asked for before choosing, when it is on this site; otherwise nothing."""
    asked = request.POST.get("next") or request.GET.get("next")
    if asked and url_has_allowed_host_and_scheme(
        asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return asked
    return ""


@member_required()
def account(request):
    """The person's own account: who they are, how they sign in, and their recent sign-ins."""
    person = request.user
    context = {
        "person": person,
        "sign_ins": queries.sign_ins_of(request.viewer),
        "shown": queries.SIGN_INS_SHOWN,
        "kept_days": SIGN_INS_KEPT_DAYS,
        "has_password": person.has_usable_password(),
        # Other apps' links (the API's tokens): common.navigation.
        "offers": navigation.offers("account", request.viewer),
    }
    return render(request, "people/account.html", context)


@require_POST
@member_required()
def sign_out_everywhere(request):
    """End every session of the person, this one too, and say so on the sign-in page."""
    sessions.sign_out_everywhere(person=request.user, trust=request.viewer.trust)
    logout(request)
    messages.success(
        request, _("You have been signed out everywhere: on every device, this one included.")
    )
    return redirect("login")
