"""Starting and ending coaching: periods that are closed, never rewritten."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coachloop.coaching.models import ActionStep, Relationship
from coachloop.common.audit import audit_record
from coachloop.people.models import Membership, Role


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


def relationship_end_problem(*, relationship, finished_on):
    """Why the period cannot end on that date, or ``None``."""
    if relationship.finished_on is not None:
        return _("This coaching has already ended. Start a new period instead.")
    if finished_on < relationship.started_on:
        return _("Coaching cannot end before it started.")
    if finished_on > timezone.localdate():
        return _("Coaching can only be ended today or on a past date.")
    last_visit = (
        relationship.dropins.filter(is_draft=False)
        .order_by("-visited_on")
        .values_list("visited_on", flat=True)
        .first()
    )
    if last_visit and finished_on < last_visit:
        return _("There is a drop-in on %(date)s: end the coaching on that day or later.") % {
            "date": date_format(last_visit, "j F Y")
        }
    return None


@transaction.atomic
def relationship_end(*, actor, relationship, finished_on=None):
    """Close the period and its current step. A new period starts; this one never reopens."""
    finished_on = finished_on or timezone.localdate()
    stored = Relationship.objects.select_for_update().get(pk=relationship.pk)
    problem = relationship_end_problem(relationship=stored, finished_on=finished_on)
    if problem:
        raise ValidationError({"finished_on": problem})
    ActionStep.objects.filter(relationship=stored, closed_on__isnull=True).update(
        closed_on=Greatest(F("set_on"), Value(finished_on)),
        outcome=ActionStep.Outcome.COACHING_ENDED,
    )
    relationship.finished_on = finished_on
    relationship.save(update_fields=["finished_on"])
    audit_record(
        actor=actor, verb="relationship.ended", target=relationship, subject=relationship.teacher
    )
    return relationship
