"""Recording a drop-in on a phone: the form, its draft autosave, the saved page, edits."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coachloop.coaching import services
from coachloop.coaching.forms.dropins import DraftForm, DropInEditForm, DropInForm
from coachloop.coaching.queries import loop as queries
from coachloop.coaching.views.editing import save_versioned
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors

WRITE = "coaching.write_content"


@member_required()
def dropin_new(request, relationship_id):
    relationship = queries.relationship_for(request.viewer, relationship_id, rule=WRITE)
    step = queries.current_step(relationship)
    draft = None
    if request.method == "POST":
        form = DropInForm(request.POST, current_step=step, teacher=relationship.teacher)
        if form.is_valid():
            try:
                dropin = services.dropin_record(
                    viewer=request.viewer, relationship=relationship, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("coaching:dropin_saved", dropin.pk)
    else:
        draft = queries.open_draft(request.viewer, relationship=relationship)
        form = DropInForm(
            initial=DropInForm.initial_for(draft), current_step=step, teacher=relationship.teacher
        )
    return render(
        request,
        "coaching/dropin_form.html",
        {
            "form": form,
            "relationship": relationship,
            "current_step": step,
            "draft": draft,
            "recent": queries.recent_dropins(request.viewer, relationship=relationship),
        },
    )


@require_POST
@member_required()
def dropin_draft(request, relationship_id):
    """Autosave while typing. Answers with a line for the page's status region."""
    relationship = queries.relationship_for(request.viewer, relationship_id, rule=WRITE)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("This draft could not be saved."), status=400)
    outcome = services.dropin_draft_save(
        viewer=request.viewer,
        relationship=relationship,
        uuid=form.cleaned_data["uuid"],
        fields=form.draft_fields(),
    )
    if outcome.draft is None:
        response = HttpResponse(_("This drop-in is already saved."))
        response["X-Dropin-Recorded"] = "1"
    else:
        now = timezone.localtime()
        response = HttpResponse(_("Draft saved at %(time)s") % {"time": now.strftime("%H:%M")})
    # The page's script reads this: a changed id means the old one was taken, so it carries
    # on under the new one. A response without it (a sign-in page) is not a saved draft.
    response["X-Draft-Uuid"] = str(outcome.uuid)
    return response


@member_required()
def dropin_draft_discard(request, relationship_id):
    """Ask, then throw away the unfinished drop-in for this teacher."""
    relationship = queries.relationship_for(request.viewer, relationship_id, rule=WRITE)
    draft = queries.open_draft(request.viewer, relationship=relationship)
    if draft is None:
        return redirect("coaching:coachee", relationship.pk)
    if request.method == "POST":
        services.dropin_draft_discard(viewer=request.viewer, relationship=relationship)
        messages.success(request, _("The unfinished drop-in was deleted."))
        return redirect("coaching:coachee", relationship.pk)
    return render(
        request,
        "coaching/dropin_discard.html",
        {"relationship": relationship, "draft": draft},
    )


@member_required()
def dropin_saved(request, dropin_id):
    dropin = queries.dropin_for(request.viewer, dropin_id, rule=WRITE, audit=False)
    step = queries.current_step(dropin.relationship)
    response = render(
        request, "coaching/dropin_saved.html", {"dropin": dropin, "current_step": step}
    )
    response["X-Dropin-Saved"] = str(dropin.uuid)  # how the offline script knows it landed
    return response


@member_required()
def dropin_detail(request, dropin_id):
    dropin = queries.dropin_for(request.viewer, dropin_id)
    return render(request, "coaching/dropin_detail.html", {"dropin": dropin})


@member_required()
def dropin_edit(request, dropin_id):
    dropin = queries.dropin_for(request.viewer, dropin_id, rule=WRITE, drafts=True, audit=False)
    if dropin.is_draft:
        return redirect("coaching:dropin_new", dropin.relationship_id)
    step = dropin.followup_step
    conflict = None
    if request.method == "POST":
        form, conflict, saved = save_versioned(
            request,
            DropInEditForm,
            partial(services.dropin_update, viewer=request.viewer, dropin=dropin),
            current_step=step,
        )
        if saved:
            messages.success(request, _("Drop-in updated."))
            return redirect("coaching:dropin_detail", dropin.pk)
    else:
        form = DropInEditForm(
            initial={**DropInForm.initial_for(dropin), "version": dropin.version},
            current_step=step,
        )
    queries.dropin_shown(request.viewer, dropin)
    return render(
        request,
        "coaching/dropin_edit.html",
        {"form": form, "dropin": dropin, "conflict": conflict},
    )
