"""A teacher's record that moves with them: "Download my record" (JSON at once; a PDF made by
the task worker, whose page follows it; the person's own record only), and an administrator
bringing in a record from elsewhere."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from coachloop.coaching.forms.portability import RecordImportForm
from coachloop.coaching.portability.export import build_document, document_bytes
from coachloop.coaching.portability.format import all_parts
from coachloop.coaching.portability.importer import RecordProblems
from coachloop.coaching.queries import portability as queries
from coachloop.coaching.services import portability as services
from coachloop.common.decorators import member_required
from coachloop.common.forms import posted
from coachloop.common.submissions import creates_once, saved_here
from coachloop.people.models import Role


@member_required()
def download(request):
    """Anyone signed in may download their own record; there is no way to ask for another's."""
    summary = queries.own_record_summary(request.viewer)
    return render(request, "coaching/portability/download.html", {"summary": summary})


def _json(record):
    return document_bytes(build_document(record))


# suffix -> (what the audit trail calls it, content type, how the record becomes the file)
FILES = {
    "json": ("JSON", "application/json; charset=utf-8", _json),
}


@require_safe
@never_cache
@member_required()
def download_file(request, suffix):
    """The viewer's own record as a file to keep, audited."""
    file_format, content_type, render = FILES[suffix]
    viewer = request.viewer
    body = render(queries.own_record(viewer))
    services.teacher_record_exported(
        actor=viewer.user, teacher=viewer.user, trust=viewer.trust, file_format=file_format
    )
    name = slugify(viewer.user.full_name) or "teacher"
    filename = f"coachloop-record-{name}-{timezone.localdate():%Y-%m-%d}.{suffix}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
@member_required()
def prepare_pdf(request):
    """The viewer's own record as a PDF: drawing one takes seconds for a long record, so the
    task worker makes it and the person goes straight to its page, which follows it."""
    download = services.teacher_record_pdf_prepare(
        viewer=request.viewer,
        back=(reverse("coaching:portability_download"), _("Back to download my record")),
    )
    return redirect("downloads:page", download.pk)


@member_required(Role.ADMINISTRATOR)
@creates_once
def import_record(request):
    """Bring in a record from elsewhere. Shows every problem and writes nothing, or the
    counts of what arrived: never the record's content."""
    form = RecordImportForm(posted(request), request.FILES or None)
    problems = result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.teacher_record_import(
                viewer=request.viewer,
                trust=request.viewer.trust,
                raw=form.cleaned_data["record"].read(),
            )
        except RecordProblems as refused:
            problems = refused.problems
        else:
            saved_here(request)  # the same file sent again comes back here, not imported twice
    counts = None
    if result is not None:
        counts = [(part.heading, result.counts[part.key]) for part in all_parts()]
    return render(
        request,
        "coaching/portability/import.html",
        {"form": form, "problems": problems, "result": result, "counts": counts},
    )


urlpatterns = [
    path("me/my-record/", download, name="portability_download"),
    path(
        "me/my-record/coachloop-record.json",
        download_file,
        {"suffix": "json"},
        name="portability_json",
    ),
    path("me/my-record/pdf/", prepare_pdf, name="portability_pdf"),
    path("records/import/", import_record, name="portability_import"),
]
