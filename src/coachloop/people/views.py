"""Signing in and choosing a password, with limits on guessing and asking; the person's own
account page."""

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from coachloop.common.decorators import member_required
from coachloop.people import queries, services, sessions
from coachloop.people.forms import ChoosePasswordForm, ResetPasswordForm
from coachloop.people.sessions import end_every_session
from coachloop.people.sign_in_records import SIGN_INS_KEPT_DAYS
from coachloop.people.signin import client_address

TOO_MANY_REQUESTS = 429


class SignInView(allauth_views.LoginView):
    """Signing in with an email address and password, through django-allauth (which then
    asks for a second step where the person has one)."""

    template_name = "people/login.html"


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
