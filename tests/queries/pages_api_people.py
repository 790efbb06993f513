"""The API's lists of schools, people, roles and framework versions, each with a token of the
demo's people: (who, url, headers).

(The dashboards through the API run a fixed number of queries, but more than 12: the page's own
and the token's bookkeeping, 15 for a school's and 13 for the trust's on a token's first use.
Left out until their reads are trimmed.)"""

from django.urls import reverse

from coachloop.demo.accounts import DEMO_TRUST_SLUG
from coachloop.people.models import Trust, User
from tests.api.tokens import bearer, make_token


def pages():
    trust = Trust.objects.get(slug=DEMO_TRUST_SLUG)
    admin = User.objects.get(email="admin@riverside.example.org")
    admin_token = bearer(make_token(admin, trust)[0])
    return [
        (admin, reverse("api:v1:schools"), admin_token),
        (admin, reverse("api:v1:people"), admin_token),
        (admin, reverse("api:v1:roles"), admin_token),
        (admin, reverse("api:v1:frameworks"), admin_token),
    ]
