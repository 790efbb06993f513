"""The demo's learning agreements: the main school's coaching and every group has one, and the
demo teacher has a change from their coach waiting for them."""

import datetime as dt
import random

import pytest

from coachloop.coaching.models import (
    AgreementConsent,
    AgreementVersion,
    CoachingGroup,
    GroupMember,
    Relationship,
)
from coachloop.coaching.queries import agreements as queries
from coachloop.common.tenancy import trust_scope
from coachloop.demo.build import build_demo
from coachloop.demo.coaching.agreements import demo_agreements
from coachloop.people.models import Membership, Role, User
from coachloop.people.queries import viewer_for

TODAY = dt.date(2025, 11, 20)
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    """The demo, with an action learning set in the main school (one member joined late),
    then the agreements demo (which adds nothing twice, if the build already ran it)."""
    trust = build_demo(today=TODAY)
    with trust_scope(trust):
        teacher = User.objects.get(email="teacher@riverside.example.org")
        school = Membership.objects.filter(user=teacher).first().school
        staff = list(
            User.objects.filter(memberships__school=school, memberships__role=Role.TEACHER)
            .exclude(pk=teacher.pk)
            .distinct()
            .order_by("pk")[:3]
        )
        group = CoachingGroup.objects.create(
            trust=trust,
            school=school,
            kind=CoachingGroup.Kind.ACTION_LEARNING_SET,
            name="Year 7 transition set",
            started_on=TODAY - dt.timedelta(days=40),
            created_by=staff[0],
        )
        for person, joined in ((teacher, 40), (staff[0], 40), (staff[1], 40), (staff[2], 10)):
            GroupMember.objects.create(
                trust=trust,
                group=group,
                person=person,
                joined_on=TODAY - dt.timedelta(days=joined),
            )
        demo_agreements(trust, TODAY, random.Random(7))
    return trust


def test_the_demo_teacher_has_version_1_in_force_and_version_2_waiting_for_them(demo):
    with trust_scope(demo):
        teacher = User.objects.get(email="teacher@riverside.example.org")
        coach = User.objects.get(email="coach@riverside.example.org")
        relationship = Relationship.objects.get(teacher=teacher, coach=coach)
        versions = list(relationship.agreement_versions.order_by("number"))
        assert [v.number for v in versions] == [1, 2]
        assert versions[0].in_force_from is not None
        assert set(versions[0].consents.values_list("person", flat=True)) == {
            teacher.pk,
            coach.pk,
        }
        assert versions[1].in_force_from is None
        assert versions[1].proposed_by == coach
        assert list(versions[1].consents.values_list("person", flat=True)) == [coach.pk]
        viewer = viewer_for(teacher)
        agreement = queries.relationship_agreement(viewer, relationship.pk)
        assert agreement.in_force.number == 1 and agreement.needs_my_agreement
        assert [row.title for row in queries.agreements_waiting_for(viewer)] == [coach.full_name]


def test_every_relationship_in_the_main_school_has_an_agreement_in_force(demo):
    with trust_scope(demo):
        teacher = User.objects.get(email="teacher@riverside.example.org")
        school_id = Membership.objects.filter(user=teacher).first().school_id
        relationships = Relationship.objects.filter(school_id=school_id, coach__isnull=False)
        owners = {min(r.pk, r.peer_id) if r.peer_id else r.pk for r in relationships}
        assert len(owners) > 3
        in_force = set(
            AgreementVersion.objects.filter(
                relationship_id__in=owners, in_force_from__isnull=False
            ).values_list("relationship_id", flat=True)
        )
        assert in_force == owners
        for version in AgreementVersion.objects.filter(
            relationship__isnull=False, in_force_from__isnull=False
        ):
            agreed = list(version.consents.values_list("agreed_at", flat=True))
            assert max(agreed) == version.in_force_from
            assert version.proposed_at <= version.in_force_from
        # Some pairs changed theirs part-way, and the wording is not all the same.
        assert AgreementVersion.objects.filter(number=2, in_force_from__isnull=False).exists()
        assert AgreementVersion.objects.values("meeting_frequency").distinct().count() > 1
        assert not AgreementVersion.objects.filter(
            relationship__school_id__in=[
                s for s in relationships.values_list("school_id", flat=True) if s != school_id
            ]
        ).exists()


def test_every_group_has_an_agreement_agreed_by_its_members(demo):
    with trust_scope(demo):
        for group in CoachingGroup.objects.all():
            version = group.agreement_versions.get(number=1)
            assert version.in_force_from is not None
            members = set(
                GroupMember.objects.filter(group=group).values_list("person_id", flat=True)
            )
            assert (
                set(
                    AgreementConsent.objects.filter(version=version).values_list(
                        "person_id", flat=True
                    )
                )
                == members
            )


def test_running_the_agreements_demo_again_adds_nothing(demo):
    with trust_scope(demo):
        before = AgreementVersion.objects.count()
        demo_agreements(demo, TODAY, random.Random(7))
        assert AgreementVersion.objects.count() == before
