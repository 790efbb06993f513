"""Kinds of coaching, ending and handover, over the demo rows of
``demo.coaching.relationships``: the lead's kinds page and start forms, ending and handing
over, the teacher's answer about earlier notes, the new coach's record and earlier coaching,
and a co-coaching peer's pages."""

from django.urls import reverse

from coachloop.coaching.models import Relationship
from coachloop.people.models import Role, User

Kind = Relationship.Kind


def pages():
    lead = User.objects.get(email="lead@riverside.example.org")
    coach = User.objects.get(email="coach@riverside.example.org")
    school = lead.memberships.filter(role=Role.COACHING_LEAD).first().school
    running = Relationship.objects.filter(school=school, finished_on__isnull=True)
    handed = running.filter(handed_over_from__isnull=False).order_by("pk").first()
    mentoring = running.filter(kind=Kind.MENTORING).order_by("pk").first()
    co_coaching = running.filter(kind=Kind.CO_COACHING).order_by("pk").first()
    found = [
        (lead, reverse("coaching:relationship_new", args=[school.slug])),
        (lead, reverse("coaching:relationship_start", args=[school.slug, "specialist"])),
        (lead, reverse("coaching:relationship_start", args=[school.slug, "co-coaching"])),
        (lead, reverse("coaching:relationship_start", args=[school.slug, "mentoring"])),
    ]
    if mentoring is not None:
        found += [
            (lead, reverse("coaching:relationship_end", args=[mentoring.pk])),
            (lead, reverse("coaching:relationship_handover", args=[mentoring.pk])),
            (mentoring.teacher, reverse("coaching:teacher_home")),
        ]
    if handed is not None:
        found += [
            (handed.teacher, reverse("coaching:earlier_consent", args=[handed.pk])),
            (coach, reverse("coaching:earlier_record", args=[handed.pk])),
            (coach, reverse("coaching:coachee", args=[handed.pk])),
        ]
    if co_coaching is not None:
        found += [
            (co_coaching.coach, reverse("coaching:teacher_home")),
            (co_coaching.coach, reverse("coaching:coachee", args=[co_coaching.pk])),
        ]
    return found
