"""Fixtures and small builders for the coaching-team tests (coaches, coverage, QA visits).

Builders write rows directly, as a test harness may; the behaviour under test goes through
the services and pages. Call them inside ``scopes_disabled()`` (the ``unscoped`` fixture).
"""

import datetime as dt
import html

import pytest
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role, User
from coachloop.policy.models import SchoolModel
from coachloop.rollout.models import CoachTraining, CoverageTarget, QaVisit
from tests.factories import MembershipFactory, RelationshipFactory, UserFactory

TODAY = timezone.localdate()


def days(n):
    return TODAY + dt.timedelta(days=n)


def set_caseload_limit(school, limit):
    SchoolModel.objects.update_or_create(
        school=school, defaults={"trust": school.trust, "caseload_limit": limit}
    )


def member(school, role, *, user=None, started_on=None, finished_on=None, **user_fields):
    user = user or UserFactory(**user_fields)
    MembershipFactory(
        user=user,
        school=school,
        role=role,
        started_on=started_on or days(-365),
        finished_on=finished_on,
    )
    return user


def coach_teachers(school, coach, count):
    """Give a coach ``count`` new teachers in the school, each with a running relationship."""
    teachers = [member(school, Role.TEACHER) for _ in range(count)]
    for teacher in teachers:
        RelationshipFactory(school=school, coach=coach, teacher=teacher)
    return teachers


def training(school, coach, *, recorded_by, course="Instructional coaching: foundations", on=None):
    return CoachTraining.objects.create(
        trust=school.trust,
        coach=coach,
        course=course,
        completed_on=on or days(-30),
        delivered_by="The trust's coaching team",
        recorded_by=recorded_by,
    )


def qa_visit(school, coach, *, visited_by, on=None, point="Leave a longer pause."):
    return QaVisit.objects.create(
        trust=school.trust,
        school=school,
        coach=coach,
        visited_by=visited_by,
        visited_on=on or days(-3),
        went_well="You let the teacher name the step before offering one.",
        development_point=point,
    )


def target(school, *, set_by, coaches=3, percent=50, due_by=None):
    return CoverageTarget.objects.create(
        trust=school.trust,
        school=school,
        trained_coaches=coaches,
        coached_percent=percent,
        due_by=due_by or days(200),
        set_by=set_by,
    )


def text(response):
    """The page as a reader sees it: entities such as &#x27; turned back into characters."""
    return html.unescape(response.content.decode())


def count(model, **filters):
    with scopes_disabled():
        return model.objects.filter(**filters).count()


def lead_of(email):
    with scopes_disabled():
        return User.objects.get(email=email)


@pytest.fixture
def lead(world):
    return world.people["coaching_lead"]


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def school(world):
    return world.own.school


@pytest.fixture
def other_school_lead(world):
    """The coaching lead of school A2, in the same trust."""
    return lead_of("lead-a2@example.org")


@pytest.fixture
def other_trust_lead(world):
    """The coaching lead of school B1, in another trust."""
    return lead_of("lead-b1@example.org")
