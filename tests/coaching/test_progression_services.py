"""Progression services: placing a teacher on a stage, and the steps a teacher proposes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coachloop.coaching.models import ActionStep, Stage, StageAssessment, StepProposal
from coachloop.coaching.services.progression import (
    stage_record,
    step_proposal_accept,
    step_proposal_discuss,
    step_proposal_submit,
    step_proposal_withdraw,
)
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope

pytestmark = pytest.mark.django_db


def _strand(world):
    return world.own.framework_step.strand


def _end(relationship):
    with scopes_disabled():
        relationship.finished_on = timezone.localdate()
        relationship.save(update_fields=["finished_on"])


def _verbs(target):
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(
                target_type=target._meta.label_lower, target_id=str(target.pk)
            )
            .order_by("pk")
            .values_list("verb", flat=True)
        )


# -- stages -------------------------------------------------------------------------------------


def test_a_teacher_places_themselves_on_a_strand_and_the_strand_is_kept_by_code_and_title(
    world, as_viewer
):
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        row = stage_record(
            viewer=viewer,
            teacher=world.own.teacher,
            strand=_strand(world),
            stage=Stage.COMPETENT,
            note="Calmer starts since half-term.",
        )
    assert (row.strand_code, row.strand_title) == ("BR", "Behaviour and routines")
    assert row.assessed_by == world.own.teacher
    assert row.assessed_on == timezone.localdate()
    assert _verbs(row) == ["stage.recorded"]


@pytest.mark.parametrize("stage", [0, 6, -1, 99])
def test_a_stage_outside_novice_to_expert_is_refused_and_nothing_is_stored(world, as_viewer, stage):
    viewer, scope = as_viewer(world.own.teacher)
    with scope, pytest.raises(ValidationError) as error:
        stage_record(viewer=viewer, teacher=world.own.teacher, strand=_strand(world), stage=stage)
    assert "stage" in error.value.message_dict
    with scopes_disabled():
        assert not StageAssessment.objects.exists()


def test_a_stage_cannot_be_recorded_for_a_future_date(world, as_viewer):
    viewer, scope = as_viewer(world.own.teacher)
    with scope, pytest.raises(ValidationError) as error:
        stage_record(
            viewer=viewer,
            teacher=world.own.teacher,
            strand=_strand(world),
            stage=Stage.NOVICE,
            assessed_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "assessed_on" in error.value.message_dict


def test_a_teacher_may_place_themselves_as_often_as_they_like_down_as_well_as_up(world, as_viewer):
    viewer, scope = as_viewer(world.own.teacher)
    today = timezone.localdate()
    with scope:
        for days_ago, stage in ((30, 3), (20, 2), (10, 4), (0, 4)):
            stage_record(
                viewer=viewer,
                teacher=world.own.teacher,
                strand=_strand(world),
                stage=stage,
                assessed_on=today - dt.timedelta(days=days_ago),
            )
        stages = list(StageAssessment.objects.values_list("stage", flat=True))
    assert stages == [3, 2, 4, 4]


def test_the_coach_of_running_coaching_may_place_the_teacher_and_is_recorded_as_assessor(
    world, as_viewer
):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        row = stage_record(
            viewer=viewer,
            teacher=world.own.teacher,
            strand=_strand(world),
            stage=Stage.PROFICIENT,
            relationship=world.own.relationship,
        )
    assert row.assessed_by == world.own.coach
    assert row.teacher == world.own.teacher


def test_a_coach_may_not_place_a_teacher_once_the_coaching_has_ended(world, as_viewer):
    _end(world.own.relationship)
    viewer, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(PermissionDenied):
        stage_record(
            viewer=viewer,
            teacher=world.own.teacher,
            strand=_strand(world),
            stage=Stage.COMPETENT,
            relationship=world.own.relationship,
        )


def test_nobody_else_may_place_a_teacher_even_naming_a_relationship(world, as_viewer):
    for persona in ("other_coach", "coaching_lead", "headteacher"):
        viewer, _scope = as_viewer(world.people[persona])
        with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
            stage_record(
                viewer=viewer,
                teacher=world.own.teacher,
                strand=_strand(world),
                stage=Stage.COMPETENT,
                relationship=world.own.relationship,
            )
        with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
            stage_record(viewer=viewer, teacher=world.own.teacher, strand=_strand(world), stage=3)


def test_a_coach_cannot_place_another_teacher_through_their_own_coaching(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(PermissionDenied):
        stage_record(
            viewer=viewer,
            teacher=world.people["headteacher"],
            strand=_strand(world),
            stage=Stage.COMPETENT,
            relationship=world.own.relationship,
        )


# -- proposals ----------------------------------------------------------------------------------


def _propose(world, as_viewer, **overrides):
    viewer, scope = as_viewer(world.own.teacher)
    data = {
        "title": "Cold-call after think-pair-share",
        "success_looks_like": "Every pair has an answer ready when I call on them.",
        "why": "The same hands go up in 9X2 every lesson.",
    }
    data.update(overrides)
    with scope:
        return step_proposal_submit(viewer=viewer, relationship=world.own.relationship, **data)


def test_a_teacher_proposes_their_next_step_and_it_waits_for_the_coach(world, as_viewer):
    proposal = _propose(world, as_viewer)
    assert proposal.status == StepProposal.Status.OPEN
    assert proposal.proposed_by == world.own.teacher
    assert _verbs(proposal) == ["step_proposal.submitted"]


def test_only_one_proposal_is_open_at_a_time_in_a_relationship(world, as_viewer):
    _propose(world, as_viewer)
    with pytest.raises(ValidationError, match="already have a step waiting"):
        _propose(world, as_viewer, title="Another one")
    with scopes_disabled():
        assert StepProposal.objects.count() == 1


def test_a_proposal_needs_a_step_and_what_success_looks_like(world, as_viewer):
    with pytest.raises(ValidationError) as error:
        _propose(world, as_viewer, title=" ", success_looks_like="")
    assert set(error.value.message_dict) == {"title", "success_looks_like"}


def test_a_coach_cannot_propose_a_step_for_the_teacher_and_an_ended_coaching_takes_none(
    world, as_viewer
):
    viewer, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(PermissionDenied):
        step_proposal_submit(
            viewer=viewer, relationship=world.own.relationship, title="x", success_looks_like="y"
        )
    _end(world.own.relationship)
    with pytest.raises(PermissionDenied):
        _propose(world, as_viewer)


def test_accepting_a_proposal_sets_it_as_the_current_step_proposed_by_the_teacher(world, as_viewer):
    proposal = _propose(world, as_viewer, framework_step=world.own.framework_step)
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        accepted = step_proposal_accept(
            viewer=viewer, proposal=proposal, previous_outcome=ActionStep.Outcome.EMBEDDED
        )
        step = ActionStep.objects.get(relationship=world.own.relationship, closed_on=None)
        previous = ActionStep.objects.get(pk=world.own.step.pk)
    assert accepted.status == StepProposal.Status.ACCEPTED
    assert accepted.action_step == step
    assert step.title == "Cold-call after think-pair-share"
    assert step.proposed_by == world.own.teacher
    assert step.framework_step == world.own.framework_step
    assert previous.outcome == ActionStep.Outcome.EMBEDDED
    assert _verbs(accepted) == ["step_proposal.submitted", "step_proposal.accepted"]
    # The teacher proposed it and the coach accepted it: agreed, with no tap to wait for.
    assert step.agreed_on is not None and step.agreed_by == world.own.coach
    assert _verbs(step) == ["action_step.set", "action_step.agreed"]


def test_accepting_needs_the_current_step_to_end_and_then_changes_nothing(world, as_viewer):
    proposal = _propose(world, as_viewer)
    viewer, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(ValidationError) as error:
        step_proposal_accept(viewer=viewer, proposal=proposal)
    assert "previous_outcome" in error.value.message_dict
    with scopes_disabled():
        proposal.refresh_from_db()
        assert proposal.status == StepProposal.Status.OPEN
        assert ActionStep.objects.filter(relationship=world.own.relationship).count() == 1


def test_a_coach_setting_a_step_themselves_is_still_its_proposer(world, as_viewer):
    from coachloop.coaching.services.steps import action_step_set

    viewer, scope = as_viewer(world.own.coach)
    with scope:
        step = action_step_set(
            viewer=viewer,
            relationship=world.own.relationship,
            title="Narrate the positive",
            success_looks_like="Most of the class back on task quickly.",
            previous_outcome=ActionStep.Outcome.MOVED_ON,
        )
    assert step.proposed_by == world.own.coach


def test_the_coach_marks_a_proposal_to_talk_about_with_a_reply(world, as_viewer):
    proposal = _propose(world, as_viewer)
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        answered = step_proposal_discuss(
            viewer=viewer, proposal=proposal, response="Let's look at 9X2's books together first."
        )
    assert answered.status == StepProposal.Status.TO_DISCUSS
    assert answered.response.startswith("Let's look")
    assert answered.responded_on == timezone.localdate()
    assert _verbs(answered)[-1] == "step_proposal.to_discuss"
    # The teacher may then propose again.
    assert _propose(world, as_viewer, title="Think-pair-share with a timer").status == "open"


def test_to_talk_about_needs_a_reply(world, as_viewer):
    proposal = _propose(world, as_viewer)
    viewer, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(ValidationError) as error:
        step_proposal_discuss(viewer=viewer, proposal=proposal, response="  ")
    assert "response" in error.value.message_dict


def test_the_teacher_withdraws_an_open_proposal_and_it_cannot_then_be_answered(world, as_viewer):
    proposal = _propose(world, as_viewer)
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        withdrawn = step_proposal_withdraw(viewer=viewer, proposal=proposal)
    assert withdrawn.status == StepProposal.Status.WITHDRAWN
    assert _verbs(withdrawn)[-1] == "step_proposal.withdrawn"
    coach, _scope = as_viewer(world.own.coach)
    with trust_scope(coach.trust):
        with pytest.raises(ValidationError, match="already been answered or withdrawn"):
            step_proposal_accept(
                viewer=coach, proposal=proposal, previous_outcome=ActionStep.Outcome.EMBEDDED
            )
        with pytest.raises(ValidationError):
            step_proposal_discuss(viewer=coach, proposal=proposal, response="Shall we talk?")
        with pytest.raises(ValidationError):
            step_proposal_withdraw(viewer=viewer, proposal=proposal)


def test_only_the_teacher_withdraws_and_only_the_active_coach_answers(world, as_viewer):
    proposal = _propose(world, as_viewer)
    coach, _scope = as_viewer(world.own.coach)
    with trust_scope(coach.trust), pytest.raises(PermissionDenied):
        step_proposal_withdraw(viewer=coach, proposal=proposal)
    for persona in ("other_coach", "coaching_lead", "teacher"):
        viewer, _scope = as_viewer(world.people[persona])
        with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
            step_proposal_accept(
                viewer=viewer, proposal=proposal, previous_outcome=ActionStep.Outcome.EMBEDDED
            )
        with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
            step_proposal_discuss(viewer=viewer, proposal=proposal, response="No")
    _end(world.own.relationship)
    with trust_scope(coach.trust), pytest.raises(PermissionDenied):
        step_proposal_accept(
            viewer=coach, proposal=proposal, previous_outcome=ActionStep.Outcome.EMBEDDED
        )
