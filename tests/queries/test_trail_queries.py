"""The teacher's "who has read my records" runs the same queries on every page whatever the
size of their history: a short one, and one ten times longer with more readers each day."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import SessionReview
from coachloop.coaching.principles import CODES
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from tests.access.programme_records import programme_for, submission_for
from tests.coaching.test_sharing_pages import grant, reflection
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.queries, pytest.mark.django_db]

MAX_QUERIES = 12
URL = reverse("coaching:my_audit")


def _review(records):
    return SessionReview.objects.create(
        trust=records.school.trust,
        coach=records.coach,
        school=records.school,
        relationship=records.relationship,
        held_on=timezone.localdate(),
        ratings=dict.fromkeys(CODES, "partly"),
        shared_with_qa=True,
        created_at=timezone.now(),
    )


def _kinds_of_read(world):
    """(reader, target type, target id, summary): every kind of reader and thing read."""
    records = world.own
    found = programme_for(records)
    submission = submission_for(records)
    shared = reflection(records.teacher, world.trust)
    share = grant(records.teacher, shared, world.people["other_coach"])
    with scopes_disabled():
        review = _review(records)
    return [
        (records.coach, "coaching.dropin", records.dropin.pk, "drop-in"),
        (records.coach, "coaching.relationship", records.relationship.pk, "coaching record"),
        (found.tutor, "programmes.submission", submission.pk, "final version, for marking"),
        (found.tutor, "programmes.enrolment", found.enrolment.pk, "portfolio for MA1 (2 items)"),
        (found.moderator, "programmes.submission", submission.pk, "final version, for moderation"),
        (world.people["coaching_lead"], "coaching.sessionreview", review.pk, "session review"),
        (share.grantee, "coaching.reflection", shared.pk, f"read under share {share.pk}"),
        (world.people["headteacher"], "coaching.relationship", records.relationship.pk, "record"),
    ]


def _history(world, kinds, *, days, strangers, reads_each):
    """Each day, every kind of read ``reads_each`` times, and a read by each of ``strangers``."""
    teacher = world.own.teacher
    with scopes_disabled():
        others = []
        for n in range(strangers):
            person = UserFactory(full_name=f"Stranger {n}")
            MembershipFactory(user=person, school=world.own.school, role="coach")
            others.append((person, "coaching.relationship", world.own.relationship.pk, "record"))
        events, times = [], []
        now = timezone.now()
        for day in range(days):
            for reader, target_type, target_id, summary in kinds + others:
                for n in range(reads_each):
                    events.append(
                        AuditEvent(
                            trust=world.trust,
                            actor=reader,
                            subject=teacher,
                            verb="read",
                            target_type=target_type,
                            target_id=str(target_id),
                            summary=summary,
                        )
                    )
                    times.append(now - dt.timedelta(days=day, minutes=n))
        made = AuditEvent.objects.bulk_create(events)
        for event, when in zip(made, times, strict=True):
            event.created_at = when
        AuditEvent.objects.bulk_update(made, ["created_at"], batch_size=500)
        return AuditEvent.objects.filter(subject=teacher).count()


def _count(client, page):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"page": page})
    assert response.status_code == 200
    return len(queries)


def test_every_page_of_the_trail_runs_the_same_queries_however_long_the_history(client, world):
    kinds = _kinds_of_read(world)
    client.force_login(world.own.teacher)
    small_size = _history(world, kinds, days=8, strangers=1, reads_each=1)
    small = [_count(client, page) for page in (1, 2)]
    large_size = _history(world, kinds, days=80, strangers=4, reads_each=3)
    assert large_size >= 10 * small_size
    # Every page here holds every kind of reader and read; a deep one costs what the first does.
    large = [_count(client, page) for page in (1, 2, 20)]
    assert len(set(small + large)) == 1, (small, large)
    assert large[0] <= MAX_QUERIES, large
