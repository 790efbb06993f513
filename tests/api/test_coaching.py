"""The API's coaching resources read and write through the pages' own queries and services:
a lead's activity carries no notes, a coach's read of a drop-in is recorded as the page's is,
a drop-in posted again with its uuid is recorded once, and a personal token of someone in two
trusts reads only the token's trust's record."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator

from coachloop.coaching.models import DropIn
from coachloop.coaching.portability.schema import record_schema
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.api.tokens import bearer, make_token
from tests.factories import DropInFactory, MembershipFactory, RelationshipFactory
from tests.world import SECRET_NOTE, build_world

pytestmark = pytest.mark.django_db

TRUST_B_ONLY = "Strength-seen-only-in-trust-B-51c2"


def _token(world, persona, trust=None):
    secret, _token = make_token(world.people[persona], trust or world.trust)
    return bearer(secret)


def _events_since(pk):
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(pk__gt=pk)
            .order_by("pk")
            .values("actor_id", "subject_id", "verb", "target_type", "target_id", "summary")
        )


def _last_event():
    with scopes_disabled():
        return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _dropin_count():
    with scopes_disabled():
        return DropIn.objects.count()


def test_a_lead_s_activity_names_each_field_and_carries_no_note(client):
    world = build_world()
    url = reverse("api:v1:school_activity", args=[world.own.school.slug])
    response = client.get(url, headers=_token(world, "coaching_lead"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert set(row) == {
        "relationship_id",
        "teacher",
        "coach",
        "kind",
        "handed_over",
        "step_title",
        "step_status",
        "last_visit",
        "rhythm",
        "days_since_visit",
        "bucket",
    }
    assert row["teacher"] == "Teacher a1"
    assert row["step_title"] == world.own.step.title
    assert SECRET_NOTE not in response.content.decode()
    assert "noticed" not in response.content.decode()


def test_a_lead_s_visits_are_dates_people_and_steps_only(client):
    world = build_world()
    url = reverse("api:v1:school_visits", args=[world.own.school.slug])
    response = client.get(url, headers=_token(world, "coaching_lead"))
    assert response.status_code == 200
    (visit,) = response.json()["results"]  # the draft is not a visit
    assert set(visit) == {"visited_on", "teacher", "coach", "step_looked_for"}
    assert visit["visited_on"] == world.own.dropin.visited_on.isoformat()
    assert SECRET_NOTE not in response.content.decode()


def test_an_activity_integration_reads_its_own_schools_only(client, world, integration_secret):
    secret = integration_secret(["read_activity"], schools=[world.own.school])
    own = reverse("api:v1:school_activity", args=[world.own.school.slug])
    other = reverse("api:v1:school_activity", args=[world.other_school.school.slug])
    assert client.get(own, headers=bearer(secret)).status_code == 200
    assert client.get(other, headers=bearer(secret)).status_code == 404
    aggregates = integration_secret(["read_aggregates"])
    assert client.get(own, headers=bearer(aggregates)).status_code == 403


def test_reading_a_drop_in_records_the_same_read_as_its_page(client):
    world = build_world()
    coach = world.people["coach"]
    pk = world.own.dropin.pk
    client.force_login(coach)
    before = _last_event()
    assert client.get(reverse("coaching:dropin_detail", args=[pk])).status_code == 200
    on_the_page = _events_since(before)
    client.logout()
    before = _last_event()
    response = client.get(reverse("api:v1:dropin", args=[pk]), headers=_token(world, "coach"))
    assert response.status_code == 200
    assert response.json()["noticed"].startswith(SECRET_NOTE)
    read_through_the_api = _events_since(before)
    assert len(on_the_page) == 1
    assert on_the_page[0]["verb"] == "read"
    assert on_the_page[0]["subject_id"] == world.own.teacher.pk
    assert read_through_the_api == on_the_page


def test_a_teacher_reading_their_own_drop_in_is_no_read_by_someone_else(client):
    world = build_world()
    before = _last_event()
    response = client.get(
        reverse("api:v1:dropin", args=[world.own.dropin.pk]), headers=_token(world, "teacher")
    )
    assert response.status_code == 200
    assert _events_since(before) == []


def _dropin(**fields):
    return {
        "uuid": str(uuid.uuid4()),
        "visited_on": timezone.localdate().isoformat(),
        "class_or_group": "9X2",
        "minutes": 15,
        "strengths": "One clear signal, and the class was silent in three seconds.",
        "noticed": "Two pupils started before the signal.",
        "followup": "emerging",
        **fields,
    }


def _post(client, world, relationship, body, persona="coach"):
    return client.post(
        reverse("api:v1:dropins", args=[relationship.pk]),
        body,
        content_type="application/json",
        headers=_token(world, persona),
    )


def test_a_drop_in_sent_again_with_its_uuid_is_recorded_once(client):
    world = build_world()
    body = _dropin()
    first = _post(client, world, world.own.relationship, body)
    assert first.status_code == 201
    count = _dropin_count()
    again = _post(client, world, world.own.relationship, body)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert _dropin_count() == count
    with scopes_disabled():
        recorded = DropIn.objects.get(pk=first.json()["id"])
    assert str(recorded.uuid) == body["uuid"]
    assert not recorded.is_draft
    assert recorded.followup_step_id == world.own.step.pk


def test_a_new_drop_in_is_a_201_each_time(client):
    world = build_world()
    first = _post(client, world, world.own.relationship, _dropin())
    second = _post(client, world, world.own.relationship, _dropin())
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": "ten"}, "minutes"),
        ({"strengths": ""}, "strengths"),
        ({"class_or_group": "x" * 81}, "class_or_group"),
        ({"visited_on": "2026-02-30"}, "visited_on"),
        ({"followup": ""}, "followup"),
        ({"uuid": "not-a-uuid"}, "uuid"),
    ],
)
def test_a_drop_in_with_a_mistake_is_a_400_that_changes_nothing(client, fields, problem):
    world = build_world()
    count, last = _dropin_count(), _last_event()
    response = _post(client, world, world.own.relationship, _dropin(**fields))
    assert response.status_code == 400
    assert problem in response.json()["fields"]
    assert _dropin_count() == count
    assert _events_since(last) == []


def test_a_visit_in_the_future_is_refused_with_the_page_s_words(client):
    world = build_world()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    count = _dropin_count()
    response = _post(client, world, world.own.relationship, _dropin(visited_on=tomorrow))
    assert response.status_code == 400
    assert response.json()["fields"]["visited_on"] == [
        "The date of the visit cannot be in the future."
    ]
    assert _dropin_count() == count


def test_another_school_s_or_trust_s_coaching_is_a_404_for_a_coach(client):
    world = build_world()
    for records in (world.other_school, world.other_trust_records):
        count = _dropin_count()
        response = _post(client, world, records.relationship, _dropin())
        assert response.status_code == 404
        assert _dropin_count() == count


def test_a_coach_s_teachers_come_with_no_notes(client):
    world = build_world()
    response = client.get(reverse("api:v1:coaching"), headers=_token(world, "coach"))
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["relationship_id"] == world.own.relationship.pk
    assert row["school"] == world.own.school.slug
    assert row["has_draft"] is True
    assert SECRET_NOTE not in response.content.decode()


def test_my_record_is_a_valid_teacher_record_and_is_audited_as_an_export(client):
    world = build_world()
    before = _last_event()
    response = client.get(reverse("api:v1:my_record"), headers=_token(world, "teacher"))
    assert response.status_code == 200
    document = response.json()
    problems = list(Draft202012Validator(record_schema()).iter_errors(document))
    assert not problems, [problem.message for problem in problems]
    assert document["teacher"]["name"] == "Teacher a1"
    assert _events_since(before) == [
        {
            "actor_id": world.own.teacher.pk,
            "subject_id": world.own.teacher.pk,
            "verb": "teacher_record.exported",
            "target_type": "people.user",
            "target_id": str(world.own.teacher.pk),
            "summary": "JSON, through the API",
        }
    ]


def test_a_token_for_one_trust_never_reads_the_record_in_another(client):
    world = build_world()
    teacher = world.own.teacher
    b = world.other_trust_records
    with scopes_disabled():
        MembershipFactory(user=teacher, school=b.school, trust=b.school.trust, role=Role.TEACHER)
        elsewhere = RelationshipFactory(school=b.school, coach=b.coach, teacher=teacher)
        DropInFactory(relationship=elsewhere, strengths=TRUST_B_ONLY)
    in_a = client.get(reverse("api:v1:my_record"), headers=_token(world, "teacher"))
    in_b = client.get(
        reverse("api:v1:my_record"), headers=_token(world, "teacher", trust=world.other_trust)
    )
    assert in_a.status_code == in_b.status_code == 200
    assert in_a.json()["trust"] == "Trust A"
    assert {r["school"] for r in in_a.json()["relationships"]} == {"School A1"}
    assert TRUST_B_ONLY not in in_a.content.decode()
    assert in_b.json()["trust"] == "Trust B"
    assert {r["school"] for r in in_b.json()["relationships"]} == {"School B1"}
    assert TRUST_B_ONLY in in_b.content.decode()
    assert SECRET_NOTE + " a1" not in in_b.content.decode()
