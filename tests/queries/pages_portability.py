"""Portability pages over the demo: the teacher's "Download my record" page and the
administrator's import page. The downloads themselves read one query per kind of row (twelve,
whatever the record's length: tests/coaching/test_portability_export.py checks that), plus the
request's own, so they are not listed here."""

from django.urls import reverse

from coachloop.people.models import User


def pages():
    teacher = User.objects.get(email="teacher@riverside.example.org")
    admin = User.objects.get(email="admin@riverside.example.org")
    return [
        (teacher, reverse("coaching:portability_download")),
        (admin, reverse("coaching:portability_import")),
    ]
