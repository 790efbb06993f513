"""Coaches and coverage, for a school's coaching lead: the overview of coaches, assigning a
coach to a teacher (with the caseload warning), and coach training records."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coachloop.coaching.models import Relationship
from coachloop.coaching.services import relationships as coaching_services
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.people.queries import viewer_for
from coachloop.rollout.models import CoachTraining
from coachloop.rollout.queries import team as queries
from coachloop.rollout.services import team as services
from tests.factories import RelationshipFactory
from tests.rollout import team_fixtures
from tests.rollout.team_fixtures import (
    coach_teachers,
    count,
    days,
    member,
    qa_visit,
    set_caseload_limit,
    text,
    training,
)

lead, lead_client, school = team_fixtures.lead, team_fixtures.lead_client, team_fixtures.school
other_school_lead, other_trust_lead = (
    team_fixtures.other_school_lead,
    team_fixtures.other_trust_lead,
)

pytestmark = pytest.mark.django_db


def _url(name, school, *args):
    return reverse(f"rollout:{name}", args=[school.slug, *args])


def _assign_post(teacher, coach, /, **overrides):
    data = {"teacher": teacher.pk, "coach": coach.pk, "started_on": days(0).isoformat()}
    data.update(overrides)
    return data


def _open_pairs(coach):
    return count(Relationship, coach=coach, finished_on__isnull=True)


# -- the overview -------------------------------------------------------------------------------


def test_the_overview_shows_each_coachs_caseload_against_the_schools_limit(
    lead_client, world, school
):
    with scopes_disabled():
        set_caseload_limit(school, 4)
        coach_teachers(school, world.own.coach, 2)  # plus the one from the world: 3
    page = text(lead_client.get(_url("team_coaches", school)))
    assert "The school's limit is 4 teachers per coach." in page
    assert "Coach a1" in page and "3 of 4" in page
    assert "Another Coach" in page and "0 of 4" in page
    assert "Coach a2" not in page  # a coach at the other school


def test_a_coach_at_the_limit_and_one_past_it_are_flagged(lead_client, world, school):
    with scopes_disabled():
        set_caseload_limit(school, 1)
        coach_teachers(school, world.people["other_coach"], 1)
        coach_teachers(school, world.own.coach, 1)
    page = text(lead_client.get(_url("team_coaches", school)))
    assert "At the limit" in page
    assert "Over the limit" in page
    assert "2 coaches are at or over the limit." in page


def test_the_overview_shows_training_and_the_last_qa_visit(lead_client, world, school, lead):
    coach = world.own.coach
    with scopes_disabled():
        training(school, coach, recorded_by=lead, course="Coaching foundations", on=days(-90))
        training(school, coach, recorded_by=lead, course="Deliberate practice", on=days(-10))
        qa_visit(school, coach, visited_by=lead, on=days(-40))
        qa_visit(school, coach, visited_by=lead, on=days(-8))
    page = text(lead_client.get(_url("team_coaches", school)))
    assert "Deliberate practice" in page  # the latest course first
    assert "and 1 more course" in page
    assert days(-8).strftime("%-d %b %Y") in page
    assert days(-40).strftime("%-d %b %Y") not in page
    assert "Not trained yet" in page  # the other coach


def test_the_coaches_are_shown_a_page_at_a_time_by_name_and_the_warning_counts_them_all(
    lead_client, world, school, monkeypatch
):
    monkeypatch.setattr(queries, "COACHES_PER_PAGE", 10)
    with scopes_disabled():
        set_caseload_limit(school, 1)  # Coach a1 has the world's teacher: at the limit
        extra = [member(school, Role.COACH, full_name=f"Zed Coach {n:02}") for n in range(1, 12)]
        coach_teachers(school, extra[-1], 2)  # Zed Coach 11, on page 2, over the limit
    first = text(lead_client.get(_url("team_coaches", school)))
    assert "1 to 10 of 13, by name" in first
    assert "Another Coach" in first and "Zed Coach 08" in first
    assert "Zed Coach 09" not in first
    assert "2 coaches are at or over the limit." in first  # the school's, not the page's
    assert 'href="?page=2"' in first and 'aria-label="Pages of coaches"' in first
    second = text(lead_client.get(_url("team_coaches", school) + "?page=2"))
    assert "Zed Coach 09" in second and "Zed Coach 11" in second and "Over the limit" in second
    assert "Zed Coach 08" not in second
    assert "2 coaches are at or over the limit." in second
    assert "Another Coach" in text(lead_client.get(_url("team_coaches", school) + "?page=x"))


def test_a_school_with_a_page_of_coaches_or_fewer_shows_no_page_links(lead_client, school):
    page = text(lead_client.get(_url("team_coaches", school)))
    assert "govuk-pagination" not in page
    assert " by name" not in page


def test_a_coach_whose_role_has_ended_is_not_listed(lead_client, school):
    with scopes_disabled():
        member(
            school,
            Role.COACH,
            full_name="Former Coach",
            started_on=days(-300),
            finished_on=days(-1),
        )
    page = text(lead_client.get(_url("team_coaches", school)))
    assert "Former Coach" not in page


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("team_coaches", []),
        ("team_assign", []),
        ("team_phases", []),
        ("team_targets", []),
        ("team_qa_visits", []),
        ("team_qa_visit_new", []),
        ("team_training", ["coach"]),
    ],
)
def test_a_lead_of_another_school_or_trust_gets_a_404_and_others_a_403(
    client, world, school, other_school_lead, other_trust_lead, name, extra
):
    args = [world.own.coach.pk] if extra else []
    url = _url(name, school, *args)
    for outsider in (other_school_lead, other_trust_lead):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    for persona in ("teacher", "coach", "headteacher", "trust_lead", "administrator"):
        client.force_login(world.people[persona])
        assert client.get(url).status_code == 403, persona


# -- assigning a coach --------------------------------------------------------------------------


def test_a_lead_assigns_a_coach_and_the_coaching_starts(lead_client, world, school, lead):
    teacher = None
    with scopes_disabled():
        teacher = member(school, Role.TEACHER, full_name="New Teacher")
    coach = world.people["other_coach"]
    response = lead_client.post(_url("team_assign", school), _assign_post(teacher, coach))
    assert response.status_code == 302
    assert response.url == _url("team_coaches", school)
    with scopes_disabled():
        relationship = Relationship.objects.get(coach=coach, teacher=teacher)
        assert relationship.school == school
        assert relationship.started_on == days(0)
        assert AuditEvent.objects.filter(
            verb="relationship.started", actor=lead, target_id=str(relationship.pk)
        ).exists()
    assert "Another Coach now coaches New Teacher." in text(lead_client.get(response.url))


def test_assigning_past_the_caseload_limit_warns_and_saves_nothing_until_confirmed(
    lead_client, world, school, lead
):
    coach = world.own.coach  # already coaches one teacher
    with scopes_disabled():
        set_caseload_limit(school, 1)
        teacher = member(school, Role.TEACHER, full_name="One Too Many")
    url = _url("team_assign", school)

    response = lead_client.post(url, _assign_post(teacher, coach))
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Coach a1 already coaches 1 teacher at School A1, and the school's limit is 1" in page
    assert 'name="assign_anyway"' in page
    assert _open_pairs(coach) == 1

    response = lead_client.post(url, _assign_post(teacher, coach, assign_anyway="on"))
    assert response.status_code == 302
    assert _open_pairs(coach) == 2
    with scopes_disabled():
        event = AuditEvent.objects.get(verb="relationship.started_over_caseload")
    assert event.actor == lead and event.subject == coach
    assert event.summary == "2 teachers, limit 1"


def test_a_coach_already_past_the_limit_still_needs_confirming(lead_client, world, school):
    coach = world.own.coach
    with scopes_disabled():
        set_caseload_limit(school, 1)
        coach_teachers(school, coach, 2)  # three now, the limit is one
        teacher = member(school, Role.TEACHER)
    response = lead_client.post(_url("team_assign", school), _assign_post(teacher, coach))
    assert "already coaches 3 teachers" in text(response)
    assert _open_pairs(coach) == 3


def test_a_coach_below_the_limit_is_assigned_without_being_asked(lead_client, world, school):
    with scopes_disabled():
        set_caseload_limit(school, 2)
        teacher = member(school, Role.TEACHER)
    response = lead_client.post(_url("team_assign", school), _assign_post(teacher, world.own.coach))
    assert response.status_code == 302
    assert _open_pairs(world.own.coach) == 2
    assert count(AuditEvent, verb="relationship.started_over_caseload") == 0


def test_the_assign_form_does_not_ask_to_confirm_until_a_coach_is_at_the_limit(lead_client, school):
    page = text(lead_client.get(_url("team_assign", school)))
    assert 'name="assign_anyway"' not in page
    assert "Coach a1 (coaches 1 teacher, limit 6)" in page


def test_an_open_pair_cannot_be_assigned_twice(lead_client, world, school):
    response = lead_client.post(
        _url("team_assign", school), _assign_post(world.own.teacher, world.own.coach)
    )
    assert response.status_code == 200
    assert "This coach already coaches this teacher. End that first." in text(response)
    assert _open_pairs(world.own.coach) == 1


def test_a_coach_cannot_be_assigned_to_coach_themselves(lead_client, world, school):
    coach = world.own.coach
    with scopes_disabled():
        member(school, Role.TEACHER, user=coach)  # coaches teach too
    response = lead_client.post(_url("team_assign", school), _assign_post(coach, coach))
    assert response.status_code == 200
    assert "A coach cannot coach themselves." in text(response)
    assert count(Relationship, teacher=coach) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("teacher", "", "Choose a teacher."),
        ("coach", "", "Choose a coach."),
        ("started_on", "", "Enter the date the coaching starts."),
        ("started_on", days(1).isoformat(), "Coaching can start today or on a date in the past."),
        ("started_on", "not a date", "Enter a valid date."),
        ("coach", "not-a-number", "Choose a coach from the list."),
    ],
)
def test_bad_assignment_input_gets_a_clear_message_and_saves_nothing(
    lead_client, world, school, field, value, message
):
    with scopes_disabled():
        teacher = member(school, Role.TEACHER)
        before = Relationship.objects.count()
    data = _assign_post(teacher, world.people["other_coach"], **{field: value})
    response = lead_client.post(_url("team_assign", school), data)
    assert response.status_code == 200
    assert message in text(response)
    assert count(Relationship) == before


def test_coaching_cannot_start_before_the_coach_and_teacher_held_their_roles(
    lead_client, world, school
):
    with scopes_disabled():
        teacher = member(school, Role.TEACHER, started_on=days(-30))
    data = _assign_post(teacher, world.people["other_coach"], started_on=days(-400).isoformat())
    response = lead_client.post(_url("team_assign", school), data)
    page = text(response)
    assert "Another Coach is not a coach at School A1 on that date." in page
    assert "is not a teacher at School A1 on that date." in page
    assert count(Relationship, teacher=teacher) == 0


def test_people_of_another_school_or_without_the_role_are_not_valid_choices(
    lead_client, world, school
):
    url = _url("team_assign", school)
    with scopes_disabled():
        before = Relationship.objects.count()
    cases = [
        ({"teacher": world.other_school.teacher.pk}, "Choose a teacher from the list."),
        ({"teacher": world.other_trust_records.teacher.pk}, "Choose a teacher from the list."),
        ({"teacher": world.people["headteacher"].pk}, "Choose a teacher from the list."),
        ({"coach": world.other_school.coach.pk}, "Choose a coach from the list."),
        ({"coach": world.people["coaching_lead"].pk}, "Choose a coach from the list."),
    ]
    with scopes_disabled():
        teacher = member(school, Role.TEACHER)
    for overrides, message in cases:
        data = _assign_post(teacher, world.people["other_coach"], **overrides)
        response = lead_client.post(url, data)
        assert message in text(response), overrides
    assert count(Relationship) == before


def test_only_a_lead_of_the_school_may_assign_through_the_service(world, school):
    viewer = viewer_for(world.people["headteacher"])
    with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
        coaching_services.coach_assign(
            viewer=viewer,
            school=school,
            coach=world.people["other_coach"],
            teacher=world.own.teacher,
        )


def test_a_pair_started_elsewhere_a_moment_ago_is_a_clear_error_not_a_crash(world, school, lead):
    """Two leads assigning the same pair at once: the second meets the database's rule."""
    viewer = viewer_for(lead)
    with trust_scope(viewer.trust):
        with (
            mock.patch.object(coaching_services, "relationship_check"),
            mock.patch(
                "coachloop.coaching.services.relationships.relationship_check",
            ),
            pytest.raises(ValidationError) as raised,
        ):
            coaching_services.coach_assign(
                viewer=viewer, school=school, coach=world.own.coach, teacher=world.own.teacher
            )
        assert "already coaches this teacher" in str(raised.value)
        assert Relationship.objects.filter(coach=world.own.coach).count() == 1


