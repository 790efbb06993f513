"""Every write to coaching records: one function, one transaction, one audit event each."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.coaching.models import ActionStep, DropIn, Rehearsal, Relationship
from coachloop.common.audit import audit_record
from coachloop.people.models import Membership, Role

DROPIN_FIELDS = (
    "visited_on",
    "class_or_group",
    "minutes",
    "strengths",
    "noticed",
    "evidence",
    "followup",
)


class EditConflict(Exception):
    """Someone else saved the record after this edit began."""

    def __init__(self, current):
        super().__init__("The record changed since it was opened.")
        self.current = current


def _require(rule, viewer, relationship):
    if not rules.test_rule(rule, viewer, relationship):
        raise PermissionDenied


def _check_visit_date(visited_on, relationship):
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("The date of the visit cannot be in the future.")})
    if visited_on < relationship.started_on:
        raise ValidationError(
            {"visited_on": _("The date of the visit is before this coaching began.")}
        )


def _holds(person, role, school, on):
    return Membership.objects.current(on).filter(user=person, role=role, school=school).exists()


def relationship_check(*, school, coach, teacher, kind, started_on):
    """Why this coach cannot start coaching this teacher, as a ValidationError, or nothing."""
    problems = {}
    if coach is not None and coach == teacher:
        problems["coach"] = _("A coach cannot coach themselves.")
    elif coach is not None and not _holds(coach, Role.COACH, school, started_on):
        problems["coach"] = _("%(person)s is not a coach at %(school)s on that date.") % {
            "person": coach,
            "school": school,
        }
    if teacher is not None and not _holds(teacher, Role.TEACHER, school, started_on):
        problems["teacher"] = _("%(person)s is not a teacher at %(school)s on that date.") % {
            "person": teacher,
            "school": school,
        }
    already = Relationship.objects.filter(
        coach=coach, teacher=teacher, kind=kind, finished_on__isnull=True
    )
    if not problems and already.exists():
        problems["teacher"] = _("This coach already coaches this teacher. End that first.")
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def relationship_start(*, actor, school, coach, teacher, started_on=None, kind=None):
    kind = kind or Relationship.Kind.INSTRUCTIONAL
    started_on = started_on or timezone.localdate()
    relationship_check(
        school=school, coach=coach, teacher=teacher, kind=kind, started_on=started_on
    )
    relationship = Relationship.objects.create(
        trust_id=school.trust_id,
        school=school,
        coach=coach,
        teacher=teacher,
        kind=kind,
        started_on=started_on,
    )
    audit_record(actor=actor, verb="relationship.started", target=relationship, subject=teacher)
    return relationship


@transaction.atomic
def relationship_end(*, actor, relationship, finished_on=None):
    """Close the period. It is never reopened: a new period starts instead."""
    finished_on = finished_on or timezone.localdate()
    stored = Relationship.objects.select_for_update().get(pk=relationship.pk)
    if stored.finished_on is not None:
        raise ValidationError(
            {"finished_on": _("This coaching has already ended. Start a new period instead.")}
        )
    if finished_on < relationship.started_on:
        raise ValidationError({"finished_on": _("Coaching cannot end before it started.")})
    relationship.finished_on = finished_on
    relationship.save(update_fields=["finished_on"])
    audit_record(
        actor=actor, verb="relationship.ended", target=relationship, subject=relationship.teacher
    )
    return relationship


def _current_step(relationship):
    return (
        ActionStep.objects.select_for_update()
        .filter(relationship=relationship, closed_on__isnull=True)
        .first()
    )


@transaction.atomic
def dropin_draft_save(*, viewer, relationship, uuid, fields):
    """Keep what the coach has typed so far. Lenient: a draft may be half-finished."""
    _require("coaching.write_content", viewer, relationship)
    dropin = DropIn.objects.filter(uuid=uuid).first()
    if dropin is not None and (dropin.relationship_id != relationship.pk or not dropin.is_draft):
        return dropin  # already recorded (or someone else's id): a draft never overwrites
    values = {key: fields[key] for key in DROPIN_FIELDS if key in fields}
    if dropin is None:
        dropin = DropIn(
            uuid=uuid,
            trust_id=relationship.trust_id,
            relationship=relationship,
            is_draft=True,
            visited_on=timezone.localdate(),
            class_or_group="",
            minutes=0,
            strengths="",
        )
    for key, value in values.items():
        setattr(dropin, key, value)
    dropin.save()
    return dropin


@transaction.atomic
def dropin_record(
    *,
    viewer,
    relationship,
    uuid,
    visited_on,
    class_or_group,
    minutes,
    strengths,
    noticed="",
    evidence="",
    followup="",
):
    """Record a drop-in. Posting the same ``uuid`` twice (an offline retry) records it once."""
    _require("coaching.write_content", viewer, relationship)
    _check_visit_date(visited_on, relationship)
    dropin = DropIn.objects.select_for_update().filter(uuid=uuid).first()
    if dropin is not None and not dropin.is_draft:
        if dropin.relationship_id != relationship.pk:
            raise PermissionDenied
        return dropin
    if dropin is not None and dropin.relationship_id != relationship.pk:
        raise PermissionDenied
    step = _current_step(relationship)
    dropin = dropin or DropIn(uuid=uuid, trust_id=relationship.trust_id, relationship=relationship)
    dropin.visited_on = visited_on
    dropin.class_or_group = class_or_group
    dropin.minutes = minutes
    dropin.strengths = strengths
    dropin.noticed = noticed
    dropin.evidence = evidence
    dropin.followup_step = step
    dropin.followup = followup if step else ""
    dropin.is_draft = False
    dropin.save()
    if step and followup == DropIn.FollowUp.HABIT and step.status != ActionStep.Status.EMBEDDED:
        step.status = ActionStep.Status.EMBEDDED
        step.save(update_fields=["status"])
    audit_record(
        actor=viewer.user, verb="dropin.recorded", target=dropin, subject=relationship.teacher
    )
    return dropin


@transaction.atomic
def dropin_update(*, viewer, dropin, expected_version, **fields):
    """Change a recorded drop-in, unless someone saved it since ``expected_version``."""
    _require("coaching.write_content", viewer, dropin.relationship)
    if "visited_on" in fields:
        _check_visit_date(fields["visited_on"], dropin.relationship)
    values = {key: fields[key] for key in DROPIN_FIELDS if key in fields}
    changed = DropIn.objects.filter(pk=dropin.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if not changed:
        raise EditConflict(DropIn.objects.get(pk=dropin.pk))
    dropin.refresh_from_db()
    audit_record(
        actor=viewer.user, verb="dropin.edited", target=dropin, subject=dropin.relationship.teacher
    )
    return dropin


@transaction.atomic
def action_step_set(
    *, viewer, relationship, title, success_looks_like, framework_step=None, previous_outcome=""
):
    """Set the teacher's one current step, closing the one before with its outcome."""
    _require("coaching.write_content", viewer, relationship)
    today = timezone.localdate()
    previous = _current_step(relationship)
    if previous is not None:
        if previous_outcome not in ActionStep.Outcome.values:
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
        proposed_by=viewer.user,
    )
    audit_record(
        actor=viewer.user, verb="action_step.set", target=step, subject=relationship.teacher
    )
    return step


