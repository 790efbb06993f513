"""Goals negotiated three ways: agreed once the teacher, the coach and the tutor each agree to
the goal as it stands; a change to the goal needs all three again."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coachloop.coaching.models import Goal
from coachloop.programmes.models import GoalAgreement
from coachloop.programmes.services.goals import programme_goal_agree, programme_goal_bring

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(programme):
    teacher = programme.enrolments[0].teacher
    return Goal.objects.create(
        trust=programme.trust,
        teacher=teacher,
        title="More pupils explain their reasoning aloud",
        pupils="Year 9, set 2",
        review_on=dt.date(2026, 6, 1),
        created_by=teacher,
        created_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),
    )


def bring(programme, goal):
    enrolment = programme.enrolments[0]
    return programme_goal_bring(
        viewer=programme.as_(enrolment.teacher), enrolment=enrolment, goal=goal
    )


def agree(programme, agreement, person):
    return programme_goal_agree(viewer=programme.as_(person), agreement=agreement)


def test_a_goal_is_agreed_once_all_three_agree(programme, goal):
    agreement = bring(programme, goal)
    assert agreement.teacher_agreed_at and not agreement.is_agreed
    agreement = agree(programme, agreement, programme.coach)
    assert not agreement.is_agreed
    agreement = agree(programme, agreement, programme.tutor)
    assert agreement.is_agreed


def test_a_change_to_the_goal_needs_all_three_again(programme, goal):
    agreement = bring(programme, goal)
    agree(programme, agreement, programme.coach)
    agreement = agree(programme, agreement, programme.tutor)
    Goal.objects.filter(pk=goal.pk).update(title="Every pupil explains", version=goal.version + 1)
    agreement = GoalAgreement.objects.get(pk=agreement.pk)
    assert not agreement.is_agreed
    agreement = agree(programme, agreement, programme.tutor)
    assert agreement.tutor_agreed_at and agreement.teacher_agreed_at is None
    agreement = agree(programme, agreement, programme.enrolments[0].teacher)
    agreement = agree(programme, agreement, programme.coach)
    assert agreement.is_agreed


def test_only_the_teacher_brings_their_own_goal_once(programme, goal, world):
    enrolment = programme.enrolments[0]
    with pytest.raises(ValidationError):
        programme_goal_bring(viewer=programme.as_(programme.coach), enrolment=enrolment, goal=goal)
    bring(programme, goal)
    with pytest.raises(ValidationError, match="already"):
        bring(programme, goal)


def test_only_the_three_partners_agree(programme, goal):
    agreement = bring(programme, goal)
    for person in (programme.other_tutor, programme.lead, programme.moderator):
        with pytest.raises(PermissionDenied):
            agree(programme, agreement, person)
