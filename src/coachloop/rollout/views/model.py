"""A school's coaching model (its coaching lead) and the trust's policy (the trust lead)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.frameworks import queries as framework_queries
from coachloop.people import queries as people_queries
from coachloop.people.models import Role
from coachloop.policy import queries as policy_queries
from coachloop.policy.grid import cadence_label
from coachloop.policy.services import school_model_update, trust_policy_update
from coachloop.rollout.forms.model import SchoolModelForm, TrustPolicyForm


def _locked_summaries(page):
    """What the trust decided for each standardised group, in words."""
    values = page.effective.trust_values
    yes_no = {True: _("yes"), False: _("no")}
    words = {
        "cadence": _("early-career teachers %(ect)s, teachers %(teachers)s, leaders %(leaders)s")
        % {
            "ect": cadence_label(values["cadence_early_career"]).lower(),
            "teachers": cadence_label(values["cadence_teachers"]).lower(),
            "leaders": cadence_label(values["cadence_leaders"]).lower(),
        },
        "leadership": _("leaders coach: %(coach)s; leaders are coached: %(coached)s")
        % {
            "coach": yes_no[values["leaders_coach"]],
            "coached": yes_no[values["leaders_are_coached"]],
        },
        "meeting_modes": ", ".join(
            str(label)
            for name, label in (
                ("meets_in_person", _("in person")),
                ("meets_by_phone", _("by phone")),
                ("meets_by_video", _("by video call")),
            )
            if values[name]
        ),
        "group_coaching": _("allowed") if values["group_coaching"] else _("not used"),
        "framework": dict(SchoolModelForm.base_fields["framework_policy"].choices).get(
            values["framework_policy"], ""
        ),
    }
    return [(group.label, words[group.key]) for group in page.locked]


@member_required(Role.COACHING_LEAD)
def model_edit(request, school_slug):
    school = people_queries.school_for(request.viewer, slug=school_slug, role=Role.COACHING_LEAD)
    page = policy_queries.model_for_editing(request.viewer, school=school)
    form = SchoolModelForm(
        posted(request),
        initial=SchoolModelForm.initial_from(page.row),
        locked=[group.key for group in page.locked],
        frameworks=framework_queries.trust_framework_choices(request.viewer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            school_model_update(
                school=school,
                actor=request.user,
                values=form.model_values(),
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The coaching model is saved. Every page follows it now."))
            return redirect("rollout:model_edit", school.slug)
    context = {
        "school": school,
        "form": form,
        "locked": _locked_summaries(page),
        "adapts": page.effective.adapts_framework,
    }
    return render(request, "rollout/model_edit.html", context)


@member_required(Role.TRUST_LEAD)
def policy_edit(request):
    row = policy_queries.policy_for_editing(request.viewer)
    form = TrustPolicyForm(
        posted(request),
        initial=TrustPolicyForm.initial_from(row),
        frameworks=framework_queries.trust_framework_choices(request.viewer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            trust_policy_update(
                trust=request.viewer.trust,
                actor=request.user,
                values=form.model_values(),
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The trust's coaching policy is saved."))
            return redirect("rollout:policy_edit")
    levels = set(TrustPolicyForm.LEVEL_FIELDS)
    context = {
        "form": form,
        "differences": policy_queries.differences_from_policy(request.viewer),
        "level_fields": [form[name] for name in TrustPolicyForm.LEVEL_FIELDS],
        "choice_fields": [
            field
            for field in form.visible_fields()
            if field.name not in levels and field.name != "framework"
        ],
    }
    return render(request, "rollout/model_policy.html", context)


urlpatterns = [
    path("trust/coaching-policy/", policy_edit, name="policy_edit"),
    path("<slug:school_slug>/coaching-model/", model_edit, name="model_edit"),
]
