"""Coaches as learners: a coach's session reviews and learning log are theirs (a 403 for
anyone without the coach role); a review shared for QA is read by its coach and the school's
coaching leads only, a 404 for everyone else; the list of shared reviews is the school's
coaching lead's (another school's or trust's lead gets a 404, anyone else a 403)."""

from django.utils import timezone

from coachloop.coaching.models import SessionReview
from coachloop.coaching.principles import CODES
from coachloop.common.tenancy import scopes_disabled
from tests.access.codes import content_route, only, page_route

COACHES = page_route({"coach": 200, "other_coach": 200})
LEAD_ONLY = {
    "own": only({"coaching_lead": 200}, others=403),
    "other_school": only({"coaching_lead": 404}, others=403),
    "other_trust": only({"coaching_lead": 404}, others=403),
}


def _review(records):
    """A review by the school's coach of their coaching, shared with the QA lead."""
    with scopes_disabled():
        review = SessionReview.objects.create(
            trust=records.school.trust,
            coach=records.coach,
            school=records.school,
            relationship=records.relationship,
            held_on=timezone.localdate(),
            ratings=dict.fromkeys(CODES, "partly"),
            went_well="I waited for the teacher to name the step.",
            shared_with_qa=True,
            created_at=timezone.now(),
        )
    return {"review_id": review.pk}


def _school(records):
    return {"school_slug": records.school.slug}


def _coach_only_change():
    """Posting a share change: the coach role is needed (403), then it must be yours (404)."""
    theirs = only({"coach": 404, "other_coach": 404}, others=403)
    return {
        "own": only({"coach": 302, "other_coach": 404}, others=403),
        "other_school": theirs,
        "other_trust": theirs,
    }


ROWS = {
    "coaching:reviews": ("get", None, COACHES),
    "coaching:review_new": ("get", None, COACHES),
    "coaching:review_detail": (
        "get",
        _review,
        content_route({"coach": 200, "coaching_lead": 200}),
    ),
    "coaching:review_share": ("post", _review, _coach_only_change()),
    "coaching:learning_log": ("get", None, COACHES),
    "coaching:learning_log_new": ("get", None, COACHES),
    "coaching:reviews_shared": ("get", _school, LEAD_ONLY),
}
