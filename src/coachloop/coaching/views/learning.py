"""The teacher's own learning: goals with their progress, and the reflection journal.

A teacher's goals are theirs; a goal linked to their coaching is read by that coach too, who
may add progress (the coach's view of a teacher's goals is ``coachee_goals``). Reflections are
the teacher's alone.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coachloop.coaching.forms.learning import (
    GoalEditForm,
    GoalForm,
    GoalStatusForm,
    ProgressForm,
    ReflectionForm,
)
from coachloop.coaching.models import Goal
from coachloop.coaching.queries import learning as queries
from coachloop.coaching.queries import loop as loop_queries
from coachloop.coaching.services import learning as services
from coachloop.coaching.views.editing import save_versioned
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once

CHANGE = "coaching.change_goal"
WRITE_CONTENT = "coaching.write_content"

# -- goals ---------------------------------------------------------------------------------


@member_required()
def goals(request):
    found = queries.my_goals(request.viewer)
    return render(request, "coaching/learning/goals.html", {"goals": found})


def _goal_fields(form):
    return {key: form.cleaned_data[key] for key in services.GOAL_FIELDS}


@member_required()
@creates_once
def goal_new(request):
    relationships = queries.relationships_to_link(request.viewer)
    form = GoalForm(posted(request), relationships=relationships)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(
                viewer=request.viewer,
                relationship=form.cleaned_data["relationship"],
                **_goal_fields(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Goal set. Add progress and evidence as you go."))
            return redirect("coaching:goal_detail", goal.pk)
    return render(request, "coaching/learning/goal_form.html", {"form": form, "relationship": None})


@member_required()
def coachee_goals(request, relationship_id):
    """The coach's view of the goals a teacher shares with this coaching."""
    relationship = loop_queries.relationship_for(request.viewer, relationship_id)
    found = queries.coachee_goals(request.viewer, relationship=relationship)
    return render(
        request,
        "coaching/learning/coachee_goals.html",
        {"relationship": relationship, "page": found, "goals": found.goals},
    )


