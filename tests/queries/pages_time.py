"""Time pages, for the demo coach, teacher and coaching lead (demo rows from
``demo.rollout.time``): the lead's slots and twilights, a past twilight with its attendance
form, each person's own time, the calendar page and the coach's calendar feed."""

from django.urls import reverse
from django.utils import timezone

from coachloop.people.models import User
from coachloop.rollout.models import CpdSession, ProtectedSlot
from tests.rollout.time_fixtures import feed_of


def pages():
    coach = User.objects.get(email="coach@riverside.example.org")
    teacher = User.objects.get(email="teacher@riverside.example.org")
    lead = User.objects.get(email="lead@riverside.example.org")
    school = lead.memberships.filter(role="coaching_lead").first().school
    slot = ProtectedSlot.objects.filter(school=school).order_by("pk").first()
    twilight = (
        CpdSession.objects.filter(school=school, starts_at__lte=timezone.now())
        .order_by("-starts_at", "pk")
        .first()
    )
    feed = feed_of(coach, school.trust)  # a new address: only its hash is kept
    return [
        (lead, reverse("rollout:time_slots", args=[school.slug])),
        (lead, reverse("rollout:time_slot_new", args=[school.slug])),
        (lead, reverse("rollout:time_slot_end", args=[school.slug, slot.pk])),
        (lead, reverse("rollout:time_sessions", args=[school.slug])),
        (lead, reverse("rollout:time_session_new", args=[school.slug])),
        (lead, reverse("rollout:time_session", args=[school.slug, twilight.pk])),
        (teacher, reverse("rollout:time_mine")),
        (coach, reverse("rollout:time_mine")),
        (coach, reverse("rollout:time_calendar")),
        (coach, reverse("rollout:time_feed", args=[coach.pk, feed.token])),
    ]
