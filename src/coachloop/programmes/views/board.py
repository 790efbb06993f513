"""The exam board's pages: a submission's board page (its marks, agreement, moderation, final
mark and whole history) for the programme's lead and moderators, the lead's corrections from
it (reopen a stage before release, correct a mark after it, choose the moderator), and an
assignment's exam-board export as a workbook or CSV."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.programmes.exam_board import exam_board_csv as csv_of
from coachloop.programmes.exam_board import exam_board_xlsx as xlsx_of
from coachloop.programmes.forms.corrections import CorrectForm, ModeratorForm, ReopenForm
from coachloop.programmes.queries import board as queries
from coachloop.programmes.queries.exam_board import exam_board
from coachloop.programmes.queries.staff_pages import LEAD
from coachloop.programmes.services import corrections, moderation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@member_required()
def submission_board(request, submission_id):
    page = queries.board_page(request.viewer, submission_id)
    return render(request, "programmes/staff/board.html", {"page": page})


def _to_board(submission):
    return redirect("programmes:submission_board", submission.pk)


@member_required()
def reopen(request, submission_id):
    submission = queries.submission_on_board(request.viewer, submission_id, allowed=(LEAD,))
    form = ReopenForm(posted(request), stages=queries.reopen_stages(submission))
    if request.method == "POST" and form.is_valid():
        try:
            corrections.submission_reopen(
                viewer=request.viewer, submission=submission, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(stage)s is reopened. It is in the history with your reason.")
                % {"stage": corrections.STAGES[form.cleaned_data["stage"]]},
            )
            return _to_board(submission)
    context = {"submission": submission, "form": form}
    return render(request, "programmes/staff/reopen.html", context)


@member_required()
def correct(request, submission_id):
    submission = queries.submission_on_board(request.viewer, submission_id, allowed=(LEAD,))
    form = CorrectForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            corrections.mark_correct(
                viewer=request.viewer, submission=submission, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The mark is corrected. %(name)s is told by email, with your reason.")
                % {"name": submission.enrolment.teacher.full_name},
            )
            return _to_board(submission)
    context = {"submission": submission, "form": form}
    return render(request, "programmes/staff/correct.html", context)


@member_required()
def moderator_replace(request, submission_id):
    submission = queries.submission_on_board(request.viewer, submission_id, allowed=(LEAD,))
    form = ModeratorForm(posted(request), moderators=queries.moderator_choices(submission))
    if request.method == "POST" and form.is_valid():
        try:
            moderation.moderator_replace(
                viewer=request.viewer, submission=submission, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s moderates this submission.")
                % {"name": form.cleaned_data["moderator"].full_name},
            )
            return _to_board(submission)
    context = {"submission": submission, "form": form}
    return render(request, "programmes/staff/moderator_replace.html", context)


def _attachment(response, board, suffix, table=""):
    name = slugify(f"exam-board-{board.assignment.module.code}-{board.assignment.title}-{table}")
    response["Content-Disposition"] = f'attachment; filename="{name.strip("-")}.{suffix}"'
    return response


@require_safe
@member_required()
def exam_board_xlsx(request, assignment_id):
    board = exam_board(request.viewer, assignment_id)
    return _attachment(HttpResponse(xlsx_of(board), content_type=XLSX), board, "xlsx")


@require_safe
@member_required()
def exam_board_csv(request, assignment_id):
    key = request.GET.get("table", "marks")
    if key not in ("marks", "history"):
        raise Http404
    board = exam_board(request.viewer, assignment_id)
    table = board.table(key)
    response = HttpResponse(csv_of(table), content_type="text/csv; charset=utf-8")
    return _attachment(response, board, "csv", table=key)


urlpatterns = [
    path("submissions/<int:submission_id>/board/", submission_board, name="submission_board"),
    path("submissions/<int:submission_id>/reopen/", reopen, name="reopen"),
    path("submissions/<int:submission_id>/correct/", correct, name="correct"),
    path("submissions/<int:submission_id>/moderator/", moderator_replace, name="moderator_replace"),
    path(
        "assignments/<int:assignment_id>/exam-board.xlsx", exam_board_xlsx, name="exam_board_xlsx"
    ),
    path("assignments/<int:assignment_id>/exam-board.csv", exam_board_csv, name="exam_board_csv"),
]
