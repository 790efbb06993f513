"""Two-step sign-in's pages that need no fresh confirmation: the demo head who has set it up
(an authenticator app and recovery codes) and a head who has not."""

from django.urls import reverse

from coachloop.demo.two_step import two_step_head
from coachloop.people.models import Trust, User


def pages():
    with_two_step = two_step_head(Trust.objects.get(slug="riverside")).user
    without = User.objects.get(email="head@riverside.example.org")
    return [
        (person, reverse(route))
        for person in (without, with_two_step)
        for route in ("mfa_index", "mfa_list_webauthn")
    ]