@transaction.atomic
def action_step_status_set(*, viewer, step, status):
    _require("coaching.write_content", viewer, step.relationship)
    if step.closed_on is not None:
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
    _require("coaching.plan_rehearsal", viewer, action_step.relationship)
    if action_step.closed_on is not None:
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
    if action_step.status == ActionStep.Status.SET:
        action_step.status = ActionStep.Status.PRACTISING
        action_step.save(update_fields=["status"])
    audit_record(
        actor=viewer.user,
        verb="rehearsal.planned",
        target=rehearsal,
        subject=action_step.relationship.teacher,
    )
    return rehearsal


@transaction.atomic
def rehearsal_log(*, viewer, rehearsal, done_on, how_it_went):
    _require("coaching.plan_rehearsal", viewer, rehearsal.action_step.relationship)
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Practice cannot be logged for a future date.")})
    if done_on < rehearsal.action_step.set_on:
        raise ValidationError({"done_on": _("That date is before the step was set.")})
    rehearsal.done_on = done_on
    rehearsal.how_it_went = how_it_went
    rehearsal.save(update_fields=["done_on", "how_it_went"])
    audit_record(
        actor=viewer.user,
        verb="rehearsal.logged",
        target=rehearsal,
        subject=rehearsal.action_step.relationship.teacher,
    )
    return rehearsal
