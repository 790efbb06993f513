"""Coach handover: the coaching lead gives a teacher a new coach, and the work carries on.

One service closes the old relationship (its current step closed as handed over, the former
coach reading, not writing, until the school's period is over) and opens the new one, whose
current step continues the old one. The new coach sees the earlier coaching's activity at
once; its content only once the teacher agrees (``earlier_content_consent_give``), which
the teacher may take back. The same agreement is asked of a teacher whose coaching started
any other way when they have content from before it began (``rules/relationships.py``).
"""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.coaching.models import ActionStep, Relationship
from coachloop.coaching.services.errors import locked_for
from coachloop.coaching.services.relationships import (
    Kind,
    close_period,
    relationship_check,
    relationship_end_problem,
)
from coachloop.common.audit import audit_record

CARRIED_FIELDS = (
    "kind",
    "induction_starts_on",
    "induction_ends_on",
    "cadence_days",
    "strand",
    "subject",
)


@transaction.atomic
def relationship_hand_over(*, viewer, relationship, coach, on=None):
    """Pass running coaching to ``coach``: returns the new relationship.

    ``on`` is the day of the handover (today unless given): the old relationship ends that
    day, and the new one starts it.
    """
    if not rules.test_rule("coaching.run_relationship", viewer, relationship):
        raise PermissionDenied
    on = on or timezone.localdate()
    old = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("school", "teacher", "coach", "strand")
        .get(pk=relationship.pk)
    )
    if old.kind == Kind.CO_COACHING:
        raise ValidationError(
            {
                "coach": _(
                    "Co-coaching is between two peers, so it is not handed over. End it and "
                    "start new coaching instead."
                )
            }
        )
    if coach is None:
        raise ValidationError({"coach": _("Choose the new coach.")})
    if coach.pk == old.coach_id:
        raise ValidationError(
            {
                "coach": _("%(person)s coaches this teacher already. Choose a new coach.")
                % {"person": coach}
            }
        )
    problem = relationship_end_problem(relationship=old, finished_on=on)
    if problem:
        raise ValidationError({"coach": problem})
    carried = {name: getattr(old, name) for name in CARRIED_FIELDS}
    relationship_check(
        school=old.school,
        coach=coach,
        teacher=old.teacher,
        started_on=on,
        # A handover replaces one relationship with another: the teacher has no more coaching
        # of this kind than before, so the one-of-a-kind rule has nothing to ask.
        keep_both=True,
        **carried,
    )
    current = ActionStep.objects.filter(relationship=old, closed_on__isnull=True).first()
    close_period(relationship=old, finished_on=on, step_outcome=ActionStep.Outcome.HANDED_OVER)
    try:
        with transaction.atomic():
            new = Relationship.objects.create(
                trust_id=old.trust_id,
                school=old.school,
                coach=coach,
                teacher=old.teacher,
                started_on=on,
                started_by=viewer.user,
                handed_over_from=old,
                **carried,
            )
    except IntegrityError:  # the same coach and teacher, started a moment ago elsewhere
        raise ValidationError(
            {"coach": _("This coach already coaches this teacher. End that first.")}
        ) from None
    if current is not None:
        ActionStep.objects.create(
            trust_id=new.trust_id,
            relationship=new,
            framework_step_id=current.framework_step_id,
            title=current.title,
            success_looks_like=current.success_looks_like,
            status=current.status,
            set_on=current.set_on,
            proposed_by_id=current.proposed_by_id,
            # Agreed stays agreed; a step still proposed waits for the teacher's answer.
            agreed_on=current.agreed_on,
            agreed_by_id=current.agreed_by_id,
            continues=current,
        )
    audit_record(
        actor=viewer.user,
        verb="relationship.handed_over",
        target=old,
        subject=old.teacher,
        summary=f"to {coach.full_name}, read until {old.coach_reads_until:%Y-%m-%d}",
    )
    audit_record(
        actor=viewer.user,
        verb="relationship.started",
        target=new,
        subject=new.teacher,
        summary=f"{new.kind}, handed over",
    )
    relationship.refresh_from_db()
    return new


@transaction.atomic
def earlier_content_consent_give(*, viewer, relationship):
    """The teacher lets the coach of this relationship read what was written before it began:
    their own earlier stages, goal notes and evidence, and the whole chain of coaching handed
    over to it. Agreeing twice changes nothing."""
    locked = locked_for("coaching.answer_earlier_content", viewer, relationship)
    if locked.earlier_content_consented_at is None:
        locked.earlier_content_consented_at = timezone.now()
        locked.save(update_fields=["earlier_content_consented_at"])
        audit_record(
            actor=viewer.user,
            verb="relationship.earlier_content_shared",
            target=locked,
            subject=locked.teacher,
            summary=f"with {locked.coach.full_name}",
        )
    relationship.earlier_content_consented_at = locked.earlier_content_consented_at
    return locked


@transaction.atomic
def earlier_content_consent_withdraw(*, viewer, relationship):
    """The teacher stops the coach reading what came before their coaching, from now."""
    locked = locked_for("coaching.answer_earlier_content", viewer, relationship)
    if locked.earlier_content_consented_at is not None:
        locked.earlier_content_consented_at = None
        locked.save(update_fields=["earlier_content_consented_at"])
        audit_record(
            actor=viewer.user,
            verb="relationship.earlier_content_withdrawn",
            target=locked,
            subject=locked.teacher,
            summary=f"from {locked.coach.full_name}",
        )
    relationship.earlier_content_consented_at = None
    return locked
