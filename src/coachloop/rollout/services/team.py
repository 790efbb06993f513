"""Writes for a school's coaching team, each by the school's coaching lead: coach training,
rollout phases, coverage targets and QA visits. (Assigning a coach is coaching's:
``coaching.services.relationships.coach_assign``.) One transaction and one audit event each;
bad input is a ``ValidationError`` with a clear message, and nothing is saved.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.common.text import text_problem
from coachloop.people.rules import check_runs_school
from coachloop.rollout.models import CoachTraining, CoverageTarget, QaVisit, RolloutPhase
from coachloop.rollout.services.checks import coach_problem

MAX_TARGET_COACHES = 500
COURSE_LIMIT = CoachTraining._meta.get_field("course").max_length
DELIVERED_BY_LIMIT = CoachTraining._meta.get_field("delivered_by").max_length
NOTES_LIMIT = RolloutPhase._meta.get_field("notes").max_length
WENT_WELL_LIMIT = QaVisit._meta.get_field("went_well").max_length
DEVELOPMENT_LIMIT = QaVisit._meta.get_field("development_point").max_length


def _text(value):
    return (value or "").strip()


def _raise(problems):
    """Raise the problems found, by field; ``None`` means that field is fine."""
    found = {field: message for field, message in problems.items() if message}
    if found:
        raise ValidationError(found)


@transaction.atomic
def coach_training_record(*, viewer, school, coach, course, completed_on, delivered_by):
    """A course a coach in the school completed: what, when, and who ran it."""
    check_runs_school(viewer, school)
    today = timezone.localdate()
    course, delivered_by = _text(course), _text(delivered_by)
    problems = {
        "coach": coach_problem(coach, school, on=today),
        "course": text_problem(
            course,
            limit=COURSE_LIMIT,
            missing=_("Enter the name of the course."),
            too_long=_("Keep the name of the course to %(n)d characters or fewer."),
        ),
        "delivered_by": text_problem(
            delivered_by,
            limit=DELIVERED_BY_LIMIT,
            missing=_("Say who ran the course."),
            too_long=_("Keep who ran the course to %(n)d characters or fewer."),
        ),
    }
    if completed_on is None:
        problems["completed_on"] = _("Enter the date the course was completed.")
    elif completed_on > today:
        problems["completed_on"] = _("The date the course was completed cannot be in the future.")
    _raise(problems)
    training = CoachTraining.objects.create(
        trust_id=school.trust_id,
        coach=coach,
        course=course,
        completed_on=completed_on,
        delivered_by=delivered_by,
        recorded_by=viewer.user,
    )
    audit_record(actor=viewer.user, verb="coach_training.recorded", target=training, subject=coach)
    return training


@transaction.atomic
def rollout_phase_add(*, viewer, school, kind, starts_on, ends_on=None, notes=""):
    """A phase of the school's rollout, with its dates (the end may be left open)."""
    check_runs_school(viewer, school)
    notes = _text(notes)
    problems = {}
    if kind not in RolloutPhase.Kind.values:
        problems["kind"] = _("Choose which phase this is.")
    if starts_on is None:
        problems["starts_on"] = _("Enter the date the phase starts.")
    elif ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = _("A phase cannot end before it starts.")
    if len(notes) > NOTES_LIMIT:
        problems["notes"] = _("Keep the notes to %(n)d characters or fewer.") % {"n": NOTES_LIMIT}
    _raise(problems)
    phase = RolloutPhase.objects.create(
        trust_id=school.trust_id,
        school=school,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
    )
    audit_record(actor=viewer.user, verb="rollout_phase.added", target=phase)
    return phase


@transaction.atomic
def coverage_target_set(*, viewer, school, trained_coaches, coached_percent, due_by):
    """Where the school means to be by a date: trained coaches, and the share of teachers
    with a coach. The date cannot be in the past."""
    check_runs_school(viewer, school)
    today = timezone.localdate()
    problems = {}
    if trained_coaches is None:
        problems["trained_coaches"] = _("Enter the number of trained coaches.")
    elif trained_coaches < 0:
        problems["trained_coaches"] = _("The number of trained coaches cannot be negative.")
    elif trained_coaches > MAX_TARGET_COACHES:
        problems["trained_coaches"] = _("Enter %(n)d trained coaches or fewer.") % {
            "n": MAX_TARGET_COACHES
        }
    if coached_percent is None:
        problems["coached_percent"] = _("Enter the percentage of teachers with a coach.")
    elif not 0 <= coached_percent <= 100:
        problems["coached_percent"] = _(
            "Enter a percentage of teachers with a coach from 0 to 100."
        )
    if due_by is None:
        problems["due_by"] = _("Enter the date the target is for.")
    elif due_by < today:
        problems["due_by"] = _("The date of a target cannot be in the past.")
    if not problems and trained_coaches == 0 and coached_percent == 0:
        problems["trained_coaches"] = _("Set at least one of the two numbers above 0.")
    _raise(problems)
    target = CoverageTarget.objects.create(
        trust_id=school.trust_id,
        school=school,
        trained_coaches=trained_coaches,
        coached_percent=coached_percent,
        due_by=due_by,
        set_by=viewer.user,
    )
    audit_record(
        actor=viewer.user,
        verb="coverage_target.set",
        target=target,
        summary=f"{trained_coaches} coaches, {coached_percent}% by {due_by:%Y-%m-%d}",
    )
    return target


@transaction.atomic
def qa_visit_record(*, viewer, school, coach, visited_on, went_well, development_point):
    """The lead sat in on a coach's coaching conversation: what went well, and one point for
    the coach to develop. Only the coach and the school's coaching leads will see it."""
    check_runs_school(viewer, school)
    today = timezone.localdate()
    went_well, development_point = _text(went_well), _text(development_point)
    problems = {}
    if coach is None:
        problems["coach"] = _("Choose the coach you visited.")
    elif coach.pk == viewer.pk:
        problems["coach"] = _("A QA visit is to another coach's coaching, not your own.")
    else:
        problems["coach"] = coach_problem(coach, school, on=today)
    if visited_on is None:
        problems["visited_on"] = _("Enter the date of the visit.")
    elif visited_on > today:
        problems["visited_on"] = _("The date of the visit cannot be in the future.")
    problems["went_well"] = text_problem(
        went_well,
        limit=WENT_WELL_LIMIT,
        missing=_("Say what went well."),
        too_long=_("Keep what went well to %(n)d characters or fewer."),
    )
    problems["development_point"] = text_problem(
        development_point,
        limit=DEVELOPMENT_LIMIT,
        missing=_("Give the coach one point to develop."),
        too_long=_("Keep the point to develop to %(n)d characters or fewer."),
    )
    _raise(problems)
    visit = QaVisit.objects.create(
        trust_id=school.trust_id,
        school=school,
        coach=coach,
        visited_by=viewer.user,
        visited_on=visited_on,
        went_well=went_well,
        development_point=development_point,
    )
    audit_record(actor=viewer.user, verb="qa_visit.recorded", target=visit, subject=coach)
    return visit
