"""Page: the programme lead opens a resubmission of a released fail, with a new due date."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once
from coachloop.programmes.forms.resubmissions import ResubmissionForm
from coachloop.programmes.queries.resubmission_pages import resubmission_page
from coachloop.programmes.services.resubmissions import resubmission_open as open_attempt


@member_required()
@creates_once
def resubmission_open(request, submission_id):
    page = resubmission_page(request.viewer, submission_id)
    submission = page.submission
    form = ResubmissionForm(posted(request), due_at=submission.assignment.due_at)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = open_attempt(
                viewer=request.viewer,
                submission=submission,
                due_at=form.new_due_at(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Resubmission opened. %(name)s can hand in attempt %(attempt)s by %(due)s.")
                % {
                    "name": submission.enrolment.teacher.full_name,
                    "attempt": attempt.attempt,
                    "due": date_format(attempt.extended_due_at, "j F Y, H:i"),
                },
            )
            return redirect("programmes:assignment", submission.assignment_id)
    return render(request, "programmes/staff/resubmission.html", {"page": page, "form": form})


urlpatterns = [
    path(
        "submissions/<int:submission_id>/resubmission/",
        resubmission_open,
        name="resubmission_open",
    ),
]
