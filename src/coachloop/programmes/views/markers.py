"""Pages: the programme lead replaces a submission's first, second or third marker."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.programmes.forms.markers import MarkerReplaceForm
from coachloop.programmes.queries import marker_pages as queries
from coachloop.programmes.services import markers as marker_services


@member_required()
def marker_replace(request, submission_id, position):
    slot = queries.marker_slot_for_lead(request.viewer, submission_id, position)
    submission = slot.submission
    released = submission.status == submission.Status.RELEASED
    form = MarkerReplaceForm(
        posted(request), people=queries.marker_choices(slot), mark_in=slot.mark_in
    )
    if request.method == "POST" and not released and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            marker_services.marker_replace(
                viewer=request.viewer,
                submission=submission,
                position=slot.position,
                person=person,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if slot.mark_in:
                text = _(
                    "%(name)s marks %(teacher)s's work now. The withdrawn mark stays in the "
                    "history, and the work goes back to marking."
                )
            else:
                text = _("%(name)s marks %(teacher)s's work now.")
            messages.success(
                request,
                text
                % {"name": person.full_name, "teacher": submission.enrolment.teacher.full_name},
            )
            return redirect("programmes:assignment", submission.assignment_id)
    context = {"slot": slot, "submission": submission, "form": form, "released": released}
    return render(request, "programmes/staff/marker_replace.html", context)


urlpatterns = [
    path(
        "submissions/<int:submission_id>/markers/<str:position>/",
        marker_replace,
        name="marker_replace",
    ),
]
