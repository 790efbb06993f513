"""The emails page: each person turns each kind of email on or off."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.rollout.forms.emails import EmailPreferenceForm
from coachloop.rollout.queries.emails import email_preference
from coachloop.rollout.services.emails import email_preference_set


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


urlpatterns = [path("emails/", email_preferences, name="emails")]
