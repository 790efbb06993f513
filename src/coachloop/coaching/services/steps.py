"""Action steps and their rehearsals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.coaching.models import ActionStep, Rehearsal
from coachloop.coaching.models.loop import NOT_NOW_LIMIT
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
    agreed_in_conversation=False,
):
    """Set the teacher's one current step, closing the one before with its outcome.

    ``proposed_by`` is who proposed it (the teacher, when the coach accepts their own
    proposal); by default the person setting it. A step the coach proposes waits for the
    teacher to agree, unless the coach records that they agreed it in conversation
    (``agreed_in_conversation``); the teacher's own proposal is agreed once the coach accepts
    it. A current step not yet agreed is replaced, with no outcome to give."""
    relationship = locked_for("coaching.write_content", viewer, relationship)
    today = timezone.localdate()
    previous = ActionStep.objects.filter(relationship=relationship, closed_on__isnull=True).first()
    if previous is not None and previous.agreed_on is None:
        previous.closed_on = today
        previous.outcome = ActionStep.Outcome.REPLACED
        previous.save(update_fields=["closed_on", "outcome"])
    elif previous is not None:
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
    by_teacher = step.proposed_by_id == relationship.teacher_id
    audit_record(
        actor=viewer.user, verb="action_step.set", target=step, subject=relationship.teacher
    )
    if by_teacher or agreed_in_conversation:
        _agree(viewer, step, in_conversation=not by_teacher)
    return step


def _agree(viewer, step, *, in_conversation):
    step.agreed_on = timezone.now()
    step.agreed_by = viewer.user
    step.save(update_fields=["agreed_on", "agreed_by"])
    audit_record(
        actor=viewer.user,
        verb="action_step.agreed",
        target=step,
        subject=step.relationship.teacher,
        summary="in conversation" if in_conversation else "",
    )


def _proposed_step(rule, viewer, step):
    """The step as stored now, its relationship held and ``rule`` checked, if it still waits
    for an answer; otherwise a clear error saying why not."""
    relationship = locked_for(rule, viewer, step.relationship)
    stored = ActionStep.objects.select_related("relationship").get(pk=step.pk)
    stored.relationship = relationship
    if stored.agreed_on is not None:
        raise ValidationError(_("This step is already agreed."))
    if stored.closed_on is not None:
        if stored.outcome == ActionStep.Outcome.NOT_NOW:
            raise ValidationError(_("This step has already been answered: not now."))
        raise ValidationError(_("This step is closed; it can no longer be agreed."))
    return stored


@transaction.atomic
def action_step_agree(*, viewer, step):
    """The teacher agrees to the step their coach proposed."""
    stored = _proposed_step("coaching.answer_step", viewer, step)
    _agree(viewer, stored, in_conversation=False)
    return stored


@transaction.atomic
def action_step_agreed_in_conversation(*, viewer, step):
    """The coach records that they and the teacher agreed the step when they talked."""
    stored = _proposed_step("coaching.record_step_agreed", viewer, step)
    _agree(viewer, stored, in_conversation=True)
    return stored


@transaction.atomic
def action_step_not_now(*, viewer, step, reason):
    """The teacher says "not now" to a proposed step, and why. The step closes (it is not
    the teacher's to work on); the coach reads the reason and proposes another."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why not now, so your coach can suggest another.")})
    if len(reason) > NOT_NOW_LIMIT:
        raise ValidationError(
            {
                "reason": _("Keep the reason to %(limit)s characters or fewer.")
                % {"limit": NOT_NOW_LIMIT}
            }
        )
    stored = _proposed_step("coaching.answer_step", viewer, step)
    stored.closed_on = timezone.localdate()
    stored.outcome = ActionStep.Outcome.NOT_NOW
    stored.not_now_reason = reason
    stored.save(update_fields=["closed_on", "outcome", "not_now_reason"])
    audit_record(
        actor=viewer.user,
        verb="action_step.not_now",
        target=stored,
        subject=stored.relationship.teacher,
    )
    return stored


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
