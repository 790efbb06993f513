"""Progression: a teacher's stage on each strand over time, and the steps they propose.

The teacher's pages live under ``me/``; their coach's under ``coach/``. A coaching lead has no
page here: they see the share of steps teachers proposed as a school figure on the dashboard.
"""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coachloop.coaching.forms.progression import (
    AcceptForm,
    DiscussForm,
    ProposalForm,
    StageForm,
)
from coachloop.coaching.queries import loop as queries
from coachloop.coaching.queries import progression as progression_queries
from coachloop.coaching.services import progression as services
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once
from coachloop.people.models import Role
from coachloop.policy import queries as policy_queries

READ = "coaching.read_stages"
PLACE = "coaching.place_on_stage"
PROPOSE = "coaching.propose_step"
ANSWER = "coaching.answer_proposal"
WITHDRAW = "coaching.withdraw_proposal"


# -- stages ------------------------------------------------------------------------------------


@member_required(Role.TEACHER)
def progression_mine(request):
    page = progression_queries.my_progression(request.viewer)
    coaching = progression_queries.my_running_coaching(request.viewer)
    return render(
        request,
        "coaching/progression/mine.html",
        {"page": page, "coaching": coaching, "hints": progression_queries.STAGE_HINTS},
    )


def _place(request, *, teacher, relationship, back, saved):
    """The stage form: for the teacher themselves, or for their coach from ``relationship``;
    once saved, back to ``back`` at the strand's path."""
    viewer = request.viewer
    strands = progression_queries.strand_choices(viewer, teacher=teacher, relationship=relationship)
    form = StageForm(
        posted(request), strands=strands, initial={"strand": request.GET.get("strand")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_record(
                viewer=viewer, teacher=teacher, relationship=relationship, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect(f"{back}#strand-{form.cleaned_data['strand'].code}")
    return render(
        request,
        "coaching/progression/stage_form.html",
        {"form": form, "relationship": relationship, "teacher": teacher},
    )


@member_required(Role.TEACHER)
@creates_once
def stage_place_mine(request):
    return _place(
        request,
        teacher=request.viewer.user,
        relationship=None,
        back=reverse("coaching:progression_mine"),
        saved=_("Your stage is saved."),
    )


@member_required()
def progression_coachee(request, relationship_id):
    relationship = queries.relationship_for(request.viewer, relationship_id, rule=READ)
    if relationship.teacher_id == request.viewer.pk:
        return redirect("coaching:progression_mine")
    page = progression_queries.coachee_progression(request.viewer, relationship=relationship)
    return render(
        request,
        "coaching/progression/coachee.html",
        {
            "page": page,
            "relationship": relationship,
            "hints": progression_queries.STAGE_HINTS,
        },
    )


@member_required()
@creates_once
def stage_place_coachee(request, relationship_id):
    relationship = queries.relationship_for(request.viewer, relationship_id, rule=PLACE)
    return _place(
        request,
        teacher=relationship.teacher,
        relationship=relationship,
        back=reverse("coaching:progression_coachee", args=[relationship.pk]),
        saved=_("Stage saved for %(name)s.") % {"name": relationship.teacher.full_name},
    )


# -- proposed steps: the teacher's side ---------------------------------------------------------


@member_required()
@creates_once
def step_propose(request, relationship_id):
    viewer = request.viewer
    relationship = queries.relationship_for(viewer, relationship_id, rule=PROPOSE)
    coaching = progression_queries.proposals_for(viewer, relationship=relationship, audit=False)
    steps = policy_queries.steps_for_school(viewer, school=relationship.school)
    form = ProposalForm(posted(request), steps=steps)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_proposal_submit(
                viewer=viewer, relationship=relationship, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your proposal is with your coach."))
            return redirect("coaching:step_propose", relationship.pk)
    return render(
        request,
        "coaching/progression/propose.html",
        {"form": form, "coaching": coaching, "relationship": relationship},
    )


@require_POST
@member_required()
def step_proposal_withdraw(request, proposal_id):
    proposal = progression_queries.proposal_for(request.viewer, proposal_id, rule=WITHDRAW)
    try:
        services.step_proposal_withdraw(viewer=request.viewer, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Proposal withdrawn."))
    if rules.test_rule(PROPOSE, request.viewer, proposal.relationship):
        return redirect("coaching:step_propose", proposal.relationship_id)
    return redirect("coaching:progression_mine")


# -- proposed steps: the coach's side -----------------------------------------------------------


def _proposals_page(request, relationship, *, accept_form=None, discuss_form=None):
    viewer = request.viewer
    coaching = progression_queries.proposals_for(viewer, relationship=relationship)
    can_answer = rules.test_rule(ANSWER, viewer, relationship)
    current = queries.step_to_close(relationship) if can_answer else None
    accept_form = accept_form or AcceptForm(current_step=current)
    discuss_form = discuss_form or DiscussForm()
    return render(
        request,
        "coaching/progression/proposals.html",
        {
            "coaching": coaching,
            "relationship": relationship,
            "can_answer": can_answer,
            "current_step": current,
            "accept_form": accept_form,
            "discuss_form": discuss_form,
            # The form with problems, for the page's error summary and title.
            "form": accept_form if accept_form.errors else discuss_form,
        },
    )


@member_required()
def step_proposals(request, relationship_id):
    relationship = queries.relationship_for(request.viewer, relationship_id, rule=READ)
    if relationship.teacher_id == request.viewer.pk:
        if rules.test_rule(PROPOSE, request.viewer, relationship):
            return redirect("coaching:step_propose", relationship.pk)
        return redirect("coaching:progression_mine")
    return _proposals_page(request, relationship)


@require_POST
@member_required()
def step_proposal_accept(request, proposal_id):
    proposal = progression_queries.proposal_for(request.viewer, proposal_id, rule=ANSWER)
    relationship = proposal.relationship
    form = AcceptForm(request.POST, current_step=queries.step_to_close(relationship))
    if form.is_valid():
        try:
            services.step_proposal_accept(
                viewer=request.viewer,
                proposal=proposal,
                previous_outcome=form.cleaned_data.get("previous_outcome", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s's step is set. Plan how they will rehearse it.")
                % {"name": relationship.teacher.full_name},
            )
            return redirect("coaching:coachee", relationship.pk)
    return _proposals_page(request, relationship, accept_form=form)


@require_POST
@member_required()
def step_proposal_discuss(request, proposal_id):
    proposal = progression_queries.proposal_for(request.viewer, proposal_id, rule=ANSWER)
    form = DiscussForm(request.POST)
    if form.is_valid():
        try:
            services.step_proposal_discuss(
                viewer=request.viewer, proposal=proposal, response=form.cleaned_data["response"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your reply is with the teacher."))
            return redirect("coaching:step_proposals", proposal.relationship_id)
    return _proposals_page(request, proposal.relationship, discuss_form=form)


urlpatterns = [
    path("me/progression/", progression_mine, name="progression_mine"),
    path("me/progression/place/", stage_place_mine, name="stage_place_mine"),
    path(
        "me/coaching/<int:relationship_id>/propose-a-step/",
        step_propose,
        name="step_propose",
    ),
    path(
        "me/proposed-steps/<int:proposal_id>/withdraw/",
        step_proposal_withdraw,
        name="step_proposal_withdraw",
    ),
    path(
        "coach/teachers/<int:relationship_id>/progression/",
        progression_coachee,
        name="progression_coachee",
    ),
    path(
        "coach/teachers/<int:relationship_id>/progression/place/",
        stage_place_coachee,
        name="stage_place_coachee",
    ),
    path(
        "coach/teachers/<int:relationship_id>/proposed-steps/",
        step_proposals,
        name="step_proposals",
    ),
    path(
        "coach/proposed-steps/<int:proposal_id>/accept/",
        step_proposal_accept,
        name="step_proposal_accept",
    ),
    path(
        "coach/proposed-steps/<int:proposal_id>/to-talk-about/",
        step_proposal_discuss,
        name="step_proposal_discuss",
    ),
]
