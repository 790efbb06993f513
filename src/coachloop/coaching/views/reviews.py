"""Coaches as learners: reviewing a conversation against the principles, the coach's own
learning log, and the reviews coaches have shared with their school's coaching leads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coachloop.coaching.forms.reviews import (
    LearningEntryForm,
    ReviewShareForm,
    SessionReviewForm,
)
from coachloop.coaching.principles import PRINCIPLES, Showing
from coachloop.coaching.queries import reviews as queries
from coachloop.coaching.services import reviews as services
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once
from coachloop.people import queries as people_queries
from coachloop.people.models import Role

RECENT_REVIEWS = 50


@member_required(Role.COACH)
def review_list(request):
    context = {
        "reviews": queries.my_reviews(request.viewer, limit=RECENT_REVIEWS),
        "counts": queries.principle_counts(request.viewer),
        "principles": PRINCIPLES,
    }
    return render(request, "coaching/reviews/list.html", context)


@member_required(Role.COACH)
@creates_once
def review_new(request):
    """A new review. ``?conversation=r<relationship id>`` (from a teacher's page) or
    ``?conversation=g<group session id>`` (from a group session) picks the conversation."""
    choices = queries.review_choices(request.viewer)
    initial = {"held_on": timezone.localdate()}
    chosen = request.GET.get("conversation", "")
    if chosen:
        initial["conversation"] = chosen
        session = next((s for s in choices.group_sessions if f"g{s.pk}" == chosen), None)
        if session is not None:
            initial["held_on"] = session.met_on
    form = SessionReviewForm(
        posted(request),
        initial=initial,
        choices=choices,
        schools=request.viewer.schools_with(Role.COACH),
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.session_review_record(viewer=request.viewer, **form.review_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if review.shared_with_qa:
                messages.success(request, _("Review saved and shared with your QA lead."))
            else:
                messages.success(request, _("Review saved. Only you can read it."))
            return redirect("coaching:review_detail", review.pk)
    return render(request, "coaching/reviews/form.html", {"form": form})


@member_required()
def review_detail(request, review_id):
    """A review, for its coach or (when shared for QA) the school's coaching leads."""
    review = queries.review_for(request.viewer, review_id)
    ratings = [
        (principle, Showing(review.ratings[principle.code]).label)
        for principle in PRINCIPLES
        if review.ratings.get(principle.code) in Showing.values
    ]
    context = {
        "review": review,
        "ratings": ratings,
        "is_coach": review.coach_id == request.viewer.pk,
    }
    return render(request, "coaching/reviews/detail.html", context)


@require_POST
@member_required(Role.COACH)
def review_share(request, review_id):
    review = queries.own_review_for(request.viewer, review_id)
    form = ReviewShareForm(request.POST)
    form.is_valid()  # a box left unticked is simply False
    review = services.session_review_share_set(
        viewer=request.viewer,
        review=review,
        shared_with_qa=form.cleaned_data.get("shared_with_qa", False),
    )
    if review.shared_with_qa:
        messages.success(request, _("Shared with your QA lead."))
    else:
        messages.success(request, _("No longer shared. Only you can read this review."))
    return redirect("coaching:review_detail", review.pk)


@member_required(Role.COACH)
def learning_log(request):
    entries = queries.my_learning_log(request.viewer)
    return render(request, "coaching/reviews/log.html", {"entries": entries})


@member_required(Role.COACH)
@creates_once
def learning_log_new(request):
    form = LearningEntryForm(posted(request), initial={"written_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_entry_add(viewer=request.viewer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added to your learning log."))
            return redirect("coaching:learning_log")
    return render(request, "coaching/reviews/log_form.html", {"form": form})


@member_required(Role.COACHING_LEAD)
def reviews_shared(request, school_slug):
    """Session reviews the school's coaches chose to share for QA."""
    school = people_queries.school_for(request.viewer, slug=school_slug, role=Role.COACHING_LEAD)
    rows = queries.reviews_shared_with_lead(request.viewer, school=school)
    return render(
        request, "coaching/reviews/shared_with_lead.html", {"school": school, "rows": rows}
    )


urlpatterns = [
    path("coach/reviews/", review_list, name="reviews"),
    path("coach/reviews/new/", review_new, name="review_new"),
    path("coach/reviews/<int:review_id>/", review_detail, name="review_detail"),
    path("coach/reviews/<int:review_id>/share/", review_share, name="review_share"),
    path("coach/learning-log/", learning_log, name="learning_log"),
    path("coach/learning-log/new/", learning_log_new, name="learning_log_new"),
    path(
        "lead/<slug:school_slug>/session-reviews/",
        reviews_shared,
        name="reviews_shared",
    ),
]
