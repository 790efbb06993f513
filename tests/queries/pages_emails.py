"""The emails page, for a coach, a teacher and a coaching lead of the demo trust, and the
page the link in a digest opens."""

from django.urls import reverse

from coachloop.people.models import User
from coachloop.rollout import unsubscribe


def pages():
    url = reverse("rollout:emails")
    people = [
        User.objects.get(email=f"{who}@riverside.example.org")
        for who in ("coach", "teacher", "lead")
    ]
    coach = people[0]
    trust = coach.memberships.first().trust
    token = unsubscribe.token_for(trust_id=trust.pk, person_id=coach.pk, preference="weekly_digest")
    return [(person, url) for person in people] + [
        (coach, reverse("rollout:unsubscribe", args=[token]))
    ]
