"""Pages: marking. A marker's queue, claiming their slot of a submission (or giving it up),
marking it (blind until both marks are in; "save and finish later" keeps what they typed;
agreeing marks that need it is ``views.agreement``), the moderator's sample and their
decision, and, for the teacher's tutor and coach, extensions and feedback on drafts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted, refusal_text
from coachloop.common.submissions import creates_once
from coachloop.people.models import Role
from coachloop.programmes.forms.marking import (
    ExtensionForm,
    FeedbackForm,
    MarkForm,
    ModerateForm,
)
from coachloop.programmes.models import Submission, SubmissionVersion
from coachloop.programmes.queries import marking_pages as queries
from coachloop.programmes.services import claims as claim_services
from coachloop.programmes.services import marking as marking_services
from coachloop.programmes.services import moderation as moderation_services
from coachloop.programmes.services import submissions as submission_services


@member_required()
def marking_queue(request):
    queue = queries.marking_queue(
        request.viewer,
        to_mark_page=request.GET.get("page"),
        done_page=request.GET.get("done"),
        in_hand_page=request.GET.get("agree"),
    )
    return render(request, "programmes/marking/queue.html", {"queue": queue})


@require_POST
@member_required()
def submission_claim(request, submission_id):
    submission = queries.marker_submission_for(request.viewer, submission_id)
    try:
        claim = claim_services.submission_claim(viewer=request.viewer, submission=submission)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("programmes:marking")
    messages.success(
        request,
        _("It is yours to mark until %(time)s.")
        % {"time": time_format(timezone.localtime(claim.claimed_until), "H:i")},
    )
    return redirect("programmes:mark", submission.pk)


@require_POST
@member_required()
def claim_give_up(request, submission_id):
    submission = queries.marker_submission_for(request.viewer, submission_id)
    try:
        claim_services.claim_give_up(viewer=request.viewer, submission=submission)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            _("You gave up your claim on %(name)s's work: someone else may mark it now.")
            % {"name": submission.enrolment.teacher.full_name},
        )
    return redirect("programmes:marking")


def _save_for_later(request, form, submission):
    try:
        claim_services.mark_draft_save(
            viewer=request.viewer,
            submission=submission,
            scores={k: v for k, v in form.scores().items() if v is not None},
            comments=form.cleaned_data["comments"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, _("Saved. Your marks and comments are here when you come back."))
    return redirect("programmes:marking")


@member_required()
@creates_once
def submission_mark(request, submission_id):
    page = queries.marker_page_for(request.viewer, submission_id)
    submission = page.submission
    later = request.method == "POST" and "later" in request.POST
    form = MarkForm(
        posted(request),
        criteria=page.criteria,
        later=later,
        initial=MarkForm.initial_from(page.claim),
    )
    if later and form.is_valid():
        response = _save_for_later(request, form, submission)
        if response is not None:
            return response
    elif request.method == "POST" and form.is_valid():
        other_in = page.assessment.hidden or any(
            m.marker_id != request.viewer.pk for m in page.assessment.marks
        )
        try:
            mark = marking_services.mark_record(
                viewer=request.viewer,
                submission=submission,
                scores=form.scores(),
                comments=form.cleaned_data["comments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            submission = mark.submission
            if submission.status == Submission.Status.MARKING_DONE:
                messages.success(
                    request,
                    _("Your mark is in. Both marks agree: the agreed mark is %(mark)s.")
                    % {"mark": submission.agreed_mark},
                )
            elif other_in:
                messages.success(
                    request,
                    _(
                        "Your mark is in. The two marks are further apart than the programme "
                        "allows, or in different bands, so the markers agree a mark together."
                    ),
                )
                return redirect("programmes:reconcile", submission.pk)
            else:
                messages.success(
                    request, _("Your mark is in. The other marker's mark is still to come.")
                )
            return redirect("programmes:marking")
    now = timezone.now()
    context = {
        "page": page,
        "submission": submission,
        "form": form,
        "can_mark": submission.status in queries.MARKING and page.own_mark is None,
        "held_by_other": page.rival,
        "claimed_by_me": page.claim if page.claim and page.claim.holds(now) else None,
    }
    return render(request, "programmes/marking/mark.html", context)


@member_required(Role.PARTNER_STAFF)
def moderation(request, programme_id):
    found = queries.moderation_for(
        request.viewer,
        programme_id,
        awaiting_page=request.GET.get("page"),
        done_page=request.GET.get("done"),
    )
    return render(request, "programmes/marking/moderation.html", {"moderation": found})


@member_required(Role.PARTNER_STAFF)
def submission_moderate(request, submission_id):
    page = queries.moderator_page_for(request.viewer, submission_id)
    submission = page.submission
    form = ModerateForm(posted(request))
    waiting = submission.status == Submission.Status.IN_REVIEW
    # Until release the moderator can change their decision; after it, the service refuses.
    revisable = submission.status == Submission.Status.READY and submission.moderated_at
    released = submission.status == Submission.Status.RELEASED
    if request.method == "POST" and (waiting or revisable or released) and form.is_valid():
        try:
            moderation_services.moderation_record(
                viewer=request.viewer, submission=submission, **form.service_fields()
            )
        except ValidationError as error:
            if released:  # no form on the page to show it against
                messages.error(request, refusal_text(error))
                return redirect("programmes:moderate", submission.pk)
            add_service_errors(form, error)
        else:
            if revisable:
                messages.success(request, _("Your decision is changed: the markers see it now."))
            else:
                messages.success(request, _("Moderation recorded: the mark is ready for release."))
            return redirect("programmes:moderation", page.programme.pk)
    marks = {m.position: m for m in page.assessment.marks}
    rows = [
        (criterion, [m.scores.get(str(criterion.pk)) for m in marks.values()])
        for criterion in page.criteria
    ]
    context = {
        "page": page,
        "submission": submission,
        "form": form,
        "marks": list(marks.values()),
        "rows": rows,
        "waiting": waiting,
        "revisable": bool(revisable),
        "released": released,
        "own_marking": request.viewer.pk
        in (submission.first_marker_id, submission.second_marker_id),
    }
    return render(request, "programmes/marking/moderate.html", context)


@require_POST
@member_required(Role.PARTNER_STAFF)
def extension_start(request, enrolment_id, assignment_id):
    """From the three-way page: an extension for a teacher who has not saved any work yet."""
    enrolment, assignment = queries.extension_start_for(request.viewer, enrolment_id, assignment_id)
    submission = submission_services.submission_open(
        viewer=request.viewer, enrolment=enrolment, assignment=assignment
    )
    return redirect("programmes:extension", submission.pk)


@member_required(Role.PARTNER_STAFF)
@creates_once
def submission_extension(request, submission_id):
    history = queries.extension_page_for(request.viewer, submission_id)
    submission = history.submission
    form = ExtensionForm(posted(request), due_at=submission.due_at)
    drafting = submission.status == Submission.Status.DRAFTING
    if request.method == "POST" and drafting and form.is_valid():
        try:
            submission_services.extension_grant(
                viewer=request.viewer,
                submission=submission,
                due_at=form.new_due_at(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Extension granted. The teacher can see the new date."))
            return redirect("programmes:extension", submission.pk)
    context = {
        "history": history,
        "submission": submission,
        "form": form,
        "drafting": drafting,
    }
    return render(request, "programmes/marking/extension.html", context)


@member_required()
@creates_once
def submission_feedback(request, submission_id):
    history = queries.feedback_page_for(request.viewer, submission_id)
    latest = history.latest
    is_draft = latest is not None and latest.kind == SubmissionVersion.Kind.DRAFT
    form = FeedbackForm(posted(request))
    if request.method == "POST" and is_draft and form.is_valid():
        try:
            submission_services.feedback_give(
                viewer=request.viewer, version=latest, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Feedback sent. The teacher can read it now."))
            return redirect("programmes:feedback", history.submission.pk)
    context = {
        "history": history,
        "submission": history.submission,
        "latest": latest,
        "is_draft": is_draft,
        "form": form,
    }
    return render(request, "programmes/marking/feedback.html", context)


urlpatterns = [
    path("marking/", marking_queue, name="marking"),
    path("submissions/<int:submission_id>/claim/", submission_claim, name="claim"),
    path("submissions/<int:submission_id>/claim/give-up/", claim_give_up, name="claim_give_up"),
    path("submissions/<int:submission_id>/mark/", submission_mark, name="mark"),
    path("<int:programme_id>/moderation/", moderation, name="moderation"),
    path("submissions/<int:submission_id>/moderate/", submission_moderate, name="moderate"),
    path("submissions/<int:submission_id>/extension/", submission_extension, name="extension"),
    path(
        "enrolments/<int:enrolment_id>/assignments/<int:assignment_id>/extension/",
        extension_start,
        name="extension_start",
    ),
    path("submissions/<int:submission_id>/feedback/", submission_feedback, name="feedback"),
]
