"""A school adapting the trust's framework: hiding steps, renaming them, adding its own."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once
from coachloop.frameworks import queries as framework_queries
from coachloop.frameworks.services import school_step_add, step_adaptations_save
from coachloop.people import queries as people_queries
from coachloop.people.models import Role
from coachloop.policy import queries as policy_queries
from coachloop.rollout.forms.adaptation import AdaptationForm, SchoolStepForm


def _school_and_model(request, school_slug):
    school = people_queries.school_for(request.viewer, slug=school_slug, role=Role.COACHING_LEAD)
    return school, policy_queries.school_model(school)


@member_required(Role.COACHING_LEAD)
def adaptation_edit(request, school_slug):
    school, model = _school_and_model(request, school_slug)
    if not model.adapts_framework:
        return render(request, "rollout/adaptation_off.html", {"school": school})
    steps = framework_queries.school_steps(
        request.viewer, school=school, framework_id=model.framework_id, adapted=True
    )
    trust_steps = [step for step in steps if step.school_id is None]
    form = AdaptationForm(posted(request), steps=trust_steps)
    if request.method == "POST" and form.is_valid():
        try:
            step_adaptations_save(school=school, changes=form.changes(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The school's adaptation is saved."))
            return redirect("rollout:adaptation_edit", school.slug)
    context = {
        "school": school,
        "form": form,
        "added": [step for step in steps if step.school_id == school.pk],
    }
    return render(request, "rollout/adaptation_edit.html", context)


@member_required(Role.COACHING_LEAD)
@creates_once
def school_step_new(request, school_slug):
    school, model = _school_and_model(request, school_slug)
    if not model.adapts_framework:
        return render(request, "rollout/adaptation_off.html", {"school": school})
    strands = framework_queries.current_strands(request.viewer, framework_id=model.framework_id)
    form = SchoolStepForm(posted(request), strands=strands)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            school_step_add(
                school=school,
                strand=data["strand"],
                title=data["title"],
                looks_like=data["looks_like"],
                why_it_works=data["why_it_works"],
                how_to_rehearse=data["how_to_rehearse"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step is added to the school's framework."))
            return redirect("rollout:adaptation_edit", school.slug)
    return render(request, "rollout/adaptation_step.html", {"school": school, "form": form})


urlpatterns = [
    path("<slug:school_slug>/framework/", adaptation_edit, name="adaptation_edit"),
    path("<slug:school_slug>/framework/new-step/", school_step_new, name="school_step_new"),
]
