"""The coaching team's pages (coaches and coverage, QA visits), for the demo's coaching lead
and coach. The QA visit page needs the demo's QA visits (``demo.rollout.team``)."""

from django.urls import reverse

from coachloop.people.models import Role, User
from coachloop.rollout.models import QaVisit


def pages():
    lead = User.objects.get(email="lead@riverside.example.org")
    coach = User.objects.get(email="coach@riverside.example.org")
    slug = lead.memberships.filter(role=Role.COACHING_LEAD).first().school.slug
    visit = QaVisit.objects.filter(coach=coach).order_by("pk").first()
    found = [
        (lead, reverse("rollout:team_coaches", args=[slug])),
        (lead, reverse("rollout:team_assign", args=[slug])),
        (lead, reverse("rollout:team_training", args=[slug, coach.pk])),
        (lead, reverse("rollout:team_phases", args=[slug])),
        (lead, reverse("rollout:team_targets", args=[slug])),
        (lead, reverse("rollout:team_qa_visits", args=[slug])),
        (lead, reverse("rollout:team_qa_visit_new", args=[slug])),
        (coach, reverse("rollout:team_my_qa_visits")),
    ]
    if visit is not None:
        found.append((coach, reverse("rollout:team_qa_visit", args=[visit.pk])))
    return found
