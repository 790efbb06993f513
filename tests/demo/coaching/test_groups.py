"""The demo's group coaching: an action learning set with the demo teacher in it, and a dyad
with the demo coach, each with sessions, so every group page has something to show."""

import datetime as dt

import pytest
from django.urls import reverse

from coachloop.coaching.models import CoachingGroup, GroupSession
from coachloop.common.tenancy import trust_scope
from coachloop.demo.build import build_demo
from coachloop.people.models import Membership, Role, User

TODAY = dt.date(2025, 11, 20)  # a Thursday in the autumn term, as in the other demo tests
pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return build_demo(today=TODAY)  # the demo includes its groups (demo_groups)


def test_the_demo_has_an_action_learning_set_with_the_demo_teacher_and_reported_actions(trust):
    with trust_scope(trust):
        teacher = User.objects.get(email="teacher@riverside.example.org")
        group = CoachingGroup.objects.get(kind=CoachingGroup.Kind.ACTION_LEARNING_SET)
        members = list(group.members.filter(left_on__isnull=True))
        sessions = list(group.sessions.order_by("met_on"))
        lead_school = Membership.objects.get(
            user__email="lead@riverside.example.org", role=Role.COACHING_LEAD
        ).school
    assert group.school == lead_school
    assert 4 <= len(members) <= 5
    assert teacher.pk in {m.person_id for m in members}
    assert group.facilitator_id in {m.person_id for m in members}
    assert len(sessions) >= 4
    assert sessions[0].met_on >= TODAY - dt.timedelta(weeks=11)
    assert sessions[-1].met_on >= TODAY - dt.timedelta(weeks=3)
    assert len({s.presenter_id for s in sessions}) >= 4
    assert all(s.problem and s.action for s in sessions)
    for earlier, later in zip(sessions, sessions[1:], strict=False):
        assert earlier.action_report and earlier.reported_on == later.met_on
    assert sessions[-1].reported_on is None  # the action the next meeting will hear about


def test_the_demo_has_a_dyad_with_the_demo_coach_and_a_couple_of_sessions(trust):
    with trust_scope(trust):
        dyad = CoachingGroup.objects.get(kind=CoachingGroup.Kind.DYAD)
        people = set(dyad.members.values_list("person__email", flat=True))
        count = GroupSession.objects.filter(group=dyad).count()
    assert len(people) == 2
    assert "coach@riverside.example.org" in people
    assert count == 2


def test_the_demo_teacher_and_lead_find_content_on_the_group_pages(trust, client):
    with trust_scope(trust):
        teacher = User.objects.get(email="teacher@riverside.example.org")
        lead = User.objects.get(email="lead@riverside.example.org")
        group = CoachingGroup.objects.get(kind=CoachingGroup.Kind.ACTION_LEARNING_SET)
        slug = group.school.slug
    client.force_login(teacher)
    assert group.name in client.get(reverse("coaching:my_groups")).text
    page = client.get(reverse("coaching:group", args=[group.pk]))
    assert "Actions to hear about" in page.text
    assert "What happened" in page.text
    client.force_login(lead)
    listing = client.get(reverse("coaching:lead_groups", args=[slug]))
    assert group.name in listing.text
    assert "Coaching practice pair" in listing.text
