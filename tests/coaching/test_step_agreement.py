"""Agreement is agreement: a step the coach sets is proposed until the teacher agrees (or the
coach records that they agreed it together), and the teacher may say "not now" with a reason."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coachloop.coaching import services
from coachloop.coaching.models import ActionStep
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from tests.factories import ActionStepFactory

pytestmark = pytest.mark.django_db

REASON = "I am moving to Year 3 after half term; can we pick this up then?"


def _verbs(step):
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(target_type="coaching.actionstep", target_id=str(step.pk))
            .order_by("pk")
            .values_list("verb", flat=True)
        )


def _stored(step):
    with scopes_disabled():
        return ActionStep.objects.get(pk=step.pk)


def _propose(world, as_viewer, **extra):
    """The coach sets a new step, closing the agreed one before it as embedded."""
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        return services.action_step_set(
            viewer=viewer,
            relationship=world.own.relationship,
            title="Cold call after wait time",
            success_looks_like="Every pupil answers at least once.",
            previous_outcome=ActionStep.Outcome.EMBEDDED,
            **extra,
        )


@pytest.fixture
def proposed(world, as_viewer):
    return _propose(world, as_viewer)


# The services


def test_a_step_the_coach_sets_is_proposed_until_the_teacher_agrees(world, proposed):
    step = _stored(proposed)
    assert step.agreed_on is None and step.agreed_by is None
    assert step.is_proposed and step.status_label == "Proposed"
    assert _verbs(step) == ["action_step.set"]


def test_the_teacher_agrees_in_one_step_and_it_reads_agreed(world, as_viewer, proposed):
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        services.action_step_agree(viewer=viewer, step=proposed)
    step = _stored(proposed)
    assert step.agreed_on is not None and step.agreed_by == world.own.teacher
    assert step.status_label == "Agreed"
    assert _verbs(step) == ["action_step.set", "action_step.agreed"]


def test_agreeing_twice_is_refused_and_keeps_the_first_agreement(world, as_viewer, proposed):
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        services.action_step_agree(viewer=viewer, step=proposed)
    first = _stored(proposed).agreed_on
    viewer, scope = as_viewer(world.own.teacher)
    with scope, pytest.raises(ValidationError, match="already agreed"):
        services.action_step_agree(viewer=viewer, step=proposed)
    assert _stored(proposed).agreed_on == first
    assert _verbs(proposed).count("action_step.agreed") == 1


def test_a_closed_step_cannot_be_agreed(world, as_viewer):
    step = ActionStepFactory(
        relationship=world.own.relationship,
        agreed_on=None,
        closed_on=world.own.step.set_on,
        outcome=ActionStep.Outcome.REPLACED,
    )
    viewer, scope = as_viewer(world.own.teacher)
    with scope, pytest.raises(ValidationError, match="closed"):
        services.action_step_agree(viewer=viewer, step=step)
    assert _stored(step).agreed_on is None


def test_only_the_teacher_answers_and_only_the_coach_records_a_conversation(
    world, as_viewer, proposed
):
    coach, coach_scope = as_viewer(world.own.coach)
    with coach_scope, pytest.raises(PermissionDenied):
        services.action_step_agree(viewer=coach, step=proposed)
    coach, coach_scope = as_viewer(world.own.coach)
    with coach_scope, pytest.raises(PermissionDenied):
        services.action_step_not_now(viewer=coach, step=proposed, reason=REASON)
    teacher, teacher_scope = as_viewer(world.own.teacher)
    with teacher_scope, pytest.raises(PermissionDenied):
        services.action_step_agreed_in_conversation(viewer=teacher, step=proposed)
    assert _stored(proposed).is_proposed


def test_the_coach_records_that_they_agreed_it_in_conversation(world, as_viewer, proposed):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        services.action_step_agreed_in_conversation(viewer=viewer, step=proposed)
    step = _stored(proposed)
    assert step.agreed_by == world.own.coach and step.status_label == "Agreed"
    with scopes_disabled():
        event = AuditEvent.objects.get(verb="action_step.agreed", target_id=str(step.pk))
    assert event.summary == "in conversation"


def test_ticking_agreed_in_conversation_when_setting_a_step_agrees_it_at_once(world, as_viewer):
    step = _stored(_propose(world, as_viewer, agreed_in_conversation=True))
    assert step.agreed_by == world.own.coach and not step.is_proposed
    assert _verbs(step) == ["action_step.set", "action_step.agreed"]


def test_not_now_needs_a_reason_of_bounded_length_and_changes_nothing_without(
    world, as_viewer, proposed
):
    viewer, scope = as_viewer(world.own.teacher)
    for reason in ("", "   ", "x" * 501):
        viewer, scope = as_viewer(world.own.teacher)
        with scope, pytest.raises(ValidationError) as error:
            services.action_step_not_now(viewer=viewer, step=proposed, reason=reason)
        assert "reason" in error.value.message_dict
    step = _stored(proposed)
    assert step.is_proposed and step.outcome == "" and step.not_now_reason == ""


def test_not_now_closes_the_step_with_the_reason_so_the_coach_proposes_another(
    world, as_viewer, proposed
):
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        services.action_step_not_now(viewer=viewer, step=proposed, reason=f"  {REASON} ")
    step = _stored(proposed)
    assert step.closed_on is not None and step.outcome == ActionStep.Outcome.NOT_NOW
    assert step.not_now_reason == REASON and step.status_label == "Not now"
    assert _verbs(step) == ["action_step.set", "action_step.not_now"]
    viewer, scope = as_viewer(world.own.teacher)
    with scope, pytest.raises(ValidationError, match="not now"):
        services.action_step_agree(viewer=viewer, step=proposed)
    # No current step now: the coach's next one needs no outcome for this one.
    coach, coach_scope = as_viewer(world.own.coach)
    with coach_scope:
        services.action_step_set(
            viewer=coach,
            relationship=world.own.relationship,
            title="Narrate the positive",
            success_looks_like="Most of the class back on task quickly.",
        )


def test_a_new_step_replaces_one_still_proposed_without_asking_how_it_ended(
    world, as_viewer, proposed
):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        services.action_step_set(
            viewer=viewer,
            relationship=world.own.relationship,
            title="Narrate the positive",
            success_looks_like="Most of the class back on task quickly.",
        )
    step = _stored(proposed)
    assert step.closed_on is not None and step.outcome == ActionStep.Outcome.REPLACED


def test_steps_from_before_agreement_was_kept_are_agreed_when_set_by_their_proposer(world):
    migration = importlib.import_module("coachloop.coaching.migrations.0013_step_agreement")
    with scopes_disabled():
        ActionStep.objects.update(agreed_on=None, agreed_by=None)
    migration.agreed_as_before(django_apps, None)
    step = _stored(world.own.step)
    assert step.agreed_on.date() == step.set_on
    assert step.agreed_by == world.own.coach == step.proposed_by
    assert step.status_label == ActionStep.Status(step.status).label


# The pages


def test_both_people_see_proposed_until_the_teacher_agrees(client, world, proposed):
    client.force_login(world.own.coach)
    coachee = reverse("coaching:coachee", args=[world.own.relationship.pk])
    page = client.get(coachee).content.decode()
    assert "Proposed" in page and "waiting for Teacher a1 to agree" in page
    client.force_login(world.own.teacher)
    home = client.get(reverse("coaching:teacher_home")).content.decode()
    assert "Proposed" in home and reverse("coaching:step_agree", args=[proposed.pk]) in home
    response = client.post(reverse("coaching:step_agree", args=[proposed.pk]), follow=True)
    assert "You agreed this step." in response.content.decode()
    client.force_login(world.own.coach)
    page = client.get(coachee).content.decode()
    assert "Teacher a1 agreed this step on" in page and "waiting for" not in page


def test_agreeing_with_htmx_sends_back_the_answer_and_the_new_status_tag(client, world, proposed):
    client.force_login(world.own.teacher)
    response = client.post(
        reverse("coaching:step_agree", args=[proposed.pk]), headers={"HX-Request": "true"}
    )
    fragment = response.content.decode()
    assert response.status_code == 200 and "<html" not in fragment
    assert "You agreed this step." in fragment
    assert f'id="step-status-{proposed.pk}" hx-swap-oob="true">Agreed<' in fragment


def test_agreeing_twice_says_so_and_changes_nothing(client, world, proposed):
    client.force_login(world.own.teacher)
    url = reverse("coaching:step_agree", args=[proposed.pk])
    client.post(url)
    first = _stored(proposed).agreed_on
    page = client.post(url, follow=True).content.decode()
    assert "This step is already agreed." in page
    assert _stored(proposed).agreed_on == first


def test_saying_not_now_needs_a_reason_and_the_coach_then_reads_it(client, world, proposed):
    client.force_login(world.own.teacher)
    url = reverse("coaching:step_not_now", args=[proposed.pk])
    assert "Why not now?" in client.get(url).content.decode()
    page = client.post(url, {"reason": ""}).content.decode()
    assert "Say why not now" in page and _stored(proposed).is_proposed
    response = client.post(url, {"reason": REASON}, follow=True)
    assert "You said not now." in response.content.decode()
    client.force_login(world.own.coach)
    page = client.get(reverse("coaching:coachee", args=[world.own.relationship.pk]))
    text = page.content.decode()
    assert "Teacher a1 said not now to" in text and REASON in text
    revise = (
        reverse("coaching:step_set", args=[world.own.relationship.pk]) + f"?revise={proposed.pk}"
    )
    assert revise in text
    form = client.get(revise).content.decode()
    assert "Cold call after wait time" in form and REASON in form


def test_the_coach_ticks_agreed_in_conversation_on_the_step_form(client, world):
    client.force_login(world.own.coach)
    url = reverse("coaching:step_set", args=[world.own.relationship.pk])
    response = client.post(
        url,
        {
            "previous_outcome": "moved_on",
            "title": "Cold call after wait time",
            "success_looks_like": "Every pupil answers at least once.",
            "agreed_in_conversation": "on",
        },
        follow=True,
    )
    assert "Action step set and agreed." in response.content.decode()
    with scopes_disabled():
        step = ActionStep.objects.get(relationship=world.own.relationship, closed_on=None)
    assert step.agreed_by == world.own.coach


def test_the_coach_records_agreement_from_the_step_card(client, world, proposed):
    client.force_login(world.own.coach)
    url = reverse("coaching:step_agreed_in_conversation", args=[proposed.pk])
    page = client.post(url, follow=True).content.decode()
    assert "Step recorded as agreed in your conversation." in page
    assert _stored(proposed).agreed_by == world.own.coach


def test_only_the_teacher_may_answer_and_another_schools_step_is_not_found(client, world, proposed):
    client.force_login(world.own.coach)
    assert client.post(reverse("coaching:step_agree", args=[proposed.pk])).status_code == 404
    client.force_login(world.own.teacher)
    other = world.other_trust_records.step
    assert client.post(reverse("coaching:step_agree", args=[other.pk])).status_code == 404
    assert client.get(reverse("coaching:step_not_now", args=[other.pk])).status_code == 404
    url = reverse("coaching:step_agreed_in_conversation", args=[proposed.pk])
    assert client.post(url).status_code == 404
    assert _stored(proposed).is_proposed


def test_the_coaching_lead_sees_a_proposed_step_as_proposed(client, world, proposed):
    client.force_login(world.people["coaching_lead"])
    page = client.get(reverse("coaching:lead_home", args=["a1"])).content.decode()
    assert "Cold call after wait time" in page and "(Proposed)" in page
