"""The API's routes, each with a token of the demo's people (made again after each rebuild of
the demo): (who, url, headers)."""

from django.urls import reverse

from coachloop.demo.accounts import DEMO_TRUST_SLUG
from coachloop.people.models import Trust, User
from tests.api.tokens import bearer, make_token


def pages():
    trust = Trust.objects.get(slug=DEMO_TRUST_SLUG)
    head = User.objects.get(email="head@riverside.example.org")
    secret, _token = make_token(head, trust)
    return [(head, reverse("api:v1:me"), bearer(secret))]