# -- training -----------------------------------------------------------------------------------


def _training_post(**overrides):
    data = {
        "course": "Instructional coaching: foundations",
        "completed_on": days(-14).isoformat(),
        "delivered_by": "The trust's coaching team",
    }
    data.update(overrides)
    return data


def test_a_lead_records_a_coachs_training_and_it_is_listed(lead_client, world, school, lead):
    url = _url("team_training", school, world.own.coach.pk)
    response = lead_client.post(url, _training_post())
    assert response.status_code == 302
    with scopes_disabled():
        record = CoachTraining.objects.get(coach=world.own.coach)
        assert AuditEvent.objects.filter(
            verb="coach_training.recorded", subject=world.own.coach, target_id=str(record.pk)
        ).exists()
    assert record.recorded_by == lead
    page = text(lead_client.get(url))
    assert "Instructional coaching: foundations" in page
    assert "The trust's coaching team" in page
    assert days(-14).strftime("%-d %b %Y") in page


def test_training_lists_only_that_coachs_records(lead_client, world, school, lead):
    with scopes_disabled():
        training(school, world.people["other_coach"], recorded_by=lead, course="Someone else's")
    page = text(lead_client.get(_url("team_training", school, world.own.coach.pk)))
    assert "Someone else" not in page
    assert "No training recorded yet." in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("completed_on", days(1).isoformat(), "cannot be in the future"),
        ("completed_on", "", "Enter the date the course was completed."),
        ("course", "", "Enter the name of the course."),
        ("course", "   ", "Enter the name of the course."),
        ("course", "x" * 201, "at most 200 characters"),
        ("delivered_by", "", "Say who ran the course."),
    ],
)
def test_bad_training_input_gets_a_clear_message_and_saves_nothing(
    lead_client, world, school, field, value, message
):
    url = _url("team_training", school, world.own.coach.pk)
    response = lead_client.post(url, _training_post(**{field: value}))
    assert response.status_code == 200
    assert message in text(response)
    assert count(CoachTraining) == 0


