"""Pages: the teacher on a programme. Their modules and assignments, their work on one
assignment (drafts for feedback, the final version, files), reading a submission and its files
(for the teacher and those who support or mark it), and the module portfolio with its PDF.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coachloop.coaching.views.evidence import limits_uploads
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted, refusal_text
from coachloop.common.submissions import creates_once
from coachloop.programmes.forms.students import PortfolioAddForm, SubmissionForm
from coachloop.programmes.queries import student_pages as queries
from coachloop.programmes.queries.portfolio import portfolio_for
from coachloop.programmes.services import portfolio as portfolio_services
from coachloop.programmes.services import submissions as submission_services


@member_required()
def my_programme(request):
    return render(
        request,
        "programmes/students/my_programme.html",
        {"enrolments": queries.my_programmes(request.viewer)},
    )


@limits_uploads
@member_required()
@creates_once
def submission(request, assignment_id):
    """The teacher's work on one assignment: a draft for feedback, or the final version."""
    page = queries.submission_page(request.viewer, assignment_id)
    latest = page.latest
    form = SubmissionForm(
        posted(request),
        request.FILES or None,
        initial={"text": latest.text if latest else ""},
        max_bytes=settings.COACHLOOP_EVIDENCE_MAX_BYTES,
        too_large=request.evidence_size_limit.too_large,
    )
    if request.method == "POST" and form.is_valid():
        try:
            submission_services.submission_version_add(
                viewer=request.viewer,
                enrolment=page.enrolment,
                assignment=page.assignment,
                text=form.cleaned_data["text"],
                final=form.is_final,
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            if page.is_open:
                add_service_errors(form, error)
            else:  # the form is not on the page any more: say why at the top
                messages.error(request, refusal_text(error))
        else:
            if form.is_final:
                messages.success(request, _("Handed in. Your tutor and coach will mark it."))
            else:
                messages.success(
                    request, _("Draft saved. Your coach and tutor can give you feedback on it.")
                )
            return redirect("programmes:submission", page.assignment.pk)
    return render(request, "programmes/students/submission.html", {"page": page, "form": form})


@member_required()
def submission_detail(request, submission_id):
    reading = queries.submission_reading(request.viewer, submission_id)
    return render(request, "programmes/students/submission_detail.html", {"reading": reading})


@require_safe
@member_required()
def submission_file(request, file_id):
    """A file of a submission, as a download, for those who may read the submission."""
    found = queries.submission_file_for(request.viewer, file_id)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@member_required()
def portfolio(request, module_id):
    builder = queries.portfolio_builder(request.viewer, module_id)
    return render(request, "programmes/students/portfolio.html", {"builder": builder})


@require_POST
@member_required()
@creates_once
def portfolio_add(request, module_id):
    builder = queries.portfolio_builder(request.viewer, module_id)
    form = PortfolioAddForm(request.POST, builder=builder)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["item"]))
        return redirect("programmes:portfolio", module_id)
    try:
        portfolio_services.portfolio_item_add(
            viewer=request.viewer,
            enrolment=builder.enrolment,
            module=builder.module,
            item=form.chosen(),
        )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Added to your portfolio. Your tutor can read it now."))
    return redirect("programmes:portfolio", module_id)


@require_POST
@member_required()
def portfolio_remove(request, item_id):
    entry = queries.portfolio_entry_for(request.viewer, item_id)
    portfolio_services.portfolio_item_remove(viewer=request.viewer, entry=entry)
    messages.success(request, _("Taken out of your portfolio. Your tutor can no longer read it."))
    return redirect("programmes:portfolio", entry.module_id)


@member_required()
def portfolio_read(request, enrolment_id, module_id):
    found = portfolio_for(request.viewer, enrolment_id=enrolment_id, module_id=module_id)
    return render(
        request,
        "programmes/students/portfolio_read.html",
        {"portfolio": found, "is_teacher": found.enrolment.teacher_id == request.viewer.pk},
    )


def _portfolio_back(viewer, found):
    if found.enrolment.teacher_id == viewer.pk:
        return reverse("programmes:portfolio", args=[found.module.pk]), _("Back to your portfolio")
    url = reverse("programmes:portfolio_read", args=[found.enrolment.pk, found.module.pk])
    return url, _("Back to the portfolio")


@require_POST
@member_required()
def portfolio_pdf(request, enrolment_id, module_id):
    """The portfolio as a PDF, made by the task worker: the person goes straight to its page."""
    found = portfolio_for(request.viewer, enrolment_id=enrolment_id, module_id=module_id)
    download = portfolio_services.portfolio_pdf_prepare(
        viewer=request.viewer,
        portfolio=found,
        back=_portfolio_back(request.viewer, found),
    )
    return redirect("downloads:page", download.pk)


urlpatterns = [
    path("my/", my_programme, name="my_programme"),
    path(
        "assignments/<int:assignment_id>/submission/",
        submission,
        name="submission",
    ),
    path("submissions/<int:submission_id>/", submission_detail, name="submission_detail"),
    path("files/<int:file_id>/", submission_file, name="submission_file"),
    path("modules/<int:module_id>/portfolio/", portfolio, name="portfolio"),
    path("modules/<int:module_id>/portfolio/add/", portfolio_add, name="portfolio_add"),
    path("portfolio/<int:item_id>/remove/", portfolio_remove, name="portfolio_remove"),
    path(
        "enrolments/<int:enrolment_id>/modules/<int:module_id>/portfolio/",
        portfolio_read,
        name="portfolio_read",
    ),
    path(
        "enrolments/<int:enrolment_id>/modules/<int:module_id>/portfolio.pdf",
        portfolio_pdf,
        name="portfolio_pdf",
    ),
]
