"""Issue 19's downloads that are not dashboards: a framework version as a file."""

from django.urls import reverse

from coachloop.frameworks.models import FrameworkVersion
from coachloop.people.models import User


def pages():
    coach = User.objects.get(email="coach@riverside.example.org")
    version = FrameworkVersion.objects.filter(trust__slug="riverside", is_current=True).first()
    return [(coach, reverse("frameworks:version_json", args=[version.pk]))]
