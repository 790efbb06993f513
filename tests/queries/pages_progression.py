"""Progression pages, for the demo teacher and their coach (demo rows from
``demo.coaching.progression``): the teacher's stages and share of proposed steps, the stage
form, the proposal page with the step waiting; the coach's view of both and the stage form."""

from django.urls import reverse

from coachloop.coaching.models import Relationship
from coachloop.people.models import User


def pages():
    coach = User.objects.get(email="coach@riverside.example.org")
    teacher = User.objects.get(email="teacher@riverside.example.org")
    relationship = Relationship.objects.filter(
        coach=coach, teacher=teacher, finished_on__isnull=True
    ).latest("pk")
    return [
        (teacher, reverse("coaching:progression_mine")),
        (teacher, reverse("coaching:stage_place_mine")),
        (teacher, reverse("coaching:step_propose", args=[relationship.pk])),
        (coach, reverse("coaching:progression_coachee", args=[relationship.pk])),
        (coach, reverse("coaching:stage_place_coachee", args=[relationship.pk])),
        (coach, reverse("coaching:step_proposals", args=[relationship.pk])),
    ]
