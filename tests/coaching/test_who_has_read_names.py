"""The teacher's "who has read my records" page names each kind of item that was read."""

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import Reflection
from coachloop.common.audit import audit_read
from coachloop.common.tenancy import scopes_disabled

pytestmark = pytest.mark.django_db


def test_a_reflection_read_under_a_share_is_named_as_one_the_teacher_shared(client, world):
    teacher, colleague = world.own.teacher, world.people["other_coach"]
    with scopes_disabled():
        reflection = Reflection.objects.create(
            trust=world.trust,
            teacher=teacher,
            written_on=timezone.localdate(),
            title="Cold calling",
            body="It went better than I feared.",
        )
        audit_read(
            viewer=colleague,
            target=reflection,
            subject=teacher,
            summary="read under share 1 (reflection), until 1 January 2027",
        )
    client.force_login(teacher)
    page = client.get(reverse("coaching:my_audit")).content.decode()
    assert "a reflection (which you shared with them)" in page
    assert colleague.full_name in page


def test_a_coach_reading_the_goals_shared_with_them_is_named_so(client, world):
    teacher = world.own.teacher
    with scopes_disabled():
        audit_read(
            viewer=world.own.coach,
            target=world.own.relationship,
            subject=teacher,
            summary="goals",
        )
    client.force_login(teacher)
    page = client.get(reverse("coaching:my_audit")).content.decode()
    assert "your goals shared with your coach" in page
