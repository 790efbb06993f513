"""Choosing a trust, for a university tutor who works with the demo trust and a second one.

The demo has one trust, so the second and the tutor's roles in both are made here (again after
each rebuild of the demo, which takes the tutor's demo role with it).
"""

from django.urls import reverse

from coachloop.demo.accounts import DEMO_TRUST_SLUG
from coachloop.people.models import Membership, Role, Trust, User


def pages():
    second, _ = Trust.objects.get_or_create(
        slug="query-counts-second", defaults={"name": "Northgate Schools Trust"}
    )
    tutor, _ = User.objects.get_or_create(
        email="two-trusts@wessex.example.ac.uk", defaults={"full_name": "Tutor in Two Trusts"}
    )
    for trust in (Trust.objects.get(slug=DEMO_TRUST_SLUG), second):
        Membership.objects.get_or_create(trust=trust, user=tutor, role=Role.PARTNER_STAFF)
    return [(tutor, reverse("trust_choose"))]
