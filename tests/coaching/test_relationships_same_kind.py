"""Assigning coaches safely: a teacher has one running relationship of a kind at a school. A
second is refused, naming the coach they have, until the lead ends the first or keeps both on
purpose; the assign pages show each teacher's coaching now and offer only people who can be
coached, and people who can coach."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coachloop.coaching.models import ActionStep, Relationship
from coachloop.coaching.services import relationships as services
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role, StaffGroup
from coachloop.policy.models import SchoolModel
from tests.factories import RelationshipFactory
from tests.rollout import team_fixtures
from tests.rollout.team_fixtures import (
    coach_teachers,
    count,
    days,
    member,
    set_caseload_limit,
    text,
)

lead, lead_client, school = team_fixtures.lead, team_fixtures.lead_client, team_fixtures.school

pytestmark = pytest.mark.django_db
REFUSED = "Teacher a1 already has instructional coaching from Coach a1."


def _assign_url(school):
    return reverse("rollout:team_assign", args=[school.slug])


def _post(world, **overrides):
    """The lead gives the world's teacher (coached by Coach a1) a second instructional coach."""
    data = {
        "teacher": world.own.teacher.pk,
        "coach": world.people["other_coach"].pk,
        "started_on": days(0).isoformat(),
    }
    data.update(overrides)
    return data


def _running(teacher):
    return count(Relationship, teacher=teacher, finished_on__isnull=True)


@pytest.fixture
def assign(world, lead, as_viewer):
    """The lead gives the world's teacher (coached by Coach a1) another coach, through the
    service."""

    def assign(**arguments):
        viewer, scope = as_viewer(lead)
        with scope:
            return _assign(world, viewer, **arguments)

    return assign


def _assign(world, viewer, **arguments):
    arguments.setdefault("over_limit_confirmed", True)
    return services.coach_assign(
        viewer=viewer,
        school=world.own.school,
        coach=world.people["other_coach"],
        teacher=world.own.teacher,
        **arguments,
    )


# -- the service: the rule for every caller -----------------------------------------------------


def test_the_service_refuses_a_second_coach_of_the_same_kind_naming_the_first(world, lead, assign):
    with pytest.raises(services.SameKindRunning) as refused:
        assign()
    assert REFUSED in refused.value.messages[0]
    assert [r.pk for r in refused.value.running] == [world.own.relationship.pk]
    assert _running(world.own.teacher) == 1
    assert count(AuditEvent, verb="relationship.started") == 0


def test_a_second_relationship_of_another_kind_is_not_refused(world, lead, assign):
    assign(kind=Relationship.Kind.SPECIALIST, strand=world.own.framework_step.strand)
    assert _running(world.own.teacher) == 2


def test_ending_the_first_goes_through_the_end_service_in_the_same_transaction(world, lead, assign):
    new = assign(same_kind=services.END_EARLIER)
    with scopes_disabled():
        first = Relationship.objects.get(pk=world.own.relationship.pk)
        assert first.finished_on == days(0)
        assert first.coach_reads_until is not None
        assert not ActionStep.objects.filter(relationship=first, closed_on__isnull=True).exists()
        assert AuditEvent.objects.filter(
            verb="relationship.ended", actor=lead, target_id=str(first.pk)
        ).exists()
        assert Relationship.objects.get(teacher=world.own.teacher, finished_on=None) == new


def test_when_the_new_coaching_cannot_start_the_first_is_not_ended_either(world, lead, assign):
    with pytest.raises(ValidationError):
        assign(same_kind=services.END_EARLIER, started_on=days(1))
    with scopes_disabled():
        set_caseload_limit(world.own.school, 1)
        coach_teachers(world.own.school, world.people["other_coach"], 1)
    with pytest.raises(services.OverCaseload):
        assign(same_kind=services.END_EARLIER, over_limit_confirmed=False)
    with scopes_disabled():
        assert Relationship.objects.get(pk=world.own.relationship.pk).finished_on is None
    assert count(AuditEvent, verb="relationship.ended") == 0


def test_keeping_both_on_purpose_starts_the_second_and_records_the_choice(world, lead, assign):
    new = assign(same_kind=services.KEEP_BOTH)
    assert _running(world.own.teacher) == 2
    with scopes_disabled():
        event = AuditEvent.objects.get(verb="relationship.kept_alongside")
    assert event.actor == lead and event.target_id == str(new.pk)
    assert event.subject == world.own.teacher
    assert f"relationship {world.own.relationship.pk}" in event.summary


def test_an_unknown_choice_is_a_clear_error_that_changes_nothing(world, lead, assign):
    with pytest.raises(ValidationError) as refused:
        assign(same_kind="both-and-neither")
    assert "same_kind" in refused.value.message_dict
    assert _running(world.own.teacher) == 1


