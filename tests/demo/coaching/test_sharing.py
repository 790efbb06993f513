"""The demo's shares: the demo teacher shared a reflection and two drop-ins with colleagues;
one share runs now and has been read, one they stopped, one ran out."""

import datetime as dt

import pytest

from coachloop.coaching.models import DropIn, Reflection, Relationship, ShareGrant
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import trust_scope
from coachloop.common.trail import reads_of
from coachloop.demo.build import build_demo
from coachloop.people.models import Membership, Role, User
from coachloop.people.queries import viewer_for

TODAY = dt.date(2025, 11, 20)  # a Thursday in the autumn term, as in the coaching demo tests
pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return build_demo(today=TODAY)  # the build runs demo_sharing


def test_the_demo_teacher_has_a_running_a_stopped_and_an_ended_share(trust):
    teacher = User.objects.get(email="teacher@riverside.example.org")
    with trust_scope(trust):
        grants = list(ShareGrant.objects.filter(owner=teacher).order_by("created_at"))
        coaches = set(Relationship.objects.filter(teacher=teacher).values_list("coach", flat=True))
        school_id = Relationship.objects.filter(teacher=teacher).first().school_id
        colleagues = set(
            Membership.objects.filter(school_id=school_id, role=Role.TEACHER).values_list(
                "user", flat=True
            )
        )
        running = [g for g in grants if g.revoked_at is None and g.expires_on >= TODAY]
        stopped = [g for g in grants if g.revoked_at is not None]
        ended = [g for g in grants if g.revoked_at is None and g.expires_on < TODAY]
        assert len(running) == len(stopped) == len(ended) == 1
        assert running[0].item_kind == "reflection"
        reflection = Reflection.objects.get(pk=running[0].item_id)
        assert reflection.teacher == teacher
        assert reflection.written_on <= running[0].created_at.date()
        for grant in stopped + ended:
            assert grant.item_kind == "dropin"
            dropin = DropIn.objects.get(pk=grant.item_id)
            assert dropin.relationship.teacher == teacher and not dropin.is_draft
            assert dropin.visited_on <= grant.created_at.date()  # shared after the visit
        assert stopped[0].created_at < stopped[0].revoked_at
    for grant in grants:
        assert grant.grantee_id in colleagues - coaches - {teacher.pk}
        assert grant.created_at.date() <= grant.expires_on


def test_the_colleague_has_read_the_running_share_and_the_teacher_can_see_it(trust):
    teacher = User.objects.get(email="teacher@riverside.example.org")
    with trust_scope(trust):
        running = ShareGrant.objects.get(
            owner=teacher, revoked_at__isnull=True, item_kind="reflection"
        )
        reads = AuditEvent.objects.filter(verb="read", actor=running.grantee, subject=teacher)
        assert reads.count() == 2
        assert all(f"share {running.pk}" in event.summary for event in reads)
        shown = reads_of(viewer_for(teacher, trust_id=trust.pk)).groups
    shared = f"you shared “{running.item_title}” with them"
    assert any(
        group.reader == running.grantee.full_name
        and shared in group.relations
        and "your coach" not in group.relations
        for group in shown
    )
