"""The API's people resources: the trust's schools, its people and their roles for
administrators, and roles started and ended as the admin site does, audited, within what the
token may do."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.api.models import Scope
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from tests.api.tokens import bearer, integration_token, token_for

pytestmark = pytest.mark.django_db


def _post(client, url, body, secret):
    return client.post(
        url, json.dumps(body), content_type="application/json", headers=bearer(secret)
    )


def _roles(world, **filters):
    with scopes_disabled():
        return Membership.objects.filter(trust=world.trust, **filters)


def test_anyone_with_a_token_lists_their_trust_s_open_schools_only(client, world):
    response = client.get(reverse("api:v1:schools"), headers=bearer(token_for(world, "teacher")))
    assert response.status_code == 200
    assert [s["slug"] for s in response.json()["results"]] == ["a1", "a2"]


def test_an_administrator_lists_the_trust_s_people_with_their_roles_here_only(client, world):
    response = client.get(
        reverse("api:v1:people"), headers=bearer(token_for(world, "administrator"))
    )
    assert response.status_code == 200
    people = {p["email"]: p for p in response.json()["results"]}
    assert "lead-b1@example.org" not in people
    assert "teacher-b1@example.org" not in people
    head = people["head@example.org"]
    assert [(r["role"], r["school"]) for r in head["roles"]] == [("headteacher", "a1")]
    assert response.json()["count"] == len(people)


def test_someone_who_has_left_is_listed_with_their_roles_but_not_their_email(client, world):
    teacher = world.own.teacher
    with scopes_disabled():
        Membership.objects.filter(user=teacher, trust=world.trust).update(
            finished_on=timezone.localdate() - dt.timedelta(days=1)
        )
    secret = token_for(world, "administrator")
    person = client.get(reverse("api:v1:person", kwargs={"pk": teacher.pk}), headers=bearer(secret))
    assert person.json()["email"] is None
    assert person.json()["roles"]
    coach = world.own.coach
    still_here = client.get(
        reverse("api:v1:person", kwargs={"pk": coach.pk}), headers=bearer(secret)
    )
    assert still_here.json()["email"] == coach.email


def test_another_trust_s_person_is_not_found(client, world):
    secret = token_for(world, "administrator")
    theirs = world.other_trust_records.teacher
    response = client.get(
        reverse("api:v1:person", kwargs={"pk": theirs.pk}), headers=bearer(secret)
    )
    assert response.status_code == 404
    ours = world.own.teacher
    response = client.get(reverse("api:v1:person", kwargs={"pk": ours.pk}), headers=bearer(secret))
    assert response.json()["name"] == ours.full_name


@pytest.mark.parametrize("persona", ["headteacher", "trust_lead", "coaching_lead", "teacher"])
def test_nobody_but_an_administrator_reads_people_or_roles(client, world, persona):
    secret = token_for(world, persona)
    for name in ("api:v1:people", "api:v1:roles"):
        response = client.get(reverse(name), headers=bearer(secret))
        assert response.status_code == 403, name


def test_an_integration_reads_people_only_with_read_people(client, world):
    allowed = integration_token(world, [Scope.READ_PEOPLE])
    refused = integration_token(world, [Scope.READ_AGGREGATES])
    assert client.get(reverse("api:v1:people"), headers=bearer(allowed)).status_code == 200
    assert client.get(reverse("api:v1:people"), headers=bearer(refused)).status_code == 403


def test_roles_are_filtered_by_school_and_by_whether_they_are_current(client, world):
    secret = token_for(world, "administrator")
    with scopes_disabled():
        Membership.objects.filter(user=world.own.coach, role=Role.COACH).update(
            finished_on=timezone.localdate() - dt.timedelta(days=1)
        )
    url = reverse("api:v1:roles")
    in_a2 = client.get(url, {"school": "a2"}, headers=bearer(secret)).json()["results"]
    assert {r["school"] for r in in_a2} == {"a2"}
    finished = client.get(url, {"current": "false"}, headers=bearer(secret)).json()["results"]
    assert [(r["person"], r["role"]) for r in finished] == [(world.own.coach.pk, "coach")]
    current = client.get(url, {"current": "true"}, headers=bearer(secret)).json()["results"]
    assert world.own.coach.pk not in {r["person"] for r in current if r["role"] == "coach"}


@pytest.mark.parametrize(
    ("query", "field"), [({"school": "b1"}, "school"), ({"current": "maybe"}, "current")]
)
def test_a_bad_filter_is_a_400_that_says_what_is_wrong(client, world, query, field):
    response = client.get(
        reverse("api:v1:roles"), query, headers=bearer(token_for(world, "administrator"))
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_an_administrator_starts_a_role_audited_with_them_as_the_actor(client, world):
    admin = world.people["administrator"]
    teacher = world.own.teacher
    response = _post(
        client,
        reverse("api:v1:roles"),
        {"person": teacher.pk, "role": "coach", "school": "a2"},
        token_for(world, "administrator"),
    )
    assert response.status_code == 201, response.content
    assert response.json()["school"] == "a2"
    assert _roles(world, user=teacher, role=Role.COACH, school__slug="a2").exists()
    with scopes_disabled():
        event = AuditEvent.objects.get(verb="membership.started")
    assert event.actor == admin and event.subject == teacher


@pytest.mark.parametrize("school", ["", None])
def test_a_trust_wide_role_is_started_with_the_school_left_empty(school, client, world):
    teacher = world.own.teacher
    response = _post(
        client,
        reverse("api:v1:roles"),
        {"person": teacher.pk, "role": "trust_lead", "school": school},
        token_for(world, "administrator"),
    )
    assert response.status_code == 201, response.content
    assert response.json()["school"] is None
    assert _roles(world, user=teacher, role=Role.TRUST_LEAD, school__isnull=True).exists()


def test_an_integration_may_start_a_teacher_s_role_but_not_a_headteacher_s(client, world):
    secret = integration_token(world, [Scope.WRITE_ROLES])
    teacher = world.own.teacher
    url = reverse("api:v1:roles")
    refused = _post(
        client, url, {"person": teacher.pk, "role": "headteacher", "school": "a2"}, secret
    )
    assert refused.status_code == 403
    assert "teacher and coach roles only" in refused.json()["detail"]
    assert not _roles(world, user=teacher, role=Role.HEADTEACHER).exists()
    started = _post(client, url, {"person": teacher.pk, "role": "teacher", "school": "a2"}, secret)
    assert started.status_code == 201


def test_an_integration_without_write_roles_starts_nothing(client, world):
    secret = integration_token(world, [Scope.READ_PEOPLE])
    body = {"person": world.own.teacher.pk, "role": "coach", "school": "a2"}
    assert _post(client, reverse("api:v1:roles"), body, secret).status_code == 403
    assert not _roles(world, user=world.own.teacher, role=Role.COACH).exists()


MISSING = object()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person": MISSING}, "person"),
        ({"person": "x"}, "person"),
        ({"person": 0}, "person"),
        ({"role": "captain"}, "role"),
        ({"school": "b1"}, "school"),
        ({"started_on": "soon"}, "started_on"),
    ],
)
def test_a_role_sent_with_mistakes_is_a_400_and_nothing_changes(client, world, change, field):
    body = {"person": world.own.teacher.pk, "role": "coach", "school": "a2", **change}
    body = {key: value for key, value in body.items() if value is not MISSING}
    before = _roles(world).count()
    response = _post(client, reverse("api:v1:roles"), body, token_for(world, "administrator"))
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert _roles(world).count() == before


def test_another_trust_s_person_cannot_be_given_a_role(client, world):
    theirs = world.other_trust_records.teacher
    body = {"person": theirs.pk, "role": "coach", "school": "a1"}
    response = _post(client, reverse("api:v1:roles"), body, token_for(world, "administrator"))
    assert response.status_code == 400
    assert response.json()["fields"]["person"] == ["Nobody with this id has a role in your trust."]


def test_a_role_needing_a_school_without_one_is_a_400(client, world):
    body = {"person": world.own.teacher.pk, "role": "coach"}
    response = _post(client, reverse("api:v1:roles"), body, token_for(world, "administrator"))
    assert response.status_code == 400


def test_ending_a_role_is_audited_and_an_integration_may_end_a_coach_s_only(client, world):
    coach_role = _roles(world, user=world.own.coach, role=Role.COACH).get()
    head_role = _roles(world, user=world.people["headteacher"]).get()
    secret = integration_token(world, [Scope.WRITE_ROLES])
    refused = _post(client, reverse("api:v1:role_end", kwargs={"pk": head_role.pk}), {}, secret)
    assert refused.status_code == 403
    ended = _post(client, reverse("api:v1:role_end", kwargs={"pk": coach_role.pk}), {}, secret)
    assert ended.status_code == 200
    assert ended.json()["finished_on"] == timezone.localdate().isoformat()
    with scopes_disabled():
        head_role.refresh_from_db()
        assert head_role.finished_on is None
        assert AuditEvent.objects.filter(verb="membership.finished").count() == 1


def test_a_role_cannot_end_twice_or_before_it_started(client, world):
    role = _roles(world, user=world.own.coach, role=Role.COACH).get()
    secret = token_for(world, "administrator")
    url = reverse("api:v1:role_end", kwargs={"pk": role.pk})
    early = (role.started_on - dt.timedelta(days=1)).isoformat()
    assert _post(client, url, {"finished_on": early}, secret).status_code == 400
    assert _post(client, url, {}, secret).status_code == 200
    again = _post(client, url, {}, secret)
    assert again.status_code == 400
    assert "already finished" in json.dumps(again.json())


def test_another_trust_s_role_is_not_found(client, world):
    with scopes_disabled():
        theirs = Membership.objects.filter(user=world.other_trust_records.coach).get()
    url = reverse("api:v1:role_end", kwargs={"pk": theirs.pk})
    assert _post(client, url, {}, token_for(world, "administrator")).status_code == 404


@pytest.mark.parametrize("query", [{"page_size": "many"}, {"page_size": "0"}, {"page": ""}])
def test_a_page_asked_for_with_a_mistake_is_a_400_naming_it(client, world, query):
    response = client.get(
        reverse("api:v1:schools"), query, headers=bearer(token_for(world, "coach"))
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == set(query)
