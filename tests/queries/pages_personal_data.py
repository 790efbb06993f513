"""A person's data over the demo: their own page, and the administrator's page about a
person and the erasure page. The downloads read each app's records of the person, a few
queries per kind, so they are not listed here."""

from django.urls import reverse

from coachloop.people.models import User


def pages():
    teacher = User.objects.get(email="teacher@riverside.example.org")
    admin = User.objects.get(email="admin@riverside.example.org")
    return [
        (teacher, reverse("my_data")),
        (admin, reverse("person_data", args=[teacher.pk])),
        (admin, reverse("person_erase", args=[teacher.pk])),
    ]
