"""The demo's rows for coaches as learners: the demo coach's session reviews (some shared with
their QA lead) and learning log."""

import datetime as dt

import pytest

from coachloop.coaching.models import CoachLearningEntry, Relationship, SessionReview
from coachloop.coaching.principles import CODES, Showing
from coachloop.coaching.queries.reviews import principle_counts
from coachloop.common.tenancy import trust_scope
from coachloop.demo.build import build_demo
from coachloop.people.models import User
from coachloop.people.queries import viewer_for

TODAY = dt.date(2025, 11, 20)  # a Thursday in the autumn term, as in the coaching demo tests
pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return build_demo(today=TODAY)  # the build runs demo_reviews


def test_the_demo_coach_has_reviewed_conversations_and_shared_some_with_their_qa_lead(trust):
    coach = User.objects.get(email="coach@riverside.example.org")
    with trust_scope(trust):
        reviews = list(SessionReview.objects.filter(coach=coach).select_related("relationship"))
        coached = set(Relationship.objects.filter(coach=coach).values_list("pk", flat=True))
        assert not SessionReview.objects.exclude(coach=coach).exists()
        counts = principle_counts(viewer_for(coach, trust_id=trust.pk))
    assert len(reviews) >= 6
    assert 1 <= sum(r.shared_with_qa for r in reviews) < len(reviews)
    for review in reviews:
        assert set(review.ratings) == set(CODES)
        assert set(review.ratings.values()) <= set(Showing.values)
        assert review.held_on <= TODAY
        assert review.went_well and review.try_next
        if review.relationship:
            assert review.relationship_id in coached
            assert review.school_id == review.relationship.school_id
    assert counts.review_count == len(reviews)
    assert counts.periods  # the demo has terms, so the counts are shown term by term


def test_the_demo_coach_keeps_a_learning_log(trust):
    coach = User.objects.get(email="coach@riverside.example.org")
    with trust_scope(trust):
        entries = list(CoachLearningEntry.objects.all())
    assert len(entries) == 5
    assert {e.coach for e in entries} == {coach}
    assert all(e.written_on <= TODAY and e.title and e.body for e in entries)
