"""Coaching data for the insights tests: a school with enough teachers to show figures."""

import datetime as dt

from coachloop.coaching.models import ActionStep
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.factories import (
    ActionStepFactory,
    DropInFactory,
    MembershipFactory,
    RelationshipFactory,
    UserFactory,
)


def coached_school(school, *, today, coached=8, uncoached=4, seen_within=2, framework_step):
    """``coached`` teachers each with a coach of the school (two coaches), seen ``seen_within``
    days before ``today``, each with an embedded step and a current one; plus ``uncoached``
    teachers with no coach."""
    with scopes_disabled():
        coaches = [
            MembershipFactory(school=school, role=Role.COACH, user=UserFactory()).user
            for _ in range(2)
        ]
        started = today - dt.timedelta(days=70)
        relationships = []
        for i in range(coached + uncoached):
            teacher = MembershipFactory(school=school, role=Role.TEACHER, user=UserFactory()).user
            if i >= coached:
                continue
            relationship = RelationshipFactory(
                school=school, coach=coaches[i % 2], teacher=teacher, started_on=started
            )
            relationships.append(relationship)
            ActionStepFactory(
                relationship=relationship,
                framework_step=framework_step,
                title=framework_step.title,
                set_on=today - dt.timedelta(days=40),
                closed_on=today - dt.timedelta(days=10),
                status=ActionStep.Status.EMBEDDED,
                outcome=ActionStep.Outcome.EMBEDDED,
            )
            ActionStepFactory(
                relationship=relationship,
                framework_step=framework_step,
                title=framework_step.title,
                set_on=today - dt.timedelta(days=10),
            )
            DropInFactory(
                relationship=relationship,
                visited_on=today - dt.timedelta(days=seen_within),
            )
    return relationships