def test_a_handover_is_not_refused_even_when_the_teacher_kept_two_coaches(world, lead, as_viewer):
    """A handover replaces one relationship with another: nothing to ask, even for a teacher
    with two instructional coaches kept on purpose."""
    from coachloop.coaching.services.handover import relationship_hand_over

    with scopes_disabled():
        third = member(world.own.school, Role.COACH, full_name="Third Coach")
        RelationshipFactory(school=world.own.school, coach=third, teacher=world.own.teacher)
    viewer, scope = as_viewer(lead)
    with scope:
        relationship_hand_over(
            viewer=viewer, relationship=world.own.relationship, coach=world.people["other_coach"]
        )
    assert _running(world.own.teacher) == 2


# -- the page ---------------------------------------------------------------------------------


def test_the_page_refuses_a_second_instructional_coach_with_a_clear_message(
    lead_client, world, school
):
    response = lead_client.post(_assign_url(school), _post(world))
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert REFUSED in page
    assert "What should happen to the coaching the teacher has now?" in page
    assert 'name="same_kind"' in page
    assert _running(world.own.teacher) == 1


def test_the_page_ends_the_first_then_assigns_when_the_lead_says_so(lead_client, world, school):
    response = lead_client.post(_assign_url(school), _post(world, same_kind="end"))
    assert response.status_code == 302
    with scopes_disabled():
        assert Relationship.objects.get(pk=world.own.relationship.pk).finished_on == days(0)
        running = Relationship.objects.get(teacher=world.own.teacher, finished_on=None)
    assert running.coach == world.people["other_coach"]


def test_the_page_keeps_both_when_the_lead_says_so(lead_client, world, school):
    response = lead_client.post(_assign_url(school), _post(world, same_kind="keep"))
    assert response.status_code == 302
    assert _running(world.own.teacher) == 2
    assert count(AuditEvent, verb="relationship.kept_alongside") == 1


def test_the_page_refuses_a_second_mentor_the_same_way(lead_client, world, school):
    with scopes_disabled():
        RelationshipFactory(
            school=school,
            coach=world.own.coach,
            teacher=world.own.teacher,
            kind=Relationship.Kind.MENTORING,
            cadence_days=14,
            induction_starts_on=days(-30),
            induction_ends_on=days(300),
        )
    data = _post(
        world,
        induction_starts_on=days(-30).isoformat(),
        induction_ends_on=days(300).isoformat(),
        cadence_days="14",
    )
    url = reverse("coaching:relationship_start", args=[school.slug, "mentoring"])
    page = text(lead_client.post(url, data))
    assert "Teacher a1 already has mentoring from Coach a1." in page
    assert 'name="same_kind"' in page


def test_the_page_shows_each_teachers_coaching_now_and_its_kind(lead_client, world, school):
    with scopes_disabled():
        uncoached = member(school, Role.TEACHER, full_name="Nobody Yet")
    page = text(lead_client.get(_assign_url(school)))
    assert "Who has a coach now" in page
    assert "Teacher a1 (Instructional coaching: Coach a1)" in page
    assert f'<option value="{uncoached.pk}">Nobody Yet</option>' in page
    assert "No coach now" in page  # in the list of who has a coach


def test_the_page_offers_only_people_who_can_be_coached_and_people_who_can_coach(
    lead_client, world, school
):
    with scopes_disabled():
        left = member(school, Role.TEACHER, full_name="Left Last Year", finished_on=days(-30))
        inactive = member(school, Role.TEACHER, full_name="Cannot Sign In")
        inactive.is_active = False
        inactive.save()
        head = member(school, Role.TEACHER, full_name="Head Teaching Too")
        Membership.objects.filter(user=head).update(staff_group=StaffGroup.LEADER)
        leading_coach = member(school, Role.COACH, full_name="Leading Coach")
        member(school, Role.HEADTEACHER, user=leading_coach)
        former_coach = member(school, Role.COACH, full_name="Coached Once", finished_on=days(-1))
        SchoolModel.objects.update_or_create(
            school=school,
            defaults={"trust": school.trust, "leaders_coach": False, "leaders_are_coached": False},
        )
    page = text(lead_client.get(_assign_url(school)))
    teacher_choices = page.split('name="teacher"')[1].split("</select>")[0]
    coach_choices = page.split('name="coach"')[1].split("</select>")[0]
    assert "Teacher a1" in teacher_choices
    for person in (left, inactive, head):
        assert person.full_name not in teacher_choices
    assert "Another Coach" in coach_choices
    for person in (leading_coach, former_coach):
        assert person.full_name not in coach_choices
    assert "Teacher a1" not in coach_choices
