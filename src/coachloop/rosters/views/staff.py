"""The staff import pages: upload, then the import's own page (its progress, its problems,
what it would do, what it did), then apply."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coachloop.common.decorators import member_required
from coachloop.common.forms import posted
from coachloop.common.submissions import creates_once
from coachloop.people.models import Role
from coachloop.rosters import queries, running, services
from coachloop.rosters.forms import ApplyForm, OrgChoiceForm, StaffUploadForm
from coachloop.rosters.models import RosterImport
from coachloop.rosters.readers import read_bundle, staff_template_csv, staff_template_xlsx

administrator = member_required(Role.ADMINISTRATOR)
WORKING = {RosterImport.Status.CHECKING, RosterImport.Status.APPLYING}
PROBLEMS_SHOWN = 500
STALLED_SECONDS = 120


@administrator
@creates_once
def staff_upload(request):
    form = StaffUploadForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["roster"]
        bundle = read_bundle(
            upload, file_name=upload.name, exported_on=form.cleaned_data["exported_on"]
        )
        roster_import = services.staff_import_start(
            actor=request.user,
            trust=request.viewer.trust,
            bundle=bundle,
            file_name=upload.name,
            full_list=form.cleaned_data["full_list"],
            leaders=form.cleaned_data["leaders"],
        )
        running.check(roster_import)
        return redirect("rosters:import", roster_import.pk)
    return render(request, "rosters/staff_upload.html", {"form": form})


TEMPLATES = {
    "csv": ("text/csv; charset=utf-8", staff_template_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        staff_template_xlsx,
    ),
}


@require_safe
@administrator
def staff_template(request, suffix):
    content_type, build = TEMPLATES[suffix]
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="coachloop-staff.{suffix}"'
    return response


def _org_forms(viewer, roster_import):
    """A form for each organisation to match, its list of schools read once for them all."""
    unmatched = roster_import.plan.get("unmatched_orgs", [])
    if not unmatched:
        return []
    schools = queries.open_schools(viewer)
    choices = None
    forms = []
    for i, org in enumerate(unmatched):
        form = OrgChoiceForm(initial={"source_id": org["key"]}, schools=schools, prefix=f"o{i}")
        field = form.fields["school"]
        choices = choices or [("", field.empty_label), *((s.pk, s.name) for s in schools)]
        field.choices = choices
        forms.append((org, form))
    return forms


@require_safe
@administrator
def import_page(request, import_id):
    roster_import = queries.import_for(request.viewer, import_id, full=False)
    if roster_import.kind != RosterImport.Kind.STAFF:
        return redirect("rosters:schools_import", roster_import.pk)
    problems = roster_import.problems
    context = {
        "roster_import": roster_import,
        "working": roster_import.status in WORKING,
        "problems": problems[:PROBLEMS_SHOWN],
        "problems_more": max(0, len(problems) - PROBLEMS_SHOWN),
        "plan": roster_import.plan,
        "counts": roster_import.counts,
        "org_forms": _org_forms(request.viewer, roster_import),
        "apply_form": ApplyForm(leaving=services.many_leaving(roster_import)),
        "progress": _progress(roster_import),
    }
    return render(request, "rosters/import.html", context)


def _progress(roster_import):
    """How far it has got, and roughly how long is left, from the pace so far."""
    total = roster_import.rows_total or 0
    applying = roster_import.status == RosterImport.Status.APPLYING
    done = roster_import.rows_applied if applying else roster_import.rows_read
    seconds_left = None
    started = roster_import.phase_started_at
    elapsed = (timezone.now() - started).total_seconds() if started else 0
    if 0 < done < total:
        seconds_left = round(elapsed / done * (total - done))
    return {
        "applying": applying,
        "total": total,
        "read": roster_import.rows_read,
        "applied": roster_import.rows_applied,
        "done": done,
        "percent": round(100 * done / total) if total else 0,
        "seconds_left": seconds_left,
        # Nothing has moved for a while: the task worker may not be running.
        "stalled": done == 0 and elapsed > STALLED_SECONDS,
    }


@require_safe
@administrator
def import_progress(request, import_id):
    """The progress bar alone, which the page asks for every second while the import runs;
    once it has finished, the page reloads to show the outcome."""
    roster_import = queries.import_for(request.viewer, import_id, full=False)
    if roster_import.status not in WORKING:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    context = {"roster_import": roster_import, "progress": _progress(roster_import)}
    return render(request, "rosters/import.html#progress", context)


@require_POST
@administrator
def import_apply(request, import_id):
    roster_import = queries.import_for(request.viewer, import_id)
    if roster_import.status != RosterImport.Status.READY:
        messages.error(request, _("This import cannot be applied: see what the page says."))
        return redirect("rosters:import", roster_import.pk)
    form = ApplyForm(request.POST, leaving=services.many_leaving(roster_import))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("rosters:import", roster_import.pk)
    try:
        running.apply(
            roster_import,
            actor=request.user,
            invite_new_people=form.cleaned_data.get("invite", False),
            base_url=settings.COACHLOOP_SITE_URL,
        )
    except services.PlanChanged:
        messages.error(
            request,
            _(
                "Nothing was changed: your trust's people changed since this file was checked. "
                "It has been checked again; look at what it would do now."
            ),
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect("rosters:import", roster_import.pk)


@require_POST
@administrator
def org_confirm(request, import_id):
    """Say which school one of the file's organisations is, then check the file again."""
    roster_import = queries.import_for(request.viewer, import_id)
    if roster_import.status in WORKING or roster_import.status == RosterImport.Status.APPLIED:
        raise Http404
    unmatched = {org["key"]: org for org in roster_import.plan.get("unmatched_orgs", [])}
    schools = queries.open_schools(request.viewer)
    prefix = request.POST.get("prefix", "")
    form = OrgChoiceForm(request.POST, schools=schools, prefix=prefix)
    if not form.is_valid() or form.cleaned_data["source_id"] not in unmatched:
        messages.error(request, _("Choose the school for that organisation."))
        return redirect("rosters:import", roster_import.pk)
    org = unmatched[form.cleaned_data["source_id"]]
    services.org_mapping_confirm(
        actor=request.user,
        trust=request.viewer.trust,
        source_id=org["key"],
        source_name=org.get("name", ""),
        school=form.cleaned_data["school"],
    )
    services.staff_import_recheck(roster_import=roster_import)
    running.check(roster_import)
    messages.success(
        request,
        _("%(org)s is %(school)s from now on. The file has been checked again.")
        % {"org": org.get("name") or org["key"], "school": form.cleaned_data["school"].name},
    )
    return redirect("rosters:import", roster_import.pk)
