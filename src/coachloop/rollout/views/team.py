"""A school's coaching team, for its coaching lead: coaches and caseloads, assigning a coach,
training records, rollout phases, coverage targets and QA visits. A coach reads the QA visits
to their own coaching here too.

A lead of another school is shown a 404 (``school_for``); someone who leads no school, a 403.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.coaching.forms.relationships import AssignCoachForm
from coachloop.coaching.queries import relationships as coaching_queries
from coachloop.coaching.views.relationships import assign_coach
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once
from coachloop.people import queries as people_queries
from coachloop.people.models import Role
from coachloop.rollout.forms.team import (
    CoachTrainingForm,
    CoverageTargetForm,
    QaVisitForm,
    RolloutPhaseForm,
)
from coachloop.rollout.queries import team as queries
from coachloop.rollout.services import team as services

LEAD = Role.COACHING_LEAD


def _school(request, slug):
    return people_queries.school_for(request.viewer, slug=slug, role=LEAD)


def _page(request, template, school, section, **context):
    return render(request, f"rollout/{template}", {"school": school, "section": section, **context})


@member_required(LEAD)
def team_coaches(request, school_slug):
    school = _school(request, school_slug)
    overview = queries.coaches_overview(request.viewer, school=school, page=request.GET.get("page"))
    return _page(request, "team_coaches.html", school, "coaches", overview=overview)


@member_required(LEAD)
@creates_once
def team_assign(request, school_slug):
    school = _school(request, school_slug)
    viewer = request.viewer
    form = AssignCoachForm(
        posted(request),
        initial={"started_on": timezone.localdate()},
        **coaching_queries.assign_choices(viewer, school=school),
    )
    if assign_coach(request, school, form):
        data = form.cleaned_data
        messages.success(
            request,
            _("%(coach)s now coaches %(teacher)s.")
            % {"coach": data["coach"].full_name, "teacher": data["teacher"].full_name},
        )
        return redirect("rollout:team_coaches", school.slug)
    return _page(request, "team_assign.html", school, "assign", form=form)


@member_required(LEAD)
@creates_once
def team_training(request, school_slug, coach_id):
    school = _school(request, school_slug)
    viewer = request.viewer
    coach = queries.coach_in_school(viewer, school=school, coach_id=coach_id)
    form = CoachTrainingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.coach_training_record(
                viewer=viewer, school=school, coach=coach, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Training recorded."))
            return redirect("rollout:team_training", school.slug, coach.pk)
    return _page(
        request,
        "team_training.html",
        school,
        "coaches",
        coach=coach,
        training=queries.training_of(viewer, school=school, coach=coach),
        form=form,
    )


@member_required(LEAD)
@creates_once
def team_phases(request, school_slug):
    school = _school(request, school_slug)
    form = RolloutPhaseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.rollout_phase_add(viewer=request.viewer, school=school, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Phase added."))
            return redirect("rollout:team_phases", school.slug)
    phases = queries.phases_of(request.viewer, school=school)
    return _page(request, "team_phases.html", school, "phases", phases=phases, form=form)


@member_required(LEAD)
@creates_once
def team_targets(request, school_slug):
    school = _school(request, school_slug)
    form = CoverageTargetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.coverage_target_set(viewer=request.viewer, school=school, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Target set."))
            return redirect("rollout:team_targets", school.slug)
    coverage = queries.coverage(request.viewer, school=school)
    return _page(request, "team_targets.html", school, "targets", coverage=coverage, form=form)


@member_required(LEAD)
def team_qa_visits(request, school_slug):
    school = _school(request, school_slug)
    visits = queries.qa_visits_of_school(request.viewer, school=school)
    return _page(request, "team_qa_visits.html", school, "qa", visits=visits)


@member_required(LEAD)
@creates_once
def team_qa_visit_new(request, school_slug):
    school = _school(request, school_slug)
    initial = {"visited_on": timezone.localdate()}
    if request.GET.get("coach", "").isdigit():
        initial["coach"] = int(request.GET["coach"])
    form = QaVisitForm(
        posted(request),
        initial=initial,
        coaches=queries.coaches_to_visit(request.viewer, school=school),
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.qa_visit_record(
                viewer=request.viewer, school=school, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("QA visit recorded. %(coach)s can read it now.")
                % {"coach": visit.coach.full_name},
            )
            return redirect("rollout:team_qa_visit", visit.pk)
    return _page(request, "team_qa_visit_form.html", school, "qa", form=form)


@member_required()
def team_qa_visit(request, visit_id):
    visit = queries.qa_visit_for(request.viewer, visit_id)
    return render(
        request,
        "rollout/team_qa_visit.html",
        {"visit": visit, "is_coach": visit.coach_id == request.viewer.pk},
    )


@member_required(Role.COACH)
def team_my_qa_visits(request):
    visits = queries.my_qa_visits(request.viewer)
    return render(request, "rollout/team_my_qa_visits.html", {"visits": visits})


urlpatterns = [
    path("qa-visits/mine/", team_my_qa_visits, name="team_my_qa_visits"),
    path("qa-visits/<int:visit_id>/", team_qa_visit, name="team_qa_visit"),
    path("<slug:school_slug>/coaches/", team_coaches, name="team_coaches"),
    path("<slug:school_slug>/coaches/assign/", team_assign, name="team_assign"),
    path(
        "<slug:school_slug>/coaches/<int:coach_id>/training/",
        team_training,
        name="team_training",
    ),
    path("<slug:school_slug>/phases/", team_phases, name="team_phases"),
    path("<slug:school_slug>/targets/", team_targets, name="team_targets"),
    path("<slug:school_slug>/qa-visits/", team_qa_visits, name="team_qa_visits"),
    path("<slug:school_slug>/qa-visits/new/", team_qa_visit_new, name="team_qa_visit_new"),
]
