"""Pages: agreeing a mark. The two markers propose, confirm, decline or withdraw an agreed mark
on one page; the programme lead adjudicates or appoints a third marker; the third marker marks
(blind) and says why their mark settles it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted, refusal_text
from coachloop.common.submissions import creates_once
from coachloop.programmes.forms.agreement import (
    AdjudicateForm,
    DeclineForm,
    ProposeForm,
    ThirdMarkerForm,
    ThirdMarkForm,
)
from coachloop.programmes.models import Mark, Submission
from coachloop.programmes.queries import agreement_pages as queries
from coachloop.programmes.queries.staff_pages import submission_for_lead
from coachloop.programmes.services import agreement as services

ACTIONS = ("propose", "confirm", "decline", "withdraw")


def _answer(request, page, action, decline_form):
    """Confirm, decline or withdraw the open proposal the marker read: a redirect, or None to
    show the page again with the decline form's problems."""
    proposal = page.open_proposal
    if proposal is None or request.POST.get("proposal") != str(proposal.pk):
        messages.error(request, _("The proposal has changed since you read it: read it again."))
        return redirect("programmes:reconcile", page.submission.pk)
    viewer = request.viewer
    try:
        if action == "confirm":
            services.reconciliation_confirm(viewer=viewer, proposal=proposal)
            messages.success(
                request,
                _("You confirmed it: the agreed mark is %(mark)s.") % {"mark": proposal.mark},
            )
            return redirect("programmes:marking")
        if action == "withdraw":
            services.reconciliation_withdraw(viewer=viewer, proposal=proposal)
            messages.success(request, _("Your proposal is withdrawn."))
            return redirect("programmes:reconcile", page.submission.pk)
        if not decline_form.is_valid():
            return None
        services.reconciliation_decline(
            viewer=viewer, proposal=proposal, note=decline_form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("programmes:reconcile", page.submission.pk)
    messages.success(
        request, _("You declined the proposed mark: the programme lead decides the mark now.")
    )
    return redirect("programmes:marking")


@member_required()
@creates_once
def submission_reconcile(request, submission_id):
    page = queries.reconcile_page_for(request.viewer, submission_id)
    action = request.POST.get("action", "propose") if request.method == "POST" else None
    lowest, highest = page.range
    form = ProposeForm(
        posted(request) if action == "propose" else None, lowest=lowest, highest=highest
    )
    decline_form = DeclineForm(posted(request) if action == "decline" else None)
    if action in ACTIONS and page.needs_reconciling:
        if action != "propose":
            response = _answer(request, page, action, decline_form)
            if response is not None:
                return response
        elif form.is_valid():
            try:
                services.reconciliation_propose(
                    viewer=request.viewer, submission=page.submission, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Your proposal is with the other marker to confirm or decline.")
                )
                return redirect("programmes:reconcile", page.submission.pk)
    context = {
        "page": page,
        "submission": page.submission,
        "form": form,
        "decline_form": decline_form,
        "marks": page.marks,
        "rows": page.rows,
    }
    return render(request, "programmes/marking/reconcile.html", context)


def _settleable(submission, page):
    return submission.status == Submission.Status.ADJUDICATION or page.needs_reconciling


@member_required()
@creates_once
def submission_adjudicate(request, submission_id):
    page = queries.adjudication_page_for(request.viewer, submission_id)
    submission = page.submission
    form = AdjudicateForm(posted(request))
    third_in = any(m.position == Mark.Position.THIRD for m in page.marks)
    open_to_settle = _settleable(submission, page) and not third_in
    if request.method == "POST" and open_to_settle and form.is_valid():
        try:
            services.mark_adjudicate(
                viewer=request.viewer, submission=submission, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("You decided the agreed mark: %(mark)s.")
                % {"mark": form.cleaned_data["agreed_mark"]},
            )
            return redirect("programmes:assignment", submission.assignment_id)
    context = {
        "page": page,
        "submission": submission,
        "form": form,
        "marks": page.marks,
        "rows": page.rows,
        "open_to_settle": open_to_settle,
    }
    return render(request, "programmes/staff/adjudicate.html", context)


@member_required()
@creates_once
def third_marker(request, submission_id):
    submission = submission_for_lead(request.viewer, submission_id)
    form = ThirdMarkerForm(posted(request), tutors=queries.third_marker_choices(submission))
    if request.method == "POST" and form.is_valid():
        try:
            services.third_marker_appoint(
                viewer=request.viewer, submission=submission, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s marks %(teacher)s's work third: their mark settles it.")
                % {
                    "name": form.cleaned_data["person"].full_name,
                    "teacher": submission.enrolment.teacher.full_name,
                },
            )
            return redirect("programmes:assignment", submission.assignment_id)
    return render(
        request, "programmes/staff/third_marker.html", {"submission": submission, "form": form}
    )


@member_required()
@creates_once
def third_mark(request, submission_id):
    page = queries.third_mark_page_for(request.viewer, submission_id)
    submission = page.submission
    form = ThirdMarkForm(posted(request), criteria=page.criteria)
    can_mark = submission.status == Submission.Status.ADJUDICATION and page.own_mark is None
    if request.method == "POST" and can_mark and form.is_valid():
        try:
            mark = services.third_mark_record(
                viewer=request.viewer,
                submission=submission,
                scores=form.scores(),
                comments=form.cleaned_data["comments"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your mark is in and settles it: the agreed mark is %(mark)s.")
                % {"mark": mark.overall},
            )
            return redirect("programmes:marking")
    context = {"page": page, "submission": submission, "form": form, "can_mark": can_mark}
    return render(request, "programmes/marking/third_mark.html", context)


urlpatterns = [
    path("submissions/<int:submission_id>/reconcile/", submission_reconcile, name="reconcile"),
    path("submissions/<int:submission_id>/adjudicate/", submission_adjudicate, name="adjudicate"),
    path("submissions/<int:submission_id>/third-marker/", third_marker, name="third_marker"),
    path("submissions/<int:submission_id>/third-mark/", third_mark, name="third_mark"),
]
