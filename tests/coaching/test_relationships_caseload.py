"""A coach's caseload counts the teachers they coach, not the peer they co-coach with."""

import pytest

from coachloop.coaching.models import Relationship
from coachloop.coaching.queries.relationships import caseload
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.factories import MembershipFactory, RelationshipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_co_coaching_is_not_counted_in_a_caseload_but_mentoring_is(world):
    school, coach = world.own.school, world.own.coach
    with scopes_disabled():
        MembershipFactory(user=coach, school=school, role=Role.TEACHER)
        peer = UserFactory(full_name="Priya Peer")
        MembershipFactory(user=peer, school=school, role=Role.TEACHER)
        mentee = UserFactory(full_name="Mo Mentee")
        MembershipFactory(user=mentee, school=school, role=Role.TEACHER)
        before = caseload(school=school, coach=coach)
        RelationshipFactory(
            school=school, coach=coach, teacher=peer, kind=Relationship.Kind.CO_COACHING
        )
        assert caseload(school=school, coach=coach) == before
        RelationshipFactory(
            school=school,
            coach=coach,
            teacher=mentee,
            kind=Relationship.Kind.MENTORING,
            cadence_days=14,
        )
        assert caseload(school=school, coach=coach) == before + 1
