"""The teacher's programme pages on the demo (``demo.programmes``): the demo teacher's
programme, their released case study and their second module's draft, a submission read by
the teacher, their tutor and the programme lead, their portfolio as they build it, as their
tutor reads it (a read that writes its audit event), and as a PDF."""

from django.urls import reverse

from coachloop.people.models import User
from coachloop.programmes.models import Enrolment, Submission


def pages():
    teacher = User.objects.get(email="teacher@riverside.example.org")
    tutor = User.objects.get(email="tutor@wessex.example.ac.uk")
    lead = User.objects.get(email="programme-lead@wessex.example.ac.uk")
    enrolment = Enrolment.objects.filter(teacher=teacher).select_related("cohort").get()
    modules = list(enrolment.cohort.programme.modules.order_by("starts_on", "code"))
    released = Submission.objects.get(enrolment=enrolment, status=Submission.Status.RELEASED)
    in_marking = (
        Submission.objects.filter(first_marker=tutor)
        .exclude(status__in=[Submission.Status.DRAFTING, Submission.Status.RELEASED])
        .order_by("-status", "pk")
        .first()
    )
    second = modules[-1].assignments.order_by("due_at", "pk").first()
    portfolio = [enrolment.pk, modules[0].pk]
    return [
        (teacher, reverse("programmes:my_programme")),
        (teacher, reverse("programmes:submission", args=[released.assignment_id])),
        (teacher, reverse("programmes:submission", args=[second.pk])),
        (teacher, reverse("programmes:submission_detail", args=[released.pk])),
        (tutor, reverse("programmes:submission_detail", args=[in_marking.pk])),
        (lead, reverse("programmes:submission_detail", args=[released.pk])),
        (teacher, reverse("programmes:portfolio", args=[modules[0].pk])),
        (tutor, reverse("programmes:portfolio_read", args=portfolio)),
    ]
