"""The exam board's pages on the demo's programme: a released submission's marks and history
for the programme lead and the moderator, the lead's reopen, correct and moderator pages, and
the assignment's exam-board export (workbook and CSV; the history table is the same query)."""

from django.urls import reverse

from coachloop.people.models import User
from coachloop.programmes.models import Assignment, Programme, Submission


def pages():
    lead = User.objects.get(email="programme-lead@wessex.example.ac.uk")
    moderator = User.objects.get(email="moderator@wessex.example.ac.uk")
    programme = Programme.objects.get(title="MA Education (Instructional Coaching)")
    assignment = (
        Assignment.objects.filter(
            module__programme=programme, submissions__status=Submission.Status.RELEASED
        )
        .distinct()
        .first()
    )
    released = (
        Submission.objects.filter(assignment=assignment, status=Submission.Status.RELEASED)
        .order_by("pk")
        .first()
    )
    board = reverse("programmes:submission_board", args=[released.pk])
    return [
        (lead, board),
        (moderator, board),
        (lead, reverse("programmes:reopen", args=[released.pk])),
        (lead, reverse("programmes:correct", args=[released.pk])),
        (lead, reverse("programmes:moderator_replace", args=[released.pk])),
        (lead, reverse("programmes:exam_board_xlsx", args=[assignment.pk])),
        (lead, reverse("programmes:exam_board_csv", args=[assignment.pk])),
    ]