@member_required()
@creates_once
def coachee_goal_new(request, relationship_id):
    """A coach sets a goal with the teacher they coach, linked to this coaching."""
    relationship = loop_queries.relationship_for(
        request.viewer, relationship_id, rule=WRITE_CONTENT
    )
    form = GoalForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(
                viewer=request.viewer, relationship=relationship, **_goal_fields(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Goal set for %(name)s. They can see it and add to it.")
                % {"name": relationship.teacher.full_name},
            )
            return redirect("coaching:goal_detail", goal.pk)
    return render(
        request,
        "coaching/learning/goal_form.html",
        {"form": form, "relationship": relationship},
    )


@member_required()
def goal_detail(request, goal_id):
    goal = queries.goal_for(request.viewer, goal_id)
    page = queries.goal_page(request.viewer, goal=goal)
    form = ProgressForm(initial={"written_on": timezone.localdate()})
    return render(
        request,
        "coaching/learning/goal_detail.html",
        {"page": page, "goal": goal, "form": form},
    )


@member_required()
@creates_once
def goal_progress(request, goal_id):
    """Add a progress note (the goal's page shows the same form)."""
    goal = queries.goal_for(request.viewer, goal_id, rule=CHANGE, audit=False)
    form = ProgressForm(posted(request), initial={"written_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_progress_add(viewer=request.viewer, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Progress added."))
            return redirect("coaching:goal_detail", goal.pk)
    queries.goal_shown(request.viewer, goal)
    return render(request, "coaching/learning/goal_progress.html", {"form": form, "goal": goal})


@member_required()
def goal_edit(request, goal_id):
    goal = queries.goal_for(request.viewer, goal_id, rule=CHANGE, audit=False)
    is_owner = goal.teacher_id == request.viewer.pk
    relationships = (
        queries.relationships_to_link(request.viewer, keep=goal.relationship) if is_owner else None
    )
    options = {"relationships": relationships, "stored_review_on": goal.review_on}
    conflict = None
    if request.method == "POST":
        # The teacher's form also says which coaching the goal belongs to (``relationship``).
        form, conflict, saved = save_versioned(
            request,
            GoalEditForm,
            partial(services.goal_update, viewer=request.viewer, goal=goal),
            **options,
        )
        if saved:
            messages.success(request, _("Goal updated."))
            return redirect("coaching:goal_detail", goal.pk)
    else:
        form = GoalEditForm(initial=GoalForm.initial_for(goal), **options)
    queries.goal_shown(request.viewer, goal)
    return render(
        request,
        "coaching/learning/goal_edit.html",
        {"form": form, "goal": goal, "conflict": conflict},
    )


STATUS_MESSAGES = {
    Goal.Status.ACHIEVED: gettext_lazy("Goal marked as achieved. Well done."),
    Goal.Status.SET_ASIDE: gettext_lazy("Goal set aside. You can reopen it whenever you like."),
    Goal.Status.OPEN: gettext_lazy("Goal reopened."),
}


@require_POST
@member_required()
def goal_status(request, goal_id):
    goal = queries.goal_for(request.viewer, goal_id, rule=CHANGE, audit=False)
    form = GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose achieved, set aside or reopen."))
        return redirect("coaching:goal_detail", goal.pk)
    try:
        services.goal_status_set(
            viewer=request.viewer, goal=goal, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(STATUS_MESSAGES[goal.status]))
    return redirect("coaching:goal_detail", goal.pk)


# -- reflections ---------------------------------------------------------------------------


@member_required()
def reflections(request):
    entries = queries.my_reflections(request.viewer)
    return render(request, "coaching/learning/reflections.html", {"entries": entries})


@member_required()
@creates_once
def reflection_new(request):
    topics = queries.reflection_topics(request.viewer)
    initial = {"written_on": timezone.localdate()}
    about = request.GET.get("about", "")
    if about:
        initial["about"] = about  # "goal-12" from a goal's page; an unknown one is ignored
    form = ReflectionForm(posted(request), initial=initial, topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.reflection_write(viewer=request.viewer, **form.entry())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reflection saved. Only you can read it."))
            return redirect("coaching:reflection_detail", entry.pk)
    return render(request, "coaching/learning/reflection_form.html", {"form": form, "entry": None})


@member_required()
def reflection_detail(request, reflection_id):
    entry = queries.reflection_for(request.viewer, reflection_id)
    return render(request, "coaching/learning/reflection_detail.html", {"entry": entry})


@member_required()
def reflection_edit(request, reflection_id):
    entry = queries.reflection_for(request.viewer, reflection_id, rule="coaching.change_reflection")
    topics = queries.reflection_topics(
        request.viewer, keep_goal=entry.goal, keep_step=entry.action_step
    )
    form = ReflectionForm(posted(request), initial=ReflectionForm.initial_for(entry), topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_update(viewer=request.viewer, reflection=entry, **form.entry())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reflection updated."))
            return redirect("coaching:reflection_detail", entry.pk)
    return render(request, "coaching/learning/reflection_form.html", {"form": form, "entry": entry})


@member_required()
def reflection_delete(request, reflection_id):
    entry = queries.reflection_for(request.viewer, reflection_id, rule="coaching.change_reflection")
    if request.method == "POST":
        services.reflection_delete(viewer=request.viewer, reflection=entry)
        messages.success(request, _("Reflection deleted."))
        return redirect("coaching:reflections")
    return render(request, "coaching/learning/reflection_delete.html", {"entry": entry})


urlpatterns = [
    path("me/goals/", goals, name="goals"),
    path("me/goals/new/", goal_new, name="goal_new"),
    path("goals/<int:goal_id>/", goal_detail, name="goal_detail"),
    path("goals/<int:goal_id>/edit/", goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/progress/", goal_progress, name="goal_progress"),
    path("goals/<int:goal_id>/status/", goal_status, name="goal_status"),
    path("coach/teachers/<int:relationship_id>/goals/", coachee_goals, name="coachee_goals"),
    path(
        "coach/teachers/<int:relationship_id>/goals/new/",
        coachee_goal_new,
        name="coachee_goal_new",
    ),
    path("me/reflections/", reflections, name="reflections"),
    path("me/reflections/new/", reflection_new, name="reflection_new"),
    path("me/reflections/<int:reflection_id>/", reflection_detail, name="reflection_detail"),
    path("me/reflections/<int:reflection_id>/edit/", reflection_edit, name="reflection_edit"),
    path(
        "me/reflections/<int:reflection_id>/delete/",
        reflection_delete,
        name="reflection_delete",
    ),
]
