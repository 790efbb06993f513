"""The emails page, for a coach, a teacher and a coaching lead of the demo trust."""

from django.urls import reverse

from coachloop.people.models import User


def pages():
    url = reverse("rollout:emails")
    return [
        (User.objects.get(email=f"{who}@riverside.example.org"), url)
        for who in ("coach", "teacher", "lead")
    ]
