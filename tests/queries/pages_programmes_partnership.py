"""The three partners' pages, for the demo teacher, their coach and their tutor (demo rows
from ``demo.programmes``): the shared page of the enrolment (a read by the coach or the tutor
writes its audit event), scheduling a meeting, a meeting held with its actions and one to
come, bringing a goal; the module's reading list for the tutor and the programme lead, adding
a reading, and the coach's discussion prompt form."""

from django.urls import reverse

from coachloop.people.models import User
from coachloop.programmes.models import Enrolment, Meeting, Module, Reading


def pages():
    teacher = User.objects.get(email="teacher@riverside.example.org")
    coach = User.objects.get(email="coach@riverside.example.org")
    tutor = User.objects.get(email="tutor@wessex.example.ac.uk")
    lead = User.objects.get(email="programme-lead@wessex.example.ac.uk")
    enrolment = Enrolment.objects.filter(teacher=teacher, finished_on__isnull=True).latest("pk")
    held = (
        Meeting.objects.filter(enrolment=enrolment, held_on__isnull=False)
        .order_by("-held_on", "-pk")
        .first()
    )
    to_come = Meeting.objects.filter(enrolment=enrolment, held_on__isnull=True).first()
    module = Module.objects.filter(programme_id=enrolment.cohort.programme_id).first()
    reading = Reading.objects.filter(module=module).order_by("pk").first()
    return [
        (teacher, reverse("programmes:enrolment", args=[enrolment.pk])),
        (coach, reverse("programmes:enrolment", args=[enrolment.pk])),
        (coach, reverse("programmes:meeting_new", args=[enrolment.pk])),
        (tutor, reverse("programmes:meeting", args=[held.pk])),
        (coach, reverse("programmes:meeting", args=[to_come.pk])),
        (teacher, reverse("programmes:goal_bring", args=[enrolment.pk])),
        (tutor, reverse("programmes:readings", args=[module.pk])),
        (lead, reverse("programmes:readings", args=[module.pk])),
        (lead, reverse("programmes:reading_new", args=[module.pk])),
        (coach, reverse("programmes:prompt_new", args=[reading.pk])),
    ]
