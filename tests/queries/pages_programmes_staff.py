"""The university staff's pages on the demo's programme (``demo.programmes``): the programme
lead's programmes, the programme, its school coaches, enrolling, a cohort with everyone on it,
ending a place, the past-due assignment with submissions in every state, momentum, funding and
a coach's qualification; the tutor's programme, assignment and momentum; the moderator's
assignment; the demo teacher's and coach's programmes; and the headteacher's programme
aggregates."""

from django.urls import reverse

from coachloop.people.models import User
from coachloop.programmes.models import Assignment, Enrolment, Programme, Submission


def pages():
    lead = User.objects.get(email="programme-lead@wessex.example.ac.uk")
    tutor = User.objects.get(email="tutor@wessex.example.ac.uk")
    moderator = User.objects.get(email="moderator@wessex.example.ac.uk")
    teacher = User.objects.get(email="teacher@riverside.example.org")
    coach = User.objects.get(email="coach@riverside.example.org")
    head = User.objects.get(email="head@riverside.example.org")
    programme = Programme.objects.get(title="MA Education (Instructional Coaching)")
    # The assignment with the most submissions beyond drafting: the past-due one.
    assignment = (
        Assignment.objects.filter(
            module__programme=programme,
            submissions__status=Submission.Status.RELEASED,
        )
        .distinct()
        .first()
    )
    school = head.memberships.filter(role="headteacher").first().school
    enrolment = Enrolment.objects.filter(cohort__programme=programme, coach=coach).first()
    submission = Submission.objects.filter(assignment=assignment).order_by("pk").first()
    p = programme.pk
    return [
        (lead, reverse("programmes:home")),
        (lead, reverse("programmes:programme", args=[p])),
        (lead, reverse("programmes:enrol", args=[p])),
        (lead, reverse("programmes:cohort", args=[enrolment.cohort_id])),
        (lead, reverse("programmes:enrolment_end", args=[enrolment.pk])),
        (lead, reverse("programmes:assignment", args=[assignment.pk])),
        # Second pages (25 a page: the assignment counts from its tally, the cohort with a COUNT).
        (lead, reverse("programmes:assignment", args=[assignment.pk]) + "?page=2"),
        (lead, reverse("programmes:cohort", args=[enrolment.cohort_id]) + "?page=2"),
        # The school coaches of the programme's teachers, 25 a page (a COUNT for the pages).
        (lead, reverse("programmes:coaches", args=[p])),
        (lead, reverse("programmes:coaches", args=[p]) + "?page=2"),
        (lead, reverse("programmes:marker_replace", args=[submission.pk, "second"])),
        (lead, reverse("programmes:release", args=[assignment.pk])),  # its confirmation
        (lead, reverse("programmes:resubmission_open", args=[submission.pk])),
        (lead, reverse("programmes:momentum", args=[p])),
        (lead, reverse("programmes:funding", args=[p])),
        (lead, reverse("programmes:qualification", args=[p, enrolment.coach_id])),
        (tutor, reverse("programmes:programme", args=[p])),
        (tutor, reverse("programmes:assignment", args=[assignment.pk])),
        (tutor, reverse("programmes:momentum", args=[p])),
        (tutor, reverse("programmes:home")),  # with their marking counts
        (moderator, reverse("programmes:assignment", args=[assignment.pk])),
        (teacher, reverse("programmes:home")),
        (coach, reverse("programmes:home")),
        (head, reverse("programmes:school_programmes", args=[school.slug])),
    ]