def test_the_training_page_of_someone_not_coaching_in_the_school_is_not_found(
    lead_client, world, school
):
    for person in (world.other_school.coach, world.own.teacher, world.other_trust_records.coach):
        url = _url("team_training", school, person.pk)
        assert lead_client.get(url).status_code == 404
        assert lead_client.post(url, _training_post()).status_code == 404
    assert lead_client.get(_url("team_training", school, 999999)).status_code == 404
    assert count(CoachTraining) == 0


def test_the_service_refuses_training_for_someone_who_is_not_a_coach_there(world, school, lead):
    viewer = viewer_for(lead)
    with trust_scope(viewer.trust), pytest.raises(ValidationError) as raised:
        services.coach_training_record(
            viewer=viewer,
            school=school,
            coach=world.own.teacher,
            course="Coaching",
            completed_on=days(-1),
            delivered_by="Trust",
        )
    assert "is not a coach at School A1" in str(raised.value)
    assert count(CoachTraining) == 0


def test_a_relationship_at_another_school_does_not_count_towards_the_caseload(
    lead_client, world, school
):
    coach = world.own.coach
    with scopes_disabled():
        set_caseload_limit(school, 2)
        a2 = world.other_school.school
        member(a2, Role.COACH, user=coach)
        RelationshipFactory(school=a2, coach=coach, teacher=member(a2, Role.TEACHER))
    page = text(lead_client.get(_url("team_coaches", school)))
    assert "1 of 2" in page


