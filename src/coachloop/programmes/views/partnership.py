"""Pages: the three partners' shared pages. The teacher, their school coach and their tutor
meet three ways (agenda, notes, actions), agree goals together, and talk through the module's
reading list with discussion prompts the coach prepares."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted, refusal_text
from coachloop.common.submissions import creates_once
from coachloop.programmes.forms.partnership import (
    GoalBringForm,
    MeetingRecordForm,
    MeetingScheduleForm,
    PromptForm,
    ReadingForm,
)
from coachloop.programmes.queries import partnership_pages as queries
from coachloop.programmes.services import goals as goal_services
from coachloop.programmes.services import meetings as meeting_services
from coachloop.programmes.services import readings as reading_services


def _partners(enrolment):
    """The three, as an action's owner is chosen: each with their part in the partnership."""
    return [
        (enrolment.teacher, _("%(name)s (teacher)") % {"name": enrolment.teacher.full_name}),
        (enrolment.coach, _("%(name)s (coach)") % {"name": enrolment.coach.full_name}),
        (enrolment.tutor, _("%(name)s (tutor)") % {"name": enrolment.tutor.full_name}),
    ]


@member_required()
def enrolment_detail(request, enrolment_id):
    enrolment = queries.enrolment_for(request.viewer, enrolment_id)
    page = queries.enrolment_page(request.viewer, enrolment=enrolment)
    return render(request, "programmes/partnership/enrolment.html", {"page": page})


@member_required()
@creates_once
def meeting_new(request, enrolment_id):
    enrolment = queries.enrolment_for(request.viewer, enrolment_id)
    form = MeetingScheduleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.meeting_schedule(
                viewer=request.viewer, enrolment=enrolment, **form.meeting_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Meeting scheduled. The three of you can see it."))
            return redirect("programmes:meeting", meeting.pk)
    return render(
        request,
        "programmes/partnership/meeting_form.html",
        {"form": form, "enrolment": enrolment},
    )


@member_required()
@creates_once
def meeting_detail(request, meeting_id):
    """The meeting's agenda, and its notes and actions once recorded (by any of the three)."""
    meeting = queries.meeting_for(request.viewer, meeting_id)
    enrolment = meeting.enrolment
    today = timezone.localdate()
    initial = {
        "version": meeting.version,
        "held_on": meeting.held_on or min(timezone.localdate(meeting.scheduled_for), today),
        "notes": meeting.notes,
    }
    data = posted(request)
    form = MeetingRecordForm(data, initial=initial, partners=_partners(enrolment))
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_record(
                viewer=request.viewer, meeting=meeting, **form.record_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            meeting = queries.meeting_for(request.viewer, meeting_id)
            form.data = form.data.copy()
            form.data["version"] = meeting.version
        else:
            messages.success(request, _("Meeting notes saved."))
            return redirect("programmes:meeting", meeting.pk)
    context = {"meeting": meeting, "enrolment": enrolment, "form": form}
    return render(request, "programmes/partnership/meeting.html", context)


@member_required()
@creates_once
def goal_bring(request, enrolment_id):
    """The teacher brings one of their own goals for the three to agree."""
    enrolment = queries.enrolment_for(request.viewer, enrolment_id)
    if enrolment.teacher_id != request.viewer.pk:
        raise PermissionDenied
    goals = queries.goals_to_bring(request.viewer, enrolment=enrolment)
    form = GoalBringForm(posted(request), goals=goals)
    if request.method == "POST" and form.is_valid():
        try:
            goal_services.programme_goal_bring(
                viewer=request.viewer, enrolment=enrolment, goal=form.cleaned_data["goal"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Goal brought to the programme. Your coach and tutor are asked to agree it."),
            )
            return redirect("programmes:enrolment", enrolment.pk)
    context = {"form": form, "enrolment": enrolment, "goals": goals}
    return render(request, "programmes/partnership/goal_bring.html", context)


@require_POST
@member_required()
def goal_agree(request, agreement_id):
    agreement = queries.agreement_for(request.viewer, agreement_id)
    try:
        agreement = goal_services.programme_goal_agree(viewer=request.viewer, agreement=agreement)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        if agreement.is_agreed:
            messages.success(request, _("All three of you have agreed this goal."))
        else:
            messages.success(request, _("You have agreed this goal."))
    return redirect("programmes:enrolment", agreement.enrolment_id)


@member_required()
def readings(request, module_id):
    access = queries.module_for(request.viewer, module_id)
    context = {
        "access": access,
        "module": access.module,
        "readings": queries.readings_page(request.viewer, access=access),
    }
    return render(request, "programmes/partnership/readings.html", context)


@member_required()
@creates_once
def reading_new(request, module_id):
    access = queries.module_for(request.viewer, module_id)
    if not access.may_add_reading:
        raise PermissionDenied
    form = ReadingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            reading_services.reading_add(
                viewer=request.viewer, module=access.module, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reading added to the list."))
            return redirect("programmes:readings", access.module.pk)
    context = {"form": form, "module": access.module}
    return render(request, "programmes/partnership/reading_form.html", context)


@member_required()
@creates_once
def prompt_new(request, reading_id):
    """The coach (or the tutor) of a teacher on the programme prepares a question about the
    reading to talk through with them."""
    reading, access = queries.reading_for(request.viewer, reading_id)
    supported = access.supported
    if not supported:
        raise PermissionDenied
    initial = {}
    if len(supported) == 1 or request.GET.get("enrolment"):
        chosen = request.GET.get("enrolment") or supported[0].pk
        initial["enrolment"] = str(chosen)
    form = PromptForm(posted(request), initial=initial, enrolments=supported)
    if request.method == "POST" and form.is_valid():
        enrolment = form.cleaned_data["enrolment"]
        try:
            reading_services.prompt_add(
                viewer=request.viewer,
                reading=reading,
                enrolment=enrolment,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Discussion prompt added for %(name)s.") % {"name": enrolment.teacher.full_name},
            )
            return redirect("programmes:readings", reading.module_id)
    context = {"form": form, "reading": reading, "module": reading.module}
    return render(request, "programmes/partnership/prompt_form.html", context)


urlpatterns = [
    path("enrolments/<int:enrolment_id>/", enrolment_detail, name="enrolment"),
    path("enrolments/<int:enrolment_id>/meetings/new/", meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", meeting_detail, name="meeting"),
    path("enrolments/<int:enrolment_id>/goals/bring/", goal_bring, name="goal_bring"),
    path("goal-agreements/<int:agreement_id>/agree/", goal_agree, name="goal_agree"),
    path("modules/<int:module_id>/readings/", readings, name="readings"),
    path("modules/<int:module_id>/readings/new/", reading_new, name="reading_new"),
    path("readings/<int:reading_id>/prompts/new/", prompt_new, name="prompt_new"),
]
