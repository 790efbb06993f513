"""The coaching lead's home, second page of teachers (``?page=``: most urgent first, 25 a
page; on a school with fewer, the nearest page, the first)."""

from django.urls import reverse

from coachloop.people.models import Role, User


def pages():
    lead = User.objects.get(email="lead@riverside.example.org")
    slug = lead.memberships.filter(role=Role.COACHING_LEAD).first().school.slug
    return [(lead, reverse("coaching:lead_home", args=[slug]) + "?page=2")]
