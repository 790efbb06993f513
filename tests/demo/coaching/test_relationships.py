"""The demo's kinds of coaching and handover: mentoring with induction dates, specialist
coaching on a strand, a co-coaching pair with a drop-in and a step each way, and a handover
the teacher has agreed to, all in the demo's first school, with a page for each."""

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import ActionStep, DropIn, Relationship
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.demo.build import DEFAULT_SEED, build_demo
from coachloop.demo.coaching.relationships import demo_relationships
from coachloop.demo.deletion import delete_demo
from coachloop.people.models import School, User

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
Kind = Relationship.Kind


def with_relationships(trust):
    """The demo's rows for this area: added here until the demo build runs them itself."""
    with trust_scope(trust):
        if not Relationship.objects.filter(kind=Kind.CO_COACHING).exists():
            demo_relationships(trust, TODAY, random.Random(DEFAULT_SEED))
    return trust


@pytest.fixture
def demo(db):
    with scopes_disabled():
        trust = build_demo(today=TODAY)
    return with_relationships(trust)


def test_the_demo_has_every_kind_of_coaching_in_its_first_school(demo):
    with trust_scope(demo):
        school = School.objects.order_by("pk").first()
        running = Relationship.objects.filter(school=school, finished_on__isnull=True)
        mentoring = running.get(kind=Kind.MENTORING)
        specialist = running.get(kind=Kind.SPECIALIST)
        pair = list(running.filter(kind=Kind.CO_COACHING))
        assert mentoring.coach.email == "coach@riverside.example.org"
        assert mentoring.induction_starts_on < mentoring.induction_ends_on
        assert mentoring.cadence_days == 14
        assert mentoring.dropins.filter(is_draft=False).count() == 3
        assert specialist.strand is not None or specialist.subject
        assert specialist.action_steps.filter(closed_on__isnull=True).exists()
        assert len(pair) == 2 and {pair[0].peer_id, pair[1].peer_id} == {p.pk for p in pair}
        for one in pair:
            assert one.dropins.filter(is_draft=False).count() == 2
            assert one.action_steps.get().proposed_by == one.coach


def test_the_demo_has_a_handover_the_teacher_agreed_to(demo):
    with trust_scope(demo):
        new = Relationship.objects.get(handed_over_from__isnull=False)
        old = new.handed_over_from
        assert new.coach.email == "coach@riverside.example.org"
        assert new.earlier_content_consented_at is not None
        assert old.finished_on == TODAY and old.coach_reads_until > TODAY
        step = ActionStep.objects.get(relationship=new)
        assert step.continues.relationship == old
        assert step.continues.outcome == ActionStep.Outcome.HANDED_OVER
        assert DropIn.objects.filter(relationship=old, is_draft=False).exists()


def test_every_page_of_this_area_has_content_in_the_demo(client, demo):
    with scopes_disabled():
        coach = User.objects.get(email="coach@riverside.example.org")
        lead = User.objects.get(email="lead@riverside.example.org")
        new = Relationship.objects.get(handed_over_from__isnull=False)
        peer_row = Relationship.objects.filter(kind=Kind.CO_COACHING).first()
        mentoring = Relationship.objects.get(kind=Kind.MENTORING)
    client.force_login(coach)
    home = client.get(reverse("coaching:coach_home")).content.decode()
    assert "Mentoring" in home and "Induction from" in home
    earlier = client.get(reverse("coaching:earlier_record", args=[new.pk])).content.decode()
    assert "agreed that you may read the notes" in earlier
    client.force_login(new.teacher)
    mine = client.get(reverse("coaching:teacher_home")).content.decode()
    assert "can read your earlier coaching notes" in mine
    client.force_login(peer_row.coach)
    mine = client.get(reverse("coaching:teacher_home")).content.decode()
    assert "My co-coaching" in mine
    client.force_login(lead)
    lead_page = client.get(reverse("coaching:lead_home", args=[new.school.slug])).content.decode()
    for text in ("Mentoring", "Specialist coaching", "Co-coaching", "(handed over)"):
        assert text in lead_page
    for url in (
        reverse("coaching:relationship_end", args=[mentoring.pk]),
        reverse("coaching:relationship_handover", args=[mentoring.pk]),
    ):
        assert client.get(url).status_code == 200


def test_the_demo_with_handovers_and_co_coaching_can_still_be_deleted(demo):
    with scopes_disabled():
        assert delete_demo()
        assert not Relationship.objects.exists()
