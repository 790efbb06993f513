"""The coach's and the teacher's homes on a visit after an earlier one, so what is new since
(read from the audit trail) is read too: the demo coach and teacher last looked two hours ago
(``HomeLook``). Each home runs one query for the look, one to note the new visit and one for
what is new, however much is new."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import HomeLook
from coachloop.people.models import User


def pages():
    coach = User.objects.get(email="coach@riverside.example.org")
    teacher = User.objects.get(email="teacher@riverside.example.org")
    two_hours_ago = timezone.now() - dt.timedelta(hours=2)
    for person, page in ((coach, HomeLook.Page.COACH), (teacher, HomeLook.Page.TEACHER)):
        HomeLook.objects.update_or_create(
            trust=person.memberships.first().trust,
            person=person,
            page=page,
            defaults={"looked_at": two_hours_ago, "before": None},
        )
    return [
        (coach, reverse("coaching:coach_home")),
        (teacher, reverse("coaching:teacher_home")),
    ]
