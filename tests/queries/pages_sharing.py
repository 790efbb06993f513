"""Sharing, for the demo teacher and the colleague they share with (demo rows from
``demo.coaching.sharing``): the share form for a reflection, what the teacher has shared,
what is shared with the colleague, and the reflection read under the share (audited)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import ShareGrant
from coachloop.people.models import User


def pages():
    teacher = User.objects.get(email="teacher@riverside.example.org")
    active = (
        ShareGrant.objects.filter(
            Q(revoked_at__isnull=True),
            owner=teacher,
            expires_on__gte=timezone.localdate(),
        )
        .select_related("grantee")
        .order_by("pk")
        .first()
    )
    return [
        (teacher, reverse("coaching:share_new", args=[active.item_kind, active.item_id])),
        (teacher, reverse("coaching:my_shares")),
        (active.grantee, reverse("coaching:shared_with_me")),
        (active.grantee, reverse("coaching:shared_item", args=[active.pk])),
    ]
