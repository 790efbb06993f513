"""The API's lists of schools, people, roles and framework versions, each with a token of the
demo's people: (who, url, headers).

And the dashboards: a school's for its head, the trust's for a trust lead."""

from django.urls import reverse

from coachloop.demo.accounts import DEMO_TRUST_SLUG
from coachloop.people.models import Role, Trust, User
from tests.api.tokens import token_in_use


def pages():
    trust = Trust.objects.get(slug=DEMO_TRUST_SLUG)
    admin = User.objects.get(email="admin@riverside.example.org")
    head = User.objects.get(email="head@riverside.example.org")
    trust_lead = User.objects.get(email="trustlead@riverside.example.org")
    school = head.memberships.filter(role=Role.HEADTEACHER).first().school
    admin_token = token_in_use(admin, trust)
    return [
        (admin, reverse("api:v1:schools"), admin_token),
        (admin, reverse("api:v1:people"), admin_token),
        (admin, reverse("api:v1:roles"), admin_token),
        (admin, reverse("api:v1:frameworks"), admin_token),
        (head, reverse("api:v1:school_dashboard", args=[school.slug]), token_in_use(head, trust)),
        (trust_lead, reverse("api:v1:trust_dashboard"), token_in_use(trust_lead, trust)),
    ]
