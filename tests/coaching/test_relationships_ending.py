"""Ending coaching: the lead ends any kind in the browser (co-coaching ends both ways); the
former coach reads, not writes, until the day the school's coaching model sets, then nothing;
the school sets that period on its coaching model page."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import ActionStep, Relationship
from coachloop.coaching.services.relationships import co_coaching_start, relationship_close
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.people.queries import viewer_for
from coachloop.policy.models import SchoolModel
from tests.factories import MembershipFactory, UserFactory
from tests.rollout.test_model import GRID

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days(n):
    return TODAY + dt.timedelta(days=n)


def end_url(relationship):
    return reverse("coaching:relationship_end", args=[relationship.pk])


def read_period(world, days_after):
    with scopes_disabled():
        SchoolModel.objects.update_or_create(
            school=world.own.school,
            defaults={"trust": world.trust, "read_after_end_days": days_after},
        )


def stored(relationship):
    with scopes_disabled():
        return Relationship.objects.get(pk=relationship.pk)


def test_a_lead_ends_coaching_and_the_coach_may_read_for_the_schools_period(client, world):
    read_period(world, 10)
    client.force_login(world.people["coaching_lead"])
    page = client.get(end_url(world.own.relationship)).content.decode()
    assert "for 10 days" in page and "Teacher a1" in page
    response = client.post(end_url(world.own.relationship), {"finished_on": TODAY.isoformat()})
    assert response.status_code == 302
    ended = stored(world.own.relationship)
    assert ended.finished_on == TODAY and ended.coach_reads_until == days(10)
    with scopes_disabled():
        step = ActionStep.objects.get(pk=world.own.step.pk)
        assert AuditEvent.objects.filter(
            verb="relationship.ended", target_id=str(ended.pk)
        ).exists()
    assert step.outcome == ActionStep.Outcome.COACHING_ENDED and step.closed_on == TODAY
    message = client.get(response["Location"]).content.decode()
    assert "Coach a1 can read the record, not change it, until" in message


def test_with_no_days_to_read_after_the_end_the_pages_say_when_reading_stops(client, world):
    read_period(world, 0)
    client.force_login(world.people["coaching_lead"])
    end = client.get(end_url(world.own.relationship)).content.decode()
    assert "until the end of the day the coaching ends" in end and "0 days" not in end
    handover = client.get(
        reverse("coaching:relationship_handover", args=[world.own.relationship.pk])
    ).content.decode()
    assert "They can read it until the end of today" in handover and "0 days" not in handover


def test_without_a_saved_coaching_model_the_coach_reads_for_thirty_days(world):
    viewer = viewer_for(world.people["coaching_lead"])
    with trust_scope(viewer.trust):
        relationship_close(viewer=viewer, relationship=world.own.relationship)
    assert stored(world.own.relationship).coach_reads_until == days(30)


def test_ending_on_a_date_still_to_come_is_refused_and_nothing_changes(client, world):
    client.force_login(world.people["coaching_lead"])
    response = client.post(end_url(world.own.relationship), {"finished_on": days(1).isoformat()})
    assert response.status_code == 200
    assert "Coaching can only be ended today or on a past date." in response.content.decode()
    assert stored(world.own.relationship).finished_on is None


def test_only_a_coaching_lead_of_the_school_ends_coaching(world):
    for person in (world.own.coach, world.people["headteacher"]):
        viewer = viewer_for(person)
        with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
            relationship_close(viewer=viewer, relationship=world.own.relationship)
    assert stored(world.own.relationship).finished_on is None


def test_ending_co_coaching_ends_it_both_ways(client, world):
    with scopes_disabled():
        peer = UserFactory(full_name="Peer Teacher")
        MembershipFactory(user=peer, school=world.own.school, role=Role.TEACHER)
    viewer = viewer_for(world.people["coaching_lead"])
    with trust_scope(viewer.trust):
        one, other = co_coaching_start(
            viewer=viewer, school=world.own.school, teacher=world.own.teacher, peer=peer
        )
    client.force_login(world.people["coaching_lead"])
    page = client.get(end_url(other)).content.decode()
    assert "This ends the co-coaching both ways" in page
    response = client.post(end_url(other), {"finished_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert stored(one).finished_on == TODAY and stored(other).finished_on == TODAY
    assert stored(one).coach_reads_until == days(30)
    assert (
        "The co-coaching of Peer Teacher and Teacher a1 has ended."
        in client.get(response["Location"]).content.decode()
    )
    assert client.get(end_url(one)).status_code == 404  # already ended


def test_the_former_coach_reads_but_does_not_write_until_the_day_then_reads_nothing(client, world):
    read_period(world, 5)
    viewer = viewer_for(world.people["coaching_lead"])
    with trust_scope(viewer.trust):
        relationship_close(viewer=viewer, relationship=world.own.relationship)
    client.force_login(world.own.coach)
    record = reverse("coaching:coachee", args=[world.own.relationship.pk])
    page = client.get(record)
    assert page.status_code == 200 and "Record a drop-in" not in page.content.decode()
    assert (
        client.get(reverse("coaching:dropin_new", args=[world.own.relationship.pk])).status_code
        == 404
    )
    home = client.get(reverse("coaching:coach_home")).content.decode()
    assert "readable until" in home and "Teacher a1" in home
    # Five days on: the day has passed.
    with scopes_disabled():
        Relationship.objects.filter(pk=world.own.relationship.pk).update(
            finished_on=days(-6), coach_reads_until=days(-1)
        )
    assert client.get(record).status_code == 404
    assert (
        client.get(reverse("coaching:dropin_detail", args=[world.own.dropin.pk])).status_code == 404
    )
    assert "Teacher a1" not in client.get(reverse("coaching:coach_home")).content.decode()


def test_a_row_ended_before_the_day_was_kept_falls_back_to_the_sites_period(
    client, world, settings
):
    with scopes_disabled():
        Relationship.objects.filter(pk=world.own.relationship.pk).update(
            finished_on=days(-10), coach_reads_until=None
        )
    client.force_login(world.own.coach)
    record = reverse("coaching:coachee", args=[world.own.relationship.pk])
    settings.COACHLOOP_READ_AFTER_END_DAYS = 30
    assert client.get(record).status_code == 200
    settings.COACHLOOP_READ_AFTER_END_DAYS = 5
    assert client.get(record).status_code == 404


# -- the school's coaching model sets the period ---------------------------------------------


def test_the_coaching_model_page_sets_how_long_a_former_coach_may_read(client, world):
    client.force_login(world.people["coaching_lead"])
    url = reverse("rollout:model_edit", args=["a1"])
    assert (
        "Days a former coach may still read a teacher&#x27;s record"
        in client.get(url).content.decode()
    )
    response = client.post(url, {**GRID, "read_after_end_days": "14"})
    assert response.status_code == 302
    with scopes_disabled():
        assert SchoolModel.objects.get(school=world.own.school).read_after_end_days == 14
    viewer = viewer_for(world.people["coaching_lead"])
    with trust_scope(viewer.trust):
        relationship_close(viewer=viewer, relationship=world.own.relationship)
    assert stored(world.own.relationship).coach_reads_until == days(14)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "The number of days cannot be negative."),
        ("400", "Enter 365 days or fewer"),
        ("a month", "Enter a whole number of days, like 30."),
        ("", "Enter how many days a former coach may still read the record."),
    ],
)
def test_a_bad_reading_period_is_refused_and_nothing_saved(client, world, value, message):
    client.force_login(world.people["coaching_lead"])
    url = reverse("rollout:model_edit", args=["a1"])
    response = client.post(url, {**GRID, "read_after_end_days": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    with scopes_disabled():
        assert not SchoolModel.objects.filter(school=world.own.school).exists()
