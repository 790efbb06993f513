"""The teacher's "not now" page, for the demo teacher's current step."""

from django.urls import reverse

from coachloop.coaching.models import ActionStep
from coachloop.people.models import User


def pages():
    teacher = User.objects.get(email="teacher@riverside.example.org")
    step = ActionStep.objects.filter(
        relationship__teacher=teacher, relationship__finished_on__isnull=True, closed_on=None
    ).latest("pk")
    return [(teacher, reverse("coaching:step_not_now", args=[step.pk]))]
