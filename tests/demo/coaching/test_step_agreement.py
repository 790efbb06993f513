"""The demo's steps read as agreed, by the teacher or in conversation, the afternoon they were
set; two of the demo coach's teachers have not yet agreed their newest step."""

import datetime as dt

import pytest

from coachloop.coaching.models import ActionStep
from coachloop.common.tenancy import trust_scope
from coachloop.demo.accounts import key_email
from coachloop.demo.build import build_demo

TODAY = dt.date(2025, 11, 20)
pytestmark = pytest.mark.django_db


def test_demo_steps_are_agreed_when_set_but_two_wait_for_the_teacher():
    trust = build_demo(today=TODAY)
    coach = key_email(trust.slug, "coach")
    teacher = key_email(trust.slug, "teacher")
    with trust_scope(trust):
        steps = list(ActionStep.objects.select_related("relationship__coach"))
        waiting = [s for s in steps if s.agreed_on is None]
        assert len(waiting) == 2
        for step in waiting:
            assert step.is_proposed and step.status_label == "Proposed"
            assert step.relationship.coach.email == coach
            assert step.relationship.teacher.email != teacher
            assert not step.rehearsals.exists() and not step.followups.exists()
    agreed = [s for s in steps if s.agreed_on is not None]
    assert all(s.agreed_on.date() >= s.set_on for s in agreed)
    agreed_by = {s.agreed_by_id for s in agreed if not s.continues_id}
    assert any(s.agreed_by_id == s.relationship.teacher_id for s in agreed)
    assert any(s.agreed_by_id == s.relationship.coach_id for s in agreed)
    assert None not in agreed_by
