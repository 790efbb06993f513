"""Learning agreement pages, for the demo teacher and coach (demo rows from
``demo.coaching.agreements``: version 1 in force, version 2 proposed by the coach and waiting
for the teacher), and for a member of the first demo group, when the demo has groups."""

from django.urls import reverse

from coachloop.coaching.models import CoachingGroup, GroupMember, Relationship
from coachloop.people.models import User


def pages():
    coach = User.objects.get(email="coach@riverside.example.org")
    teacher = User.objects.get(email="teacher@riverside.example.org")
    relationship = (
        Relationship.objects.filter(coach=coach, teacher=teacher, agreement_versions__number=2)
        .order_by("pk")
        .first()
    )
    assert relationship is not None, (
        "The demo teacher has no learning agreement: is demo.coaching.agreements in the build?"
    )
    found = [
        (teacher, reverse("coaching:agreements_mine")),
        (teacher, reverse("coaching:agreement", args=[relationship.pk])),
        (teacher, reverse("coaching:agreement_version", args=[relationship.pk, 1])),
        (teacher, reverse("coaching:agreement_propose", args=[relationship.pk])),
        # The coach last: each of their reads is audited, so theirs are the counts kept.
        (coach, reverse("coaching:agreement", args=[relationship.pk])),
        (coach, reverse("coaching:agreement_version", args=[relationship.pk, 2])),
        (coach, reverse("coaching:agreement_propose", args=[relationship.pk])),
    ]
    group = CoachingGroup.objects.filter(trust=relationship.trust).order_by("pk").first()
    if group is not None:
        member = (
            GroupMember.objects.filter(group=group, left_on__isnull=True)
            .select_related("person")
            .order_by("pk")
            .first()
            .person
        )
        found += [
            (member, reverse("coaching:group_agreement", args=[group.pk])),
            (member, reverse("coaching:group_agreement_version", args=[group.pk, 1])),
            (member, reverse("coaching:group_agreement_propose", args=[group.pk])),
        ]
    return found
