"""The reflection journal: the teacher writes, changes and deletes entries, optionally about
a goal or a current step; only the teacher reads them, whoever else asks."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import Reflection
from coachloop.coaching.services import learning as services
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from tests.world import SECRET_NOTE

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def write(as_viewer, user, **overrides):
    viewer, scope = as_viewer(user)
    values = {
        "written_on": TODAY,
        "title": "After period 3",
        "body": f"The cold call worked once I waited. {SECRET_NOTE}",
    }
    values.update(overrides)
    with scope:
        return services.reflection_write(viewer=viewer, **values)


def linked_goal(world, as_viewer):
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        return services.goal_create(
            viewer=viewer,
            title="Full sentences",
            pupils="Year 9 set 2",
            evidence_kinds=["pupil_work"],
            review_on=TODAY + dt.timedelta(days=10),
            relationship=world.own.relationship,
        )


def test_a_teacher_writes_an_entry_about_their_current_step(world, as_viewer):
    entry = write(as_viewer, world.own.teacher, action_step=world.own.step)
    assert (entry.teacher, entry.action_step) == (world.own.teacher, world.own.step)
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="reflection.written", subject=world.own.teacher)


def test_an_entry_cannot_be_about_someone_elses_goal_or_step(world, as_viewer):
    with pytest.raises(ValidationError) as error:
        write(as_viewer, world.own.teacher, action_step=world.other_school.step)
    assert "about" in error.value.message_dict
    other_goal = linked_goal(world, as_viewer)
    with pytest.raises(ValidationError):
        write(as_viewer, world.own.coach, goal=other_goal)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Give the entry a title."),
        ("body", "  ", "Write your reflection."),
        ("written_on", TODAY + dt.timedelta(days=1), "cannot be dated in the future"),
    ],
)
def test_an_entry_with_bad_input_is_refused(world, as_viewer, field, value, message):
    with pytest.raises(ValidationError) as error:
        write(as_viewer, world.own.teacher, **{field: value})
    assert message in " ".join(error.value.message_dict[field])


def test_only_the_teacher_changes_or_deletes_an_entry(world, as_viewer):
    entry = write(as_viewer, world.own.teacher)
    coach, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(PermissionDenied):
        services.reflection_delete(viewer=coach, reflection=entry)
    teacher, scope = as_viewer(world.own.teacher)
    with scope:
        services.reflection_update(
            viewer=teacher, reflection=entry, written_on=TODAY, title="Changed", body="Words."
        )
        services.reflection_delete(viewer=teacher, reflection=entry)
    with scopes_disabled():
        assert not Reflection.objects.exists()
        deleted = AuditEvent.objects.get(verb="reflection.deleted")
    assert deleted.target_id == str(entry.pk)
    assert "Words" not in deleted.summary


# -- pages ------------------------------------------------------------------------------------


def test_a_teacher_writes_an_entry_on_the_page_about_a_goal(client, world, as_viewer):
    goal = linked_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    form = client.get(reverse("coaching:reflection_new") + f"?about=goal-{goal.pk}")
    assert f'value="goal-{goal.pk}" checked' in form.content.decode()
    response = client.post(
        reverse("coaching:reflection_new"),
        {
            "written_on": TODAY.isoformat(),
            "title": "Wait time",
            "body": "Waiting five seconds changed who answered.",
            "about": f"goal-{goal.pk}",
        },
    )
    with scopes_disabled():
        entry = Reflection.objects.get()
    assert response.url == reverse("coaching:reflection_detail", args=[entry.pk])
    assert entry.goal == goal
    journal = client.get(reverse("coaching:reflections")).content.decode()
    assert "Wait time" in journal and "About the goal “Full sentences”" in journal


def test_a_goal_that_is_not_the_teachers_is_not_a_choice_for_an_entry(client, world, as_viewer):
    client.force_login(world.other_school.teacher)
    goal = linked_goal(world, as_viewer)
    response = client.post(
        reverse("coaching:reflection_new"),
        {"written_on": TODAY.isoformat(), "title": "T", "body": "B", "about": f"goal-{goal.pk}"},
    )
    assert "Choose one of your own goals or steps." in response.content.decode()
    with scopes_disabled():
        assert not Reflection.objects.exists()


@pytest.mark.parametrize(
    "persona",
    ["coach", "other_coach", "coaching_lead", "headteacher", "trust_lead", "administrator"],
)
def test_nobody_but_the_teacher_reads_an_entry_not_even_their_coach(
    client, world, as_viewer, persona
):
    goal = linked_goal(world, as_viewer)
    entry = write(as_viewer, world.own.teacher, goal=goal)
    client.force_login(world.people[persona])
    for route in ("reflection_detail", "reflection_edit", "reflection_delete"):
        response = client.get(reverse(f"coaching:{route}", args=[entry.pk]))
        assert response.status_code == 404
    goal_page = client.get(reverse("coaching:goal_detail", args=[goal.pk]))
    assert SECRET_NOTE.encode() not in goal_page.content
    assert entry.title.encode() not in goal_page.content


def test_the_teacher_sees_their_entries_on_the_goal_page(client, world, as_viewer):
    goal = linked_goal(world, as_viewer)
    entry = write(as_viewer, world.own.teacher, goal=goal)
    client.force_login(world.own.teacher)
    page = client.get(reverse("coaching:goal_detail", args=[goal.pk])).content.decode()
    assert entry.title in page


def test_a_teacher_deletes_an_entry_after_confirming(client, world, as_viewer):
    entry = write(as_viewer, world.own.teacher)
    client.force_login(world.own.teacher)
    url = reverse("coaching:reflection_delete", args=[entry.pk])
    assert "It will be gone for good" in client.get(url).content.decode()
    assert client.post(url).url == reverse("coaching:reflections")
    with scopes_disabled():
        assert not Reflection.objects.exists()


def test_a_teacher_changes_an_entry(client, world, as_viewer):
    entry = write(as_viewer, world.own.teacher, action_step=world.own.step)
    client.force_login(world.own.teacher)
    url = reverse("coaching:reflection_edit", args=[entry.pk])
    assert f'value="step-{world.own.step.pk}" checked' in client.get(url).content.decode()
    client.post(
        url,
        {"written_on": TODAY.isoformat(), "title": "Changed", "body": "New words.", "about": ""},
    )
    with scopes_disabled():
        entry.refresh_from_db()
    assert (entry.title, entry.action_step) == ("Changed", None)
