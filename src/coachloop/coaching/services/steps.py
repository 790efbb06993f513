"""Action steps and their rehearsals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.coaching.models import ActionStep, Rehearsal
from coachloop.coaching.services.errors import locked_for
from coachloop.common.audit import audit_record

HOW_A_STEP_CAN_END = (ActionStep.Outcome.EMBEDDED, ActionStep.Outcome.MOVED_ON)


@transaction.atomic
def action_step_set(
    *,
    viewer,
    relationship,
    title,
    success_looks_like,
    framework_step=None,
    previous_outcome="",
    proposed_by=None,
):
    """Set the teacher's one current step, closing the one before with its outcome.

    ``proposed_by`` is who proposed it (the teacher, when the coach accepts their own
    proposal); by default the person setting it."""
    relationship = locked_for("coaching.write_content", viewer, relationship)
    today = timezone.localdate()
    previous = ActionStep.objects.filter(relationship=relationship, closed_on__isnull=True).first()
    if previous is not None:
        if previous_outcome not in HOW_A_STEP_CAN_END:
            raise ValidationError(
                {"previous_outcome": _("Say how the current step ended before setting a new one.")}
            )
        previous.closed_on = today
        previous.outcome = previous_outcome
        if previous_outcome == ActionStep.Outcome.EMBEDDED:
            previous.status = ActionStep.Status.EMBEDDED
        previous.save(update_fields=["closed_on", "outcome", "status"])
    returning = (
        framework_step is not None
        and relationship.action_steps.filter(framework_step=framework_step).exists()
    )
    step = ActionStep.objects.create(
        trust_id=relationship.trust_id,
        relationship=relationship,
        framework_step=framework_step,
        title=title,
        success_looks_like=success_looks_like,
        status=ActionStep.Status.REVISITED if returning else ActionStep.Status.SET,
        set_on=today,
        proposed_by=proposed_by or viewer.user,
    )
    audit_record(
        actor=viewer.user, verb="action_step.set", target=step, subject=relationship.teacher
    )
    return step


@transaction.atomic
def action_step_status_set(*, viewer, step, status):
    """Practising or embedded, either way round: a coach who marked it too soon can say so."""
    locked_for("coaching.write_content", viewer, step.relationship)
    stored = ActionStep.objects.get(pk=step.pk)
    if stored.closed_on is not None:
        raise ValidationError(_("This step is closed; set a new step instead."))
    if status not in (ActionStep.Status.PRACTISING, ActionStep.Status.EMBEDDED):
        raise ValidationError({"status": _("Choose practising or embedded.")})
    step.status = status
    step.save(update_fields=["status"])
    audit_record(
        actor=viewer.user,
        verb="action_step.status_changed",
        target=step,
        subject=step.relationship.teacher,
        summary=status,
    )
    return step


@transaction.atomic
def rehearsal_plan(*, viewer, action_step, planned_for, mode, plan):
    locked_for("coaching.plan_rehearsal", viewer, action_step.relationship)
    if ActionStep.objects.get(pk=action_step.pk).closed_on is not None:
        raise ValidationError(_("This step is closed; plan practice for the current step."))
    if planned_for < action_step.set_on:
        raise ValidationError({"planned_for": _("Plan practice for after the step was set.")})
    rehearsal = Rehearsal.objects.create(
        trust_id=action_step.trust_id,
        action_step=action_step,
        planned_for=planned_for,
        mode=mode,
        plan=plan,
        planned_by=viewer.user,
    )
    # Only a step still at "agreed" moves on; a status someone set meanwhile is left alone.
    ActionStep.objects.filter(pk=action_step.pk, status=ActionStep.Status.SET).update(
        status=ActionStep.Status.PRACTISING
    )
    action_step.refresh_from_db(fields=["status"])
    audit_record(
        actor=viewer.user,
        verb="rehearsal.planned",
        target=rehearsal,
        subject=action_step.relationship.teacher,
    )
    return rehearsal


@transaction.atomic
def rehearsal_log(*, viewer, rehearsal, done_on, how_it_went):
    """Say how a planned rehearsal went, once: a log is never silently written over."""
    step = rehearsal.action_step
    locked_for("coaching.plan_rehearsal", viewer, step.relationship)
    stored = Rehearsal.objects.select_related("action_step").get(pk=rehearsal.pk)
    if stored.done_on is not None:
        raise ValidationError(_("This rehearsal has already been logged."))
    if stored.action_step.closed_on is not None:
        raise ValidationError(_("This step is closed; log practice of the current step."))
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Practice cannot be logged for a future date.")})
    if done_on < step.set_on:
        raise ValidationError({"done_on": _("That date is before the step was set.")})
    rehearsal.done_on = done_on
    rehearsal.how_it_went = how_it_went
    rehearsal.save(update_fields=["done_on", "how_it_went"])
    audit_record(
        actor=viewer.user,
        verb="rehearsal.logged",
        target=rehearsal,
        subject=step.relationship.teacher,
    )
    return rehearsal
