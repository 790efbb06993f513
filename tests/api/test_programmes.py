"""The API's programmes resources: a programme's lead reads the marks released on an
assignment (each teacher's current attempt, never work not yet released), each read recorded
in the teacher's trail; its tutor and moderator are refused, as is every integration."""

import pytest
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.models import Submission
from tests.access.programme_records import programme_for, submission_for
from tests.api.tokens import bearer, make_token
from tests.world import build_world

pytestmark = pytest.mark.django_db

RELEASED = Submission.Status.RELEASED


def _token(world, persona):
    secret, _token = make_token(world.people[persona], world.trust)
    return bearer(secret)


def _board(world):
    """School A1's teacher: a first attempt released and failed, then a second released;
    school A2's teacher: marked and ready, not released yet."""
    found = programme_for(world.own)
    programme_for(world.other_school)
    first = submission_for(world.own, status=RELEASED)
    with scopes_disabled():  # the first attempt set aside while the second is made
        Submission.objects.filter(pk=first.pk).update(is_current=False, attempt=9, agreed_mark=40)
    current = submission_for(world.own, status=RELEASED)
    ready = submission_for(world.other_school, status=Submission.Status.READY)
    with scopes_disabled():
        Submission.objects.filter(pk=current.pk).update(attempt=2, agreed_mark=64)
        Submission.objects.filter(pk=first.pk).update(attempt=1)
        Submission.objects.filter(pk=ready.pk).update(agreed_mark=71)
    return found.assignment, first, current, ready


def _marks_url(assignment):
    return reverse("api:v1:released_marks", args=[assignment.pk])


def test_the_lead_reads_each_teacher_s_current_released_mark_only(client):
    world = build_world()
    assignment, _first, current, _ready = _board(world)
    response = client.get(_marks_url(assignment), headers=_token(world, "programme_lead"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["submission_id"] == current.pk
    assert (row["teacher"], row["attempt"], row["final_mark"]) == ("Teacher a1", 2, 64)
    assert row["band"] == "Pass"


def test_work_not_yet_released_is_never_listed(client):
    world = build_world()
    assignment, _first, _current, ready = _board(world)
    response = client.get(_marks_url(assignment), headers=_token(world, "programme_lead"))
    assert ready.pk not in [row["submission_id"] for row in response.json()["results"]]
    assert "Teacher a2" not in response.content.decode()


def test_each_released_mark_read_is_in_its_teacher_s_trail(client):
    world = build_world()
    assignment, _first, current, ready = _board(world)
    client.get(_marks_url(assignment), headers=_token(world, "programme_lead"))
    with scopes_disabled():
        reads = list(
            AuditEvent.objects.filter(verb="read", summary="released marks, through the API")
            .values_list("subject_id", "target_id", "actor_id")
            .order_by("pk")
        )
    lead = world.people["programme_lead"].pk
    assert reads == [(world.own.teacher.pk, str(current.pk), lead)]
    client.force_login(world.own.teacher)
    trail = client.get(reverse("coaching:my_audit")).content.decode()
    assert "read by the programme" in trail
    assert "through the API" in trail


@pytest.mark.parametrize(("persona", "code"), [("tutor", 403), ("moderator", 403), ("coach", 404)])
def test_only_the_programme_s_lead_reads_released_marks(client, persona, code):
    world = build_world()
    assignment, *_rest = _board(world)
    response = client.get(_marks_url(assignment), headers=_token(world, persona))
    assert response.status_code == code
    assert "final_mark" not in response.content.decode()


def test_another_trust_s_assignment_is_a_404_for_the_lead(client):
    world = build_world()
    elsewhere = programme_for(world.other_trust_records)
    submission_for(world.other_trust_records, status=RELEASED)
    response = client.get(_marks_url(elsewhere.assignment), headers=_token(world, "programme_lead"))
    assert response.status_code == 404


def test_no_integration_reads_released_marks_not_even_with_read_marks(
    client, world, integration_secret
):
    assignment, *_rest = _board(world)
    secret = integration_secret(["read_marks", "read_aggregates"])
    assert client.get(_marks_url(assignment), headers=bearer(secret)).status_code == 403
    assert client.get(reverse("api:v1:programmes"), headers=bearer(secret)).status_code == 403


def test_the_lead_s_programmes_list_their_assignments(client):
    world = build_world()
    found = programme_for(world.own)
    response = client.get(reverse("api:v1:programmes"), headers=_token(world, "programme_lead"))
    assert response.status_code == 200
    (programme,) = response.json()["results"]
    assert programme["id"] == found.programme.pk
    (module,) = programme["modules"]
    assert [a["id"] for a in module["assignments"]] == [found.assignment.pk]


def test_a_tutor_leads_no_programme(client):
    world = build_world()
    programme_for(world.own)
    response = client.get(reverse("api:v1:programmes"), headers=_token(world, "tutor"))
    assert response.status_code == 200
    assert response.json()["results"] == []
