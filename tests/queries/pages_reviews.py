"""Coaches as learners, for the demo coach and coaching lead (demo rows from
``demo.coaching.reviews``): the coach's reviews with their counts over time, the review form,
the learning log and its form; the lead's list of reviews shared for QA and one of them
(a read that writes its audit event)."""

from django.urls import reverse

from coachloop.coaching.models import SessionReview
from coachloop.people.models import User


def pages():
    coach = User.objects.get(email="coach@riverside.example.org")
    lead = User.objects.get(email="lead@riverside.example.org")
    school = lead.memberships.filter(role="coaching_lead").first().school
    shared = (
        SessionReview.objects.filter(coach=coach, school=school, shared_with_qa=True)
        .order_by("-held_on", "-pk")
        .first()
    )
    return [
        (coach, reverse("coaching:reviews")),
        (coach, reverse("coaching:review_new")),
        (coach, reverse("coaching:learning_log")),
        (coach, reverse("coaching:learning_log_new")),
        (lead, reverse("coaching:reviews_shared", args=[school.slug])),
        (lead, reverse("coaching:review_detail", args=[shared.pk])),
    ]
