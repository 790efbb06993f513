"""Evidence on the teacher's goals and steps: adding files, links and pupil voice, listing
it, removing it, and downloading a file through a check of who is asking.

Files are never under a public address: ``evidence_download`` sends one, as an attachment,
only to the teacher and to the coach whose coaching it belongs to (while they may read it).
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from coachloop.coaching.forms.evidence import EVIDENCE_FORMS
from coachloop.coaching.models import EvidenceItem
from coachloop.coaching.queries import learning as queries
from coachloop.coaching.services import evidence as services
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once
from coachloop.common.uploads import SizeLimitUploadHandler

ADD = "coaching.add_evidence"
# The kind of evidence, as it appears in the page address.
KINDS = {
    "file": EvidenceItem.Kind.FILE,
    "link": EvidenceItem.Kind.LINK,
    "pupil-voice": EvidenceItem.Kind.PUPIL_VOICE,
}
ADDED = {
    EvidenceItem.Kind.FILE: gettext_lazy("File added."),
    EvidenceItem.Kind.LINK: gettext_lazy("Link added."),
    EvidenceItem.Kind.PUPIL_VOICE: gettext_lazy("Pupil voice added."),
}


def _kind(slug):
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


def limits_uploads(view):
    """Drop an evidence file that passes the size limit while it arrives, before Django
    stores it anywhere (``uploads.SizeLimitUploadHandler``); the form then says so.

    The handler must be in place before the request body is read, and the CSRF check reads
    it: so the check is made here, inside, after the handler is added."""
    protected = csrf_protect(view)

    @csrf_exempt  # checked by ``protected`` below, never skipped
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        limit = SizeLimitUploadHandler(request, max_bytes=settings.COACHLOOP_EVIDENCE_MAX_BYTES)
        request.upload_handlers.insert(0, limit)
        request.evidence_size_limit = limit
        return protected(request, *args, **kwargs)

    return wrapper


def _add(request, slug, *, goal=None, step=None):
    """Show and handle the form for one kind of evidence on a goal or a step."""
    kind = _kind(slug)
    form_class = EVIDENCE_FORMS[kind]
    options = {}
    if kind == EvidenceItem.Kind.FILE:
        options = {
            "max_bytes": settings.COACHLOOP_EVIDENCE_MAX_BYTES,
            "too_large": request.evidence_size_limit.too_large,
        }
    form = form_class(posted(request), request.FILES or None, **options)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_add(
                viewer=request.viewer,
                kind=kind,
                goal=goal,
                action_step=step,
                title=form.cleaned_data.get("title", ""),
                note=form.cleaned_data.get("note", ""),
                url=form.cleaned_data.get("url", ""),
                upload=form.cleaned_data.get("file"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, str(ADDED[kind]))
            if goal is not None:
                return redirect("coaching:goal_detail", goal.pk)
            return redirect("coaching:step_evidence", step.pk)
    return render(
        request,
        "coaching/learning/evidence_form.html",
        {"form": form, "kind": kind, "goal": goal, "step": step},
    )


@limits_uploads
@member_required()
@creates_once
def goal_evidence_new(request, goal_id, kind):
    goal = queries.goal_to_add_evidence(request.viewer, goal_id)
    return _add(request, kind, goal=goal)


@limits_uploads
@member_required()
@creates_once
def step_evidence_new(request, step_id, kind):
    step = queries.step_for(request.viewer, step_id, rule=ADD)
    return _add(request, kind, step=step)


@member_required()
def step_evidence(request, step_id):
    """The evidence on one action step: the teacher's, read by their coach too."""
    step = queries.step_for(request.viewer, step_id)
    items = queries.step_evidence(request.viewer, step=step)
    return render(
        request,
        "coaching/learning/step_evidence.html",
        {
            "step": step,
            "items": items,
            "is_owner": step.relationship.teacher_id == request.viewer.pk,
        },
    )


@member_required()
def my_evidence(request):
    items = queries.my_evidence(request.viewer)
    return render(request, "coaching/learning/my_evidence.html", {"items": items})


def evidence_file_response(item):
    """A stored evidence file as a download: an attachment under the teacher's cleaned file
    name, with the type found when it was checked, never sniffed, never run or shown in
    place, never cached. Anyone serving an evidence file (a share, say) should use this;
    the caller has checked the viewer may have it. A file missing from storage is a 404."""
    if item.kind != EvidenceItem.Kind.FILE or not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name or f"evidence{item.file_suffix}",
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@member_required()
def evidence_download(request, evidence_id):
    """Send a file to the teacher, or to the coach whose coaching it belongs to."""
    item = queries.evidence_for(request.viewer, evidence_id, kind=EvidenceItem.Kind.FILE)
    return evidence_file_response(item)


@member_required()
def evidence_remove(request, evidence_id):
    item = queries.evidence_for(
        request.viewer, evidence_id, rule="coaching.remove_evidence", audit=False
    )
    if request.method == "POST":
        services.evidence_remove(viewer=request.viewer, item=item)
        messages.success(request, _("Evidence removed."))
        if item.goal_id:
            return redirect("coaching:goal_detail", item.goal_id)
        return redirect("coaching:step_evidence", item.action_step_id)
    return render(request, "coaching/learning/evidence_remove.html", {"item": item})


urlpatterns = [
    path("me/evidence/", my_evidence, name="my_evidence"),
    path(
        "goals/<int:goal_id>/evidence/<slug:kind>/new/",
        goal_evidence_new,
        name="goal_evidence_new",
    ),
    path("steps/<int:step_id>/evidence/", step_evidence, name="step_evidence"),
    path(
        "steps/<int:step_id>/evidence/<slug:kind>/new/",
        step_evidence_new,
        name="step_evidence_new",
    ),
    path("evidence/<int:evidence_id>/download/", evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_id>/remove/", evidence_remove, name="evidence_remove"),
]
