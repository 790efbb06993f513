"""The coaching loop's writes: drop-ins, action steps, rehearsals and follow-ups."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coachloop.coaching import services
from coachloop.coaching.models import ActionStep, DropIn, Rehearsal
from coachloop.common.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def record(viewer, relationship, **overrides):
    values = {
        "uuid": uuid.uuid4(),
        "visited_on": TODAY,
        "class_or_group": "10Y3",
        "minutes": 12,
        "strengths": "Clear routine for entry.",
        "noticed": "",
        "evidence": "",
        "followup": "emerging",
    }
    values.update(overrides)
    return services.dropin_record(viewer=viewer, relationship=relationship, **values)


def test_a_coach_records_a_drop_in_that_follows_up_the_current_step(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        dropin = record(viewer, world.own.relationship, followup="emerging")
        assert not dropin.is_draft
        assert dropin.followup_step == world.own.step
        assert AuditEvent.objects.filter(
            verb="dropin.recorded", target_id=str(dropin.pk), subject=world.own.teacher
        ).exists()


def test_a_drop_in_that_sees_the_step_as_habit_marks_it_embedded(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        record(viewer, world.own.relationship, followup="habit")
        world.own.step.refresh_from_db()
        assert world.own.step.status == ActionStep.Status.EMBEDDED


def test_posting_the_same_drop_in_twice_records_it_once(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        key = uuid.uuid4()
        first = record(viewer, world.own.relationship, uuid=key)
        again = record(viewer, world.own.relationship, uuid=key)
        assert first.pk == again.pk
        assert DropIn.objects.filter(uuid=key).count() == 1


def test_a_drop_in_dated_in_the_future_is_refused(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        before = DropIn.objects.count()
        with pytest.raises(ValidationError) as error:
            record(viewer, world.own.relationship, visited_on=TODAY + dt.timedelta(days=1))
        assert "future" in str(error.value)
        assert DropIn.objects.count() == before


def test_another_coach_cannot_record_a_drop_in_for_someone_elses_teacher(world, as_viewer):
    viewer, scope = as_viewer(world.people["other_coach"])
    with scope, pytest.raises(PermissionDenied):
        record(viewer, world.own.relationship)


def test_a_draft_is_kept_and_then_becomes_the_recorded_drop_in(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        key = uuid.uuid4()
        services.dropin_draft_save(
            viewer=viewer,
            relationship=world.own.relationship,
            uuid=key,
            fields={"strengths": "Warm welc"},
        )
        draft = DropIn.objects.get(uuid=key)
        assert draft.is_draft and draft.strengths == "Warm welc"
        record(viewer, world.own.relationship, uuid=key, strengths="Warm welcome at the door.")
        recorded = DropIn.objects.get(uuid=key)
        assert not recorded.is_draft and recorded.strengths == "Warm welcome at the door."


def test_setting_a_new_step_closes_the_current_one_with_its_outcome(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        new = services.action_step_set(
            viewer=viewer,
            relationship=world.own.relationship,
            title="Cold call after wait time",
            success_looks_like="Every pupil answers at least once.",
            previous_outcome="embedded",
        )
        old = ActionStep.objects.get(pk=world.own.step.pk)
        assert old.closed_on == TODAY and old.outcome == "embedded"
        assert new.status == ActionStep.Status.SET
        assert (
            ActionStep.objects.filter(
                relationship=world.own.relationship, closed_on__isnull=True
            ).get()
            == new
        )


def test_a_new_step_needs_the_outcome_of_the_current_one(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        with pytest.raises(ValidationError):
            services.action_step_set(
                viewer=viewer,
                relationship=world.own.relationship,
                title="Another",
                success_looks_like="Something visible.",
            )
        assert ActionStep.objects.filter(relationship=world.own.relationship).count() == 1


def test_returning_to_a_framework_step_marks_it_revisited(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        services.action_step_set(
            viewer=viewer,
            relationship=world.own.relationship,
            title="Something else",
            success_looks_like="Visible.",
            previous_outcome="embedded",
        )
        again = services.action_step_set(
            viewer=viewer,
            relationship=world.own.relationship,
            title=world.own.framework_step.title,
            success_looks_like="Visible again.",
            framework_step=world.own.framework_step,
            previous_outcome="moved_on",
        )
        assert again.status == ActionStep.Status.REVISITED


def test_the_database_allows_only_one_current_step_per_relationship(world, as_viewer):
    _viewer, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(IntegrityError), transaction.atomic():
        ActionStep.objects.create(
            trust=world.trust,
            relationship=world.own.relationship,
            title="Second",
            success_looks_like="x",
            set_on=TODAY,
            proposed_by=world.own.coach,
        )


def test_planning_a_rehearsal_moves_a_set_step_to_practising_and_logging_keeps_it(world, as_viewer):
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        step = world.own.step
        step.status = ActionStep.Status.SET
        step.save()
        rehearsal = services.rehearsal_plan(
            viewer=viewer,
            action_step=step,
            planned_for=TODAY,
            mode="alone",
            plan="Run the signal five times.",
        )
        step.refresh_from_db()
        assert step.status == ActionStep.Status.PRACTISING
        services.rehearsal_log(
            viewer=viewer,
            rehearsal=rehearsal,
            done_on=TODAY,
            how_it_went="Smoother by the third go.",
        )
        assert Rehearsal.objects.get(pk=rehearsal.pk).done_on == TODAY


def test_two_edits_of_the_same_drop_in_never_overwrite_silently(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        dropin = world.own.dropin
        opened_version = dropin.version
        services.dropin_update(
            viewer=viewer, dropin=dropin, expected_version=opened_version, strengths="Phone version"
        )
        with pytest.raises(services.EditConflict) as conflict:
            services.dropin_update(
                viewer=viewer,
                dropin=dropin,
                expected_version=opened_version,
                strengths="Laptop version",
            )
        assert conflict.value.current.strengths == "Phone version"
        assert DropIn.objects.get(pk=dropin.pk).strengths == "Phone version"


def test_a_finished_relationship_cannot_be_written_to(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        services.relationship_end(actor=world.own.coach, relationship=world.own.relationship)
        with pytest.raises(PermissionDenied):
            record(viewer, world.own.relationship)
        with pytest.raises(ValidationError):
            services.relationship_end(actor=world.own.coach, relationship=world.own.relationship)
