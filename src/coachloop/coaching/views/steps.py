"""Setting an action step, moving it on, and planning and logging its rehearsals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from coachloop.coaching import services
from coachloop.coaching.forms.steps import (
    ActionStepForm,
    NotNowForm,
    RehearsalLogForm,
    RehearsalPlanForm,
    StepStatusForm,
)
from coachloop.coaching.models import Rehearsal
from coachloop.coaching.queries import loop as queries
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once
from coachloop.policy import queries as policy_queries

WRITE = "coaching.write_content"
PRACTISE = "coaching.plan_rehearsal"
ANSWER = "coaching.answer_step"
RECORD_AGREED = "coaching.record_step_agreed"


def _back_to(viewer, relationship):
    if relationship.teacher_id == viewer.pk:
        return redirect("coaching:teacher_home")
    return redirect("coaching:coachee", relationship.pk)


@member_required()
@creates_once
def step_set(request, relationship_id):
    relationship = queries.relationship_for(request.viewer, relationship_id, rule=WRITE)
    current = queries.current_step(relationship)
    steps = policy_queries.steps_for_school(request.viewer, school=relationship.school)
    # "Revise" a step the teacher said not now to: the form starts from its wording.
    revising = queries.step_to_revise(relationship, request.GET.get("revise"))
    form = ActionStepForm(
        posted(request),
        steps=steps,
        # A step still proposed is replaced: there is no outcome to ask for.
        current_step=queries.step_to_close(relationship),
        initial=_revision_of(revising),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_step_set(
                viewer=request.viewer,
                relationship=relationship,
                title=form.cleaned_data["title"],
                success_looks_like=form.cleaned_data["success_looks_like"],
                framework_step=form.cleaned_data["framework_step"],
                previous_outcome=form.cleaned_data.get("previous_outcome", ""),
                agreed_in_conversation=form.cleaned_data["agreed_in_conversation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.cleaned_data["agreed_in_conversation"]:
                done = _("Action step set and agreed. Plan how you will rehearse it.")
            else:
                done = _("Action step proposed. %(name)s is asked to agree it.") % {
                    "name": relationship.teacher.full_name
                }
            messages.success(request, done)
            return redirect("coaching:coachee", relationship.pk)
    return render(
        request,
        "coaching/step_form.html",
        {
            "form": form,
            "relationship": relationship,
            "current_step": current,
            "revising": revising,
        },
    )


def _revision_of(step):
    if step is None:
        return {}
    return {
        "framework_step": str(step.framework_step_id or ""),
        "title": "" if step.framework_step_id else step.title,
        "success_looks_like": step.success_looks_like,
    }


def _answered(request, step, message):
    """Back to the teacher's home with ``message``; with htmx, the step's answer block (and
    its status tag) as they now stand."""
    if request.htmx:
        step, _rehearsals = queries.step_card(request.viewer, step.pk)
        return render(request, "coaching/_step_agreement.html", {"step": step, "answered": message})
    messages.success(request, message)
    return redirect("coaching:teacher_home")


@require_POST
@member_required()
def step_agree(request, step_id):
    """The teacher agrees to the step their coach proposed, in one tap."""
    step = queries.action_step_for(request.viewer, step_id, rule=ANSWER)
    try:
        services.action_step_agree(viewer=request.viewer, step=step)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        if request.htmx:
            return HttpResponseClientRedirect(reverse("coaching:teacher_home"))
        return redirect("coaching:teacher_home")
    return _answered(request, step, _("You agreed this step. Your coach can see that."))


@member_required()
def step_not_now(request, step_id):
    """The teacher says "not now" to a proposed step, with a reason for their coach."""
    step = queries.action_step_for(request.viewer, step_id, rule=ANSWER)
    form = NotNowForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_step_not_now(
                viewer=request.viewer, step=step, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("You said not now. %(coach)s can read why and will suggest another step.")
                % {"coach": step.relationship.coach.full_name},
            )
            return redirect("coaching:teacher_home")
    return render(request, "coaching/step_not_now.html", {"form": form, "step": step})


@require_POST
@member_required()
def step_agreed_in_conversation(request, step_id):
    """The coach records that they and the teacher agreed the step when they talked."""
    step = queries.action_step_for(request.viewer, step_id, rule=RECORD_AGREED)
    try:
        services.action_step_agreed_in_conversation(viewer=request.viewer, step=step)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("Step recorded as agreed in your conversation."))
    return redirect("coaching:coachee", step.relationship_id)


@require_POST
@member_required()
def step_status(request, step_id):
    """Move the current step on. With htmx, only its card is sent back and swapped in."""
    step = queries.action_step_for(request.viewer, step_id, rule=WRITE)
    form = StepStatusForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Choose practising or embedded.")
    else:
        try:
            services.action_step_status_set(
                viewer=request.viewer, step=step, status=form.cleaned_data["status"]
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
    if request.htmx and error is None:
        step, rehearsals = queries.step_card(request.viewer, step.pk)
        context = {
            "step": step,
            "rehearsals": rehearsals,
            "relationship": step.relationship,
            "can_write": True,
            "status_changed": True,
        }
        return render(request, "coaching/_step_card_swap.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("Step marked as %(status)s.") % {"status": step.get_status_display().lower()},
        )
    if request.htmx:  # a whole page, so the message shows: not a page inside the card
        return HttpResponseClientRedirect(reverse("coaching:coachee", args=[step.relationship_id]))
    return redirect("coaching:coachee", step.relationship_id)


@member_required()
@creates_once
def rehearsal_plan(request, step_id):
    step = queries.action_step_for(request.viewer, step_id, rule=PRACTISE)
    by_teacher = step.relationship.teacher_id == request.viewer.pk
    mode = Rehearsal.Mode.ALONE if by_teacher else Rehearsal.Mode.TOGETHER
    form = RehearsalPlanForm(
        posted(request),
        initial={"planned_for": timezone.localdate(), "mode": mode},
        for_teacher=by_teacher,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rehearsal_plan(viewer=request.viewer, action_step=step, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rehearsal planned."))
            return _back_to(request.viewer, step.relationship)
    return render(request, "coaching/rehearsal_plan.html", {"form": form, "step": step})


@member_required()
@creates_once
def rehearsal_log(request, rehearsal_id):
    rehearsal = queries.rehearsal_for(request.viewer, rehearsal_id, rule=PRACTISE, audit=False)
    form = RehearsalLogForm(
        posted(request),
        initial={"done_on": timezone.localdate(), "how_it_went": rehearsal.how_it_went},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rehearsal_log(viewer=request.viewer, rehearsal=rehearsal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rehearsal logged."))
            return _back_to(request.viewer, rehearsal.action_step.relationship)
    queries.rehearsal_shown(request.viewer, rehearsal)
    return render(request, "coaching/rehearsal_log.html", {"form": form, "rehearsal": rehearsal})
