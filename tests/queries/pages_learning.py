"""Learning pages, for the demo teacher and their coach (demo rows from
``demo.coaching.learning``): the goals list, a goal with its progress notes and evidence (as
the teacher and as the coach), the coach's view of the teacher's goals, the journal and one
entry, all the teacher's evidence, the evidence on their step, and a file download."""

from django.urls import reverse

from coachloop.coaching.models import EvidenceItem, Reflection
from coachloop.people.models import User


def pages():
    teacher = User.objects.get(email="teacher@riverside.example.org")
    coach = User.objects.get(email="coach@riverside.example.org")
    pdf = EvidenceItem.objects.filter(teacher=teacher, content_type="application/pdf").first()
    goal = pdf.goal
    on_step = EvidenceItem.objects.filter(teacher=teacher, action_step__isnull=False).first()
    entry = Reflection.objects.filter(teacher=teacher).order_by("-written_on", "-pk").first()
    return [
        (teacher, reverse("coaching:goals")),
        (teacher, reverse("coaching:goal_new")),
        (teacher, reverse("coaching:goal_detail", args=[goal.pk])),
        (teacher, reverse("coaching:goal_edit", args=[goal.pk])),
        (teacher, reverse("coaching:goal_progress", args=[goal.pk])),
        (coach, reverse("coaching:goal_detail", args=[goal.pk])),
        (coach, reverse("coaching:coachee_goals", args=[goal.relationship_id])),
        (coach, reverse("coaching:coachee_goal_new", args=[goal.relationship_id])),
        (teacher, reverse("coaching:reflections")),
        (teacher, reverse("coaching:reflection_new")),
        (teacher, reverse("coaching:reflection_detail", args=[entry.pk])),
        (teacher, reverse("coaching:reflection_edit", args=[entry.pk])),
        (teacher, reverse("coaching:my_evidence")),
        (teacher, reverse("coaching:goal_evidence_new", args=[goal.pk, "file"])),
        (coach, reverse("coaching:step_evidence", args=[on_step.action_step_id])),
        (teacher, reverse("coaching:evidence_download", args=[pdf.pk])),
        (coach, reverse("coaching:evidence_download", args=[pdf.pk])),
    ]
