"""QA visits to coaching: recorded by the school's coaching lead, read by the coach visited and
the school's coaching leads, and by no one else, whatever their rank."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.people.queries import viewer_for
from coachloop.rollout.models import QaVisit
from coachloop.rollout.services import team as services
from tests.rollout import team_fixtures
from tests.rollout.team_fixtures import count, days, member, qa_visit, text

pytestmark = pytest.mark.django_db

lead, lead_client, school = team_fixtures.lead, team_fixtures.lead_client, team_fixtures.school
other_school_lead, other_trust_lead = (
    team_fixtures.other_school_lead,
    team_fixtures.other_trust_lead,
)

WENT_WELL = "You waited for the teacher to name the step themselves."
POINT = "Plan the rehearsal before the conversation, not during it."


def _visit_post(coach, /, **overrides):
    data = {
        "coach": coach.pk,
        "visited_on": days(-2).isoformat(),
        "went_well": WENT_WELL,
        "development_point": POINT,
    }
    data.update(overrides)
    return data


@pytest.fixture
def visit(world, school, lead):
    with scopes_disabled():
        return qa_visit(school, world.own.coach, visited_by=lead, point=POINT)


def _detail(visit):
    return reverse("rollout:team_qa_visit", args=[visit.pk])


# -- recording ----------------------------------------------------------------------------------


def test_a_lead_records_a_qa_visit_and_it_is_audited(lead_client, world, school, lead):
    url = reverse("rollout:team_qa_visit_new", args=[school.slug])
    response = lead_client.post(url, _visit_post(world.own.coach))
    with scopes_disabled():
        saved = QaVisit.objects.get()
        event = AuditEvent.objects.get(verb="qa_visit.recorded")
    assert response.status_code == 302
    assert response.url == _detail(saved)
    assert (saved.school, saved.coach, saved.visited_by) == (school, world.own.coach, lead)
    assert (saved.went_well, saved.development_point) == (WENT_WELL, POINT)
    assert (event.actor, event.subject, event.target_id) == (lead, world.own.coach, str(saved.pk))
    page = text(lead_client.get(response.url))
    assert "QA visit recorded. Coach a1 can read it now." in page
    assert WENT_WELL in page and POINT in page


def test_the_form_can_start_with_the_coach_chosen_from_the_overview(lead_client, world, school):
    url = reverse("rollout:team_qa_visit_new", args=[school.slug])
    page = text(lead_client.get(f"{url}?coach={world.own.coach.pk}"))
    assert f'<option value="{world.own.coach.pk}" selected>Coach a1</option>' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("visited_on", days(1).isoformat(), "The date of the visit cannot be in the future."),
        ("visited_on", "", "Enter the date of the visit."),
        ("went_well", "", "Say what went well."),
        ("went_well", "   ", "Say what went well."),
        ("development_point", "", "Give the coach one point to develop."),
        ("development_point", "x" * 2001, "at most 2000 characters"),
        ("coach", "", "Choose the coach you visited."),
    ],
)
def test_a_bad_visit_gets_a_clear_message_and_saves_nothing(
    lead_client, world, school, field, value, message
):
    url = reverse("rollout:team_qa_visit_new", args=[school.slug])
    response = lead_client.post(url, _visit_post(world.own.coach, **{field: value}))
    assert response.status_code == 200
    assert message in text(response)
    assert count(QaVisit) == 0
    assert count(AuditEvent, verb="qa_visit.recorded") == 0


def test_only_coaches_of_the_school_can_be_visited(lead_client, world, school):
    url = reverse("rollout:team_qa_visit_new", args=[school.slug])
    for person in (world.other_school.coach, world.other_trust_records.coach, world.own.teacher):
        response = lead_client.post(url, _visit_post(person))
        assert "Choose a coach from the list." in text(response)
    assert count(QaVisit) == 0


def test_a_lead_who_also_coaches_cannot_record_a_visit_to_their_own_coaching(
    client, world, school, lead
):
    with scopes_disabled():
        member(school, Role.COACH, user=lead)
    client.force_login(lead)
    url = reverse("rollout:team_qa_visit_new", args=[school.slug])
    assert f'value="{lead.pk}"' not in text(client.get(url))
    viewer = viewer_for(lead)
    with trust_scope(viewer.trust), pytest.raises(ValidationError) as raised:
        services.qa_visit_record(
            viewer=viewer,
            school=school,
            coach=lead,
            visited_on=days(0),
            went_well=WENT_WELL,
            development_point=POINT,
        )
    assert "not your own" in str(raised.value)
    assert count(QaVisit) == 0


def test_only_a_lead_of_the_school_may_record_a_visit_through_the_service(world, school):
    viewer = viewer_for(world.people["headteacher"])
    with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
        services.qa_visit_record(
            viewer=viewer,
            school=school,
            coach=world.own.coach,
            visited_on=days(0),
            went_well=WENT_WELL,
            development_point=POINT,
        )
    assert count(QaVisit) == 0


# -- who may read a visit -----------------------------------------------------------------------


def test_a_visit_is_visible_to_its_coach_and_the_schools_lead(client, world, visit, lead):
    for person in (world.own.coach, lead):
        client.force_login(person)
        response = client.get(_detail(visit))
        assert response.status_code == 200
        assert POINT in text(response)


@pytest.mark.parametrize(
    "persona", ["teacher", "other_coach", "headteacher", "trust_lead", "administrator"]
)
def test_a_visit_is_not_found_for_anyone_else_in_the_school_or_trust(client, world, visit, persona):
    client.force_login(world.people[persona])
    response = client.get(_detail(visit))
    assert response.status_code == 404
    assert POINT not in text(response)


def test_a_visit_is_not_found_for_a_lead_of_another_school_or_trust(
    client, visit, other_school_lead, other_trust_lead
):
    for outsider in (other_school_lead, other_trust_lead):
        client.force_login(outsider)
        assert client.get(_detail(visit)).status_code == 404


def test_a_visit_id_that_does_not_exist_is_not_found(lead_client):
    assert lead_client.get(reverse("rollout:team_qa_visit", args=[999999])).status_code == 404


def test_your_qa_visits_lists_only_your_own(client, world, school, lead, visit):
    with scopes_disabled():
        qa_visit(school, world.people["other_coach"], visited_by=lead, point="Someone else's point")
    client.force_login(world.own.coach)
    page = text(client.get(reverse("rollout:team_my_qa_visits")))
    assert POINT in page
    assert "Someone else's point" not in page
    assert _detail(visit) in page


def test_a_coach_with_no_visits_is_told_so(client, world):
    client.force_login(world.people["other_coach"])
    page = text(client.get(reverse("rollout:team_my_qa_visits")))
    assert "No QA visits to your coaching yet." in page


@pytest.mark.parametrize(
    "persona", ["teacher", "coaching_lead", "headteacher", "trust_lead", "administrator"]
)
def test_your_qa_visits_is_forbidden_to_people_who_do_not_coach(client, world, persona):
    client.force_login(world.people[persona])
    assert client.get(reverse("rollout:team_my_qa_visits")).status_code == 403


def test_the_schools_list_shows_its_visits_to_the_lead_and_is_forbidden_to_others(
    client, world, school, lead, visit
):
    with scopes_disabled():
        a2 = world.other_school.school
        qa_visit(a2, world.other_school.coach, visited_by=lead, point="A point at another school")
    url = reverse("rollout:team_qa_visits", args=[school.slug])
    client.force_login(lead)
    page = text(client.get(url))
    assert POINT in page and "Coach a1" in page
    assert "A point at another school" not in page
    for persona in ("teacher", "coach", "other_coach", "headteacher", "trust_lead"):
        client.force_login(world.people[persona])
        assert client.get(url).status_code == 403, persona
