"""Group coaching pages, for the demo's coaching lead and teacher (demo rows from
``demo.coaching.groups``): the lead's group list, set-up form, a group's page and its
member, leaving and ending pages; the teacher's groups, the action learning set's page, and
its session, change and what-happened forms."""

from django.urls import reverse

from coachloop.coaching.models import CoachingGroup
from coachloop.people.models import User


def pages():
    lead = User.objects.get(email="lead@riverside.example.org")
    teacher = User.objects.get(email="teacher@riverside.example.org")
    group = CoachingGroup.objects.get(
        members__person=teacher,
        members__left_on__isnull=True,
        kind=CoachingGroup.Kind.ACTION_LEARNING_SET,
        finished_on__isnull=True,
    )
    slug = group.school.slug
    member = group.members.filter(left_on__isnull=True).order_by("pk").first()
    session = group.sessions.exclude(action="").order_by("-met_on", "-pk").first()
    return [
        (lead, reverse("coaching:lead_groups", args=[slug])),
        (lead, reverse("coaching:lead_group_new", args=[slug])),
        (lead, reverse("coaching:lead_group", args=[slug, group.pk])),
        (lead, reverse("coaching:lead_group_member_add", args=[slug, group.pk])),
        (lead, reverse("coaching:lead_group_member_remove", args=[slug, group.pk, member.pk])),
        (lead, reverse("coaching:lead_group_end", args=[slug, group.pk])),
        (teacher, reverse("coaching:my_groups")),
        (teacher, reverse("coaching:group", args=[group.pk])),
        (teacher, reverse("coaching:group_session_new", args=[group.pk])),
        (teacher, reverse("coaching:group_session_edit", args=[session.pk])),
        (teacher, reverse("coaching:group_action_report", args=[session.pk])),
    ]