def test_a_school_whose_leaders_do_not_coach_cannot_give_a_leader_teachers(
    lead_client, world, school
):
    from coachloop.policy.models import SchoolModel

    with scopes_disabled():
        SchoolModel.objects.create(trust=school.trust, school=school, leaders_coach=False)
        teacher = member(school, Role.TEACHER, full_name="New Teacher")
        head_who_coaches = member(school, Role.HEADTEACHER, full_name="Head Coach")
        member(school, Role.COACH, user=head_who_coaches)
    # The head is not offered as a coach, and the service refuses them all the same.
    response = lead_client.post(
        _url("team_assign", school), _assign_post(teacher, head_who_coaches)
    )
    assert response.status_code == 200
    assert "Choose a coach from the list." in text(response)
    assert _open_pairs(head_who_coaches) == 0
    with scopes_disabled():
        viewer = viewer_for(world.people["coaching_lead"])
    with trust_scope(school.trust), pytest.raises(ValidationError, match="leaders not coaching"):
        coaching_services.coach_assign(
            viewer=viewer, school=school, coach=head_who_coaches, teacher=teacher
        )


def test_a_school_whose_leaders_are_not_coached_cannot_give_a_leader_a_coach(
    lead_client, world, school
):
    from coachloop.policy.models import SchoolModel

    with scopes_disabled():
        SchoolModel.objects.create(trust=school.trust, school=school, leaders_are_coached=False)
        leader = member(school, Role.TEACHER, full_name="Deputy Head")
        leader.memberships.filter(role=Role.TEACHER).update(staff_group="leader")
    # The leader is not offered as a teacher, and the service refuses them all the same.
    response = lead_client.post(
        _url("team_assign", school), _assign_post(leader, world.people["other_coach"])
    )
    assert "Choose a teacher from the list." in text(response)
    assert _open_pairs(world.people["other_coach"]) == 0
    with scopes_disabled():
        viewer = viewer_for(world.people["coaching_lead"])
    with trust_scope(school.trust), pytest.raises(ValidationError, match="not being coached"):
        coaching_services.coach_assign(
            viewer=viewer, school=school, coach=world.people["other_coach"], teacher=leader
        )
