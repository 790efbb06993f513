"""The emails page: each person turns each kind of email on or off."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.tenancy import trust_scope
from coachloop.rollout.forms.emails import EmailPreferenceForm
from coachloop.rollout.queries.emails import email_kind_is_on, email_preference, unsubscribe_for
from coachloop.rollout.services.emails import email_preference_set, email_unsubscribe


@member_required()
def email_preferences(request):
    preference = email_preference(request.viewer)
    initial = {
        "due_reminders": preference.due_reminders,
        "weekly_digest": preference.weekly_digest,
    }
    form = EmailPreferenceForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            email_preference_set(viewer=request.viewer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your email choices are saved."))
            return redirect("rollout:emails")
    return render(request, "rollout/emails_preferences.html", {"form": form})


# The one-click POST comes from a mail app (RFC 8058), with no session and no form token: the
# signed token in the address is what proves the email was this person's.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """Stop one kind of email from the link in it, without signing in. A GET only asks (mail
    scanners follow links); the POST, from the page's button or the mail app, turns it off."""
    trust, person, preference = unsubscribe_for(token)
    with trust_scope(trust):
        if request.method == "POST":
            email_unsubscribe(trust=trust, person=person, preference=preference)
            stopped = True
        else:
            stopped = not email_kind_is_on(trust=trust, person=person, preference=preference)
    context = {"kind": preference, "stopped": stopped}
    return render(request, "rollout/emails_unsubscribe.html", context)


urlpatterns = [
    path("emails/", email_preferences, name="emails"),
    path("emails/stop/<str:token>/", unsubscribe, name="unsubscribe"),
]
