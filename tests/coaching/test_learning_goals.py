"""Goals: set by the teacher (or their coach, for that coaching), aimed at a class or group,
with progress over time, status changes and a version guard; read by the teacher and the
coach of the coaching it is linked to, and nobody else."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import Goal, GoalProgress
from coachloop.coaching.queries import learning as queries
from coachloop.coaching.services import learning as services
from coachloop.coaching.services.errors import EditConflict
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def goal_values(**overrides):
    values = {
        "title": "Every pupil answers in full sentences",
        "why": "Their written answers are thin.",
        "pupils": "Year 9 set 2",
        "evidence_kinds": ["pupil_work", "pupil_voice"],
        "evidence_plan": "Compare their answers in October and December.",
        "review_on": TODAY + dt.timedelta(days=30),
    }
    values.update(overrides)
    return values


def set_goal(as_viewer, user, **overrides):
    viewer, scope = as_viewer(user)
    with scope:
        return services.goal_create(viewer=viewer, **goal_values(**overrides))


def count(model):
    with scopes_disabled():
        return model.objects.count()


# -- services --------------------------------------------------------------------------------


def test_a_teacher_sets_a_goal_of_their_own_and_it_is_audited(world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher)
    assert goal.teacher == world.own.teacher
    assert goal.relationship is None
    assert goal.created_by == world.own.teacher
    assert goal.evidence_kinds == ["pupil_work", "pupil_voice"]
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            verb="goal.set", target_id=str(goal.pk), subject=world.own.teacher
        ).exists()


def test_a_teacher_links_a_goal_to_their_running_coaching(world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher, relationship=world.own.relationship)
    assert goal.relationship == world.own.relationship


def test_a_teacher_cannot_link_a_goal_to_someone_elses_coaching(world, as_viewer):
    with pytest.raises(PermissionDenied):
        set_goal(as_viewer, world.own.teacher, relationship=world.other_school.relationship)
    assert count(Goal) == 0


def test_a_teacher_cannot_link_a_goal_to_coaching_that_has_ended(world, as_viewer):
    with scopes_disabled():
        world.own.relationship.finished_on = TODAY
        world.own.relationship.save()
    with pytest.raises(ValidationError):
        set_goal(as_viewer, world.own.teacher, relationship=world.own.relationship)


def test_the_active_coach_sets_a_goal_for_the_teacher_they_coach(world, as_viewer):
    goal = set_goal(as_viewer, world.own.coach, relationship=world.own.relationship)
    assert goal.teacher == world.own.teacher
    assert goal.relationship == world.own.relationship
    assert goal.created_by == world.own.coach


def test_another_coach_cannot_set_a_goal_for_coaching_that_is_not_theirs(world, as_viewer):
    with pytest.raises(PermissionDenied):
        set_goal(as_viewer, world.people["other_coach"], relationship=world.own.relationship)
    assert count(Goal) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "  ", "Say what the goal is."),
        ("pupils", "", "Name the class or group"),
        ("pupils", "Jack Smith", "looks like a person’s name"),
        ("pupils", "Amelia-Rose O'Neil", "looks like a person’s name"),
        ("evidence_kinds", [], "Choose at least one kind of evidence"),
        ("evidence_kinds", ["gut_feeling"], "Choose from the kinds of evidence listed."),
        ("review_on", TODAY - dt.timedelta(days=1), "cannot be in the past"),
        ("title", "x" * 201, "200 characters or fewer"),
    ],
)
def test_a_goal_with_bad_input_is_refused_with_a_clear_message(
    world, as_viewer, field, value, message
):
    with pytest.raises(ValidationError) as error:
        set_goal(as_viewer, world.own.teacher, **{field: value})
    assert message in " ".join(error.value.message_dict[field])
    assert count(Goal) == 0


@pytest.mark.parametrize(
    "pupils",
    ["Year 9 set 2", "8C", "the quieter pupils in 8C", "Maple Class", "Lower Sixth", "Robins"],
)
def test_classes_and_groups_are_not_taken_for_pupils_names(world, as_viewer, pupils):
    assert services.looks_like_a_pupils_name(pupils) is False


def test_a_goal_edit_made_from_an_old_version_is_refused_and_loses_nothing(world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher, relationship=world.own.relationship)
    coach, coach_scope = as_viewer(world.own.coach)
    with coach_scope:
        services.goal_update(
            viewer=coach, goal=goal, expected_version=1, title="Answers in full sentences"
        )
    teacher, scope = as_viewer(world.own.teacher)
    with scope, pytest.raises(EditConflict) as conflict:
        services.goal_update(viewer=teacher, goal=goal, expected_version=1, title="Mine")
    assert conflict.value.current.title == "Answers in full sentences"
    with scopes_disabled():
        goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Answers in full sentences", 2)


def test_an_overdue_goal_can_be_edited_without_moving_its_review_date(world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher)
    with scopes_disabled():
        Goal.objects.filter(pk=goal.pk).update(review_on=TODAY - dt.timedelta(days=3))
    teacher, scope = as_viewer(world.own.teacher)
    with scope:
        services.goal_update(
            viewer=teacher,
            goal=goal,
            expected_version=1,
            title="Still going",
            review_on=TODAY - dt.timedelta(days=3),
        )
        with pytest.raises(ValidationError):
            services.goal_update(
                viewer=teacher, goal=goal, expected_version=2, review_on=TODAY - dt.timedelta(5)
            )


def test_only_the_teacher_moves_a_goal_out_of_their_coaching(world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher, relationship=world.own.relationship)
    coach, coach_scope = as_viewer(world.own.coach)
    with coach_scope, pytest.raises(PermissionDenied):
        services.goal_update(viewer=coach, goal=goal, expected_version=1, relationship=None)
    teacher, scope = as_viewer(world.own.teacher)
    with scope:
        services.goal_update(viewer=teacher, goal=goal, expected_version=1, relationship=None)
    with scopes_disabled():
        goal.refresh_from_db()
    assert goal.relationship is None


def test_a_goal_is_achieved_set_aside_and_reopened_each_audited(world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher)
    teacher, scope = as_viewer(world.own.teacher)
    with scope:
        services.goal_status_set(viewer=teacher, goal=goal, status=Goal.Status.ACHIEVED)
        with pytest.raises(ValidationError):
            services.goal_status_set(viewer=teacher, goal=goal, status=Goal.Status.ACHIEVED)
        services.goal_status_set(viewer=teacher, goal=goal, status=Goal.Status.OPEN)
        services.goal_status_set(viewer=teacher, goal=goal, status=Goal.Status.SET_ASIDE)
    assert goal.status == Goal.Status.SET_ASIDE
    with scopes_disabled():
        verbs = list(
            AuditEvent.objects.filter(target_id=str(goal.pk), verb__startswith="goal.")
            .order_by("pk")
            .values_list("verb", flat=True)
        )
    assert verbs == ["goal.set", "goal.achieved", "goal.reopened", "goal.set_aside"]


def test_the_teacher_and_the_linked_coach_add_progress_over_time(world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher, relationship=world.own.relationship)
    teacher, scope = as_viewer(world.own.teacher)
    with scope:
        services.goal_progress_add(viewer=teacher, goal=goal, written_on=TODAY, note="Better.")
    coach, coach_scope = as_viewer(world.own.coach)
    with coach_scope:
        services.goal_progress_add(viewer=coach, goal=goal, written_on=TODAY, note="Seen it.")
    with scopes_disabled():
        writers = list(GoalProgress.objects.order_by("pk").values_list("written_by", flat=True))
    assert writers == [world.own.teacher.pk, world.own.coach.pk]


def test_progress_cannot_be_dated_in_the_future_or_before_the_goal(world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher)
    teacher, scope = as_viewer(world.own.teacher)
    with scope:
        for day in (TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=10)):
            with pytest.raises(ValidationError) as error:
                services.goal_progress_add(viewer=teacher, goal=goal, written_on=day, note="x")
            assert "written_on" in error.value.message_dict
    assert count(GoalProgress) == 0


def test_a_coach_cannot_add_progress_to_a_goal_the_teacher_keeps_to_themselves(world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher)
    coach, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(PermissionDenied):
        services.goal_progress_add(viewer=coach, goal=goal, written_on=TODAY, note="x")


# -- queries ----------------------------------------------------------------------------------


def test_goals_due_for_review_soon_or_overdue_come_first(world, as_viewer):
    later = set_goal(as_viewer, world.own.teacher, title="Later")
    soon = set_goal(as_viewer, world.own.teacher, title="Soon", review_on=TODAY + dt.timedelta(3))
    overdue = set_goal(as_viewer, world.own.teacher, title="Overdue")
    with scopes_disabled():
        Goal.objects.filter(pk=overdue.pk).update(review_on=TODAY - dt.timedelta(days=2))
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        found = queries.my_goals(viewer)
    assert [(row.goal.pk, row.review) for row in found.due] == [
        (overdue.pk, "overdue"),
        (soon.pk, "soon"),
    ]
    assert [row.goal.pk for row in found.working] == [later.pk]


def test_a_former_coach_reads_a_linked_goal_only_until_the_day_set_when_it_ended(world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher, relationship=world.own.relationship)
    relationship = world.own.relationship
    with scopes_disabled():
        relationship.finished_on = TODAY - dt.timedelta(days=5)
        relationship.coach_reads_until = TODAY + dt.timedelta(days=3)
        relationship.save()
    coach, scope = as_viewer(world.own.coach)
    with scope:
        assert queries.goal_for(coach, goal.pk).pk == goal.pk
        with pytest.raises(PermissionDenied):
            services.goal_progress_add(viewer=coach, goal=goal, written_on=TODAY, note="x")
    with scopes_disabled():
        relationship.coach_reads_until = TODAY - dt.timedelta(days=1)
        relationship.save()
    coach, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(Http404):
        queries.goal_for(coach, goal.pk)


# -- pages ------------------------------------------------------------------------------------


def goal_post(**overrides):
    data = {
        "title": "Every pupil answers in full sentences",
        "why": "",
        "pupils": "Year 9 set 2",
        "evidence_kinds": ["pupil_work"],
        "evidence_plan": "",
        "review_on": (TODAY + dt.timedelta(days=30)).isoformat(),
        "relationship": "",
    }
    data.update(overrides)
    return data


def test_a_teacher_sets_a_goal_on_the_page_and_lands_on_it(client, world):
    client.force_login(world.own.teacher)
    response = client.post(
        reverse("coaching:goal_new"), goal_post(relationship=world.own.relationship.pk)
    )
    with scopes_disabled():
        goal = Goal.objects.get()
    assert response.url == reverse("coaching:goal_detail", args=[goal.pk])
    assert goal.relationship == world.own.relationship
    page = client.get(reverse("coaching:goals")).content.decode()
    assert "Every pupil answers in full sentences" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pupils", "", "Name the class or group of pupils the goal aims to help."),
        ("pupils", "Jack Smith", "looks like a person’s name"),
        ("evidence_kinds", [], "Choose at least one kind of evidence that will show change."),
        ("review_on", (TODAY - dt.timedelta(days=1)).isoformat(), "cannot be in the past"),
        ("review_on", "31/02/2026", "Enter a real date"),
        ("relationship", "999999", "Choose coaching you are part of now"),
    ],
)
def test_bad_goal_input_re_shows_the_form_with_a_message_and_saves_nothing(
    client, world, field, value, message
):
    client.force_login(world.own.teacher)
    response = client.post(reverse("coaching:goal_new"), goal_post(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert count(Goal) == 0


def test_another_schools_coaching_is_not_a_choice_for_a_goal(client, world):
    client.force_login(world.own.teacher)
    response = client.post(
        reverse("coaching:goal_new"), goal_post(relationship=world.other_school.relationship.pk)
    )
    assert response.status_code == 200
    assert count(Goal) == 0


def test_the_goal_form_says_never_to_name_a_pupil(client, world):
    client.force_login(world.own.teacher)
    page = client.get(reverse("coaching:goal_new")).content.decode()
    assert "A class or a group, never a pupil’s name." in page


def test_the_goals_page_highlights_a_goal_due_for_review(client, world, as_viewer):
    set_goal(as_viewer, world.own.teacher, review_on=TODAY + dt.timedelta(days=3))
    client.force_login(world.own.teacher)
    page = client.get(reverse("coaching:goals")).content.decode()
    assert "Due for review" in page
    assert "Review in 3 days" in page


def test_the_coach_reads_a_linked_goal_and_the_read_is_audited(client, world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher, relationship=world.own.relationship)
    client.force_login(world.own.coach)
    listing = client.get(reverse("coaching:coachee_goals", args=[world.own.relationship.pk]))
    assert goal.title in listing.content.decode()
    detail = client.get(reverse("coaching:goal_detail", args=[goal.pk]))
    assert detail.status_code == 200
    with scopes_disabled():
        reads = AuditEvent.objects.filter(
            verb="read", actor=world.own.coach, subject=world.own.teacher
        )
        assert {event.target_type for event in reads} == {"coaching.relationship", "coaching.goal"}


def test_the_teacher_reading_their_own_goal_is_not_listed_as_a_read(client, world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher, relationship=world.own.relationship)
    client.force_login(world.own.teacher)
    client.get(reverse("coaching:goal_detail", args=[goal.pk]))
    with scopes_disabled():
        assert not AuditEvent.objects.filter(verb="read").exists()


@pytest.mark.parametrize("persona", ["coach", "other_coach", "coaching_lead", "headteacher"])
def test_a_goal_the_teacher_keeps_to_themselves_is_a_404_for_everyone_else(
    client, world, as_viewer, persona
):
    goal = set_goal(as_viewer, world.own.teacher)
    client.force_login(world.people[persona])
    assert client.get(reverse("coaching:goal_detail", args=[goal.pk])).status_code == 404
    listing = client.get(reverse("coaching:coachee_goals", args=[world.own.relationship.pk]))
    assert goal.title.encode() not in listing.content


def test_leaders_never_see_a_linked_goal(client, world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher, relationship=world.own.relationship)
    for persona in ("coaching_lead", "headteacher", "trust_lead", "administrator"):
        client.force_login(world.people[persona])
        assert client.get(reverse("coaching:goal_detail", args=[goal.pk])).status_code == 404


def test_the_coach_sets_a_goal_with_the_teacher_from_their_page(client, world):
    client.force_login(world.own.coach)
    url = reverse("coaching:coachee_goal_new", args=[world.own.relationship.pk])
    response = client.post(url, goal_post())
    assert response.status_code == 302
    with scopes_disabled():
        goal = Goal.objects.get()
    assert (goal.teacher, goal.relationship) == (world.own.teacher, world.own.relationship)


def test_two_people_editing_a_goal_at_once_are_told_and_nothing_is_lost(client, world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher, relationship=world.own.relationship)
    url = reverse("coaching:goal_edit", args=[goal.pk])
    client.force_login(world.own.coach)
    client.post(url, goal_post(title="The coach's wording", version="1"))
    client.force_login(world.own.teacher)
    response = client.post(url, goal_post(title="The teacher's wording", version="1"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed and saved somewhere else" in page
    assert "The coach&#x27;s wording" in page and "The teacher&#x27;s wording" in page
    again = client.post(url, goal_post(title="The teacher's wording", version="2"))
    assert again.status_code == 302
    with scopes_disabled():
        goal.refresh_from_db()
    assert goal.title == "The teacher's wording"


def test_a_progress_note_is_added_from_the_goal_page(client, world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher)
    client.force_login(world.own.teacher)
    response = client.post(
        reverse("coaching:goal_progress", args=[goal.pk]),
        {"written_on": TODAY.isoformat(), "note": "Half the class now answer in full."},
    )
    assert response.status_code == 302
    page = client.get(reverse("coaching:goal_detail", args=[goal.pk])).content.decode()
    assert "Half the class now answer in full." in page


def test_an_empty_progress_note_is_refused_with_a_message(client, world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher)
    client.force_login(world.own.teacher)
    response = client.post(
        reverse("coaching:goal_progress", args=[goal.pk]),
        {"written_on": TODAY.isoformat(), "note": ""},
    )
    assert "Write what has changed." in response.content.decode()
    assert count(GoalProgress) == 0


def test_the_status_buttons_mark_a_goal_achieved_and_reopen_it(client, world, as_viewer):
    goal = set_goal(as_viewer, world.own.teacher)
    client.force_login(world.own.teacher)
    url = reverse("coaching:goal_status", args=[goal.pk])
    client.post(url, {"status": "achieved"})
    with scopes_disabled():
        goal.refresh_from_db()
    assert goal.status == Goal.Status.ACHIEVED
    client.post(url, {"status": "open"})
    with scopes_disabled():
        goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    response = client.post(url, {"status": "practising"}, follow=True)
    assert "Choose achieved, set aside or reopen." in response.content.decode()
