"""The account page of the demo coach, who has signed in more often than the page lists, among
everyone's sign-ins (three each: ten times as many in the larger data)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from coachloop.people.models import SignIn, User


def pages():
    coach = User.objects.get(email="coach@riverside.example.org")
    now = timezone.now()
    SignIn.objects.all().delete()
    SignIn.objects.bulk_create(
        SignIn(
            person=person,
            at=now - dt.timedelta(hours=hour),
            device="Chrome on Android",
            method=SignIn.Method.PASSWORD,
        )
        for person in User.objects.all()
        for hour in range(3)
    )
    SignIn.objects.bulk_create(
        SignIn(
            person=coach,
            at=now - dt.timedelta(days=day),
            device="Safari on an iPhone",
            method="password",
        )
        for day in range(1, 30)
    )
    return [(coach, reverse("account"))]
