"""Importing the trust's schools from England's schools register: upload the register's
files, see what would change, apply."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coachloop.common.decorators import member_required
from coachloop.common.forms import posted
from coachloop.people.models import Role, School, Trust
from coachloop.rosters import queries, register_imports
from coachloop.rosters.forms import SchoolsUploadForm
from coachloop.rosters.models import RosterImport
from coachloop.rosters.register import RegisterExtract, read_register
from coachloop.rosters.register_services import RegisterRefused, schools_import_apply

administrator = member_required(Role.ADMINISTRATOR)


@administrator
def schools_upload(request):
    trust = request.viewer.trust
    form = SchoolsUploadForm(
        posted(request), request.FILES or None, initial={"group_uid": trust.register_group_uid}
    )
    if request.method == "POST" and form.is_valid():
        extract = read_register(
            form.cleaned_data["establishments"],
            form.cleaned_data["links"],
            group_uid=form.cleaned_data["group_uid"],
        )
        roster_import = register_imports.schools_import_start(
            actor=request.user, trust=trust, extract=extract
        )
        return redirect("rosters:schools_import", roster_import.pk)
    return render(request, "rosters/schools_upload.html", {"form": form})


@require_safe
@administrator
def schools_import(request, import_id):
    roster_import = queries.import_for(request.viewer, import_id)
    if roster_import.kind != RosterImport.Kind.SCHOOLS:
        return redirect("rosters:import", roster_import.pk)
    plan = roster_import.plan
    context = {
        "roster_import": roster_import,
        "plan": plan,
        "changed": [
            (school, _labelled(School, school["before"], school["after"]))
            for school in plan.get("changed", [])
        ],
        "trust_changes": _labelled(Trust, **_before_after(plan.get("trust"))),
        "counts": roster_import.counts,
        "problems": roster_import.problems,
    }
    return render(request, "rosters/schools_import.html", context)


def _before_after(changes):
    changes = changes or {}
    return {"before": changes.get("before", {}), "after": changes.get("after", {})}


def _labelled(model, before, after):
    """Each changed field as (its label, what it was, what it becomes)."""
    return [
        (model._meta.get_field(name).verbose_name, before.get(name), value)
        for name, value in after.items()
    ]


@require_POST
@administrator
def schools_apply(request, import_id):
    roster_import = queries.import_for(request.viewer, import_id)
    if (
        roster_import.kind != RosterImport.Kind.SCHOOLS
        or roster_import.status != RosterImport.Status.READY
    ):
        messages.error(request, _("This import cannot be applied: see what the page says."))
        return redirect("rosters:schools_import", roster_import.pk)
    extract = RegisterExtract.from_dict(roster_import.records)
    try:
        schools_import_apply(
            actor=request.user,
            trust=request.viewer.trust,
            extract=extract,
            roster_import=roster_import,
        )
    except RegisterRefused:
        register_imports.schools_import_recheck(roster_import=roster_import)
        messages.error(
            request,
            _("Nothing was changed: your trust's schools changed since the files were checked."),
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect("rosters:schools_import", roster_import.pk)
