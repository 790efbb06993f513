"""Writes for a school's coaching team, each by the school's coaching lead: assigning coaches
(warning past the school's caseload limit), coach training, rollout phases, coverage targets
and QA visits. One transaction and one audit event (or more) each; bad input is a
``ValidationError`` with a clear message, and nothing is saved.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coachloop.coaching.models import Relationship
from coachloop.coaching.services.relationships import relationship_check, relationship_start
from coachloop.common.audit import audit_record
from coachloop.common.text import text_problem
from coachloop.people.models import Membership, Role, StaffGroup, User
from coachloop.people.rules import check_runs_school
from coachloop.policy.queries import school_model
from coachloop.rollout.models import CoachTraining, CoverageTarget, QaVisit, RolloutPhase
from coachloop.rollout.queries.team import caseload as caseload_of
from coachloop.rollout.services.checks import coach_problem

MAX_TARGET_COACHES = 500
COURSE_LIMIT = CoachTraining._meta.get_field("course").max_length
DELIVERED_BY_LIMIT = CoachTraining._meta.get_field("delivered_by").max_length
NOTES_LIMIT = RolloutPhase._meta.get_field("notes").max_length
WENT_WELL_LIMIT = QaVisit._meta.get_field("went_well").max_length
DEVELOPMENT_LIMIT = QaVisit._meta.get_field("development_point").max_length


class OverCaseload(ValidationError):
    """The coach already has as many teachers as the school allows, or more: the lead must
    confirm before another is added."""

    def __init__(self, *, coach, school, caseload, limit):
        self.caseload = caseload
        self.limit = limit
        message = ngettext(
            "%(coach)s already coaches %(count)d teacher at %(school)s, and the school's "
            "limit is %(limit)d. Tick “Assign anyway” to give them one more.",
            "%(coach)s already coaches %(count)d teachers at %(school)s, and the school's "
            "limit is %(limit)d. Tick “Assign anyway” to give them one more.",
            caseload,
        ) % {"coach": coach, "count": caseload, "school": school, "limit": limit}
        super().__init__({"assign_anyway": message})


def _text(value):
    return (value or "").strip()


def _raise(problems):
    """Raise the problems found, by field; ``None`` means that field is fine."""
    found = {field: message for field, message in problems.items() if message}
    if found:
        raise ValidationError(found)


def _is_leader(person, school):
    """Whether ``person`` leads in the school: a head or coaching lead there, or a teacher in
    the leaders' staff group."""
    leads = Q(role__in=[Role.HEADTEACHER, Role.COACHING_LEAD]) | Q(
        role=Role.TEACHER, staff_group=StaffGroup.LEADER
    )
    return (
        Membership.objects.current()
        .filter(leads, trust_id=school.trust_id, school=school, user=person)
        .exists()
    )


def _check_leaders_follow_the_model(model, *, school, coach, teacher):
    """The school's coaching model may say leaders do not coach, or are not coached."""
    problems = {}
    if not model.leaders_coach and _is_leader(coach, school):
        problems["coach"] = _(
            "%(school)s's coaching model has leaders not coaching, and %(person)s is a leader."
        ) % {"school": school, "person": coach}
    if not model.leaders_are_coached and _is_leader(teacher, school):
        problems["teacher"] = _(
            "%(school)s's coaching model has leaders not being coached, and %(person)s is a leader."
        ) % {"school": school, "person": teacher}
    _raise(problems)


@transaction.atomic
def coach_assign(
    *,
    viewer,
    school,
    coach,
    teacher,
    started_on=None,
    over_limit_confirmed=False,
    kind=Relationship.Kind.INSTRUCTIONAL,
    **kind_fields,
):
    """Start a coach coaching a teacher in the school: instructional coaching, mentoring or
    specialist coaching (``kind``, with its own fields: see ``relationship_check``). At or
    past the school's caseload limit this needs ``over_limit_confirmed``; without it,
    ``OverCaseload`` is raised and nothing is saved."""
    check_runs_school(viewer, school)
    today = timezone.localdate()
    started_on = started_on or today
    problems = {}
    if teacher is None:
        problems["teacher"] = _("Choose a teacher.")
    if coach is None:
        problems["coach"] = (
            _("Choose a mentor.") if kind == Relationship.Kind.MENTORING else _("Choose a coach.")
        )
    if kind not in Relationship.Kind.values:
        problems["kind"] = _("Choose the kind of coaching.")
    if started_on > today:
        problems["started_on"] = _("Coaching can start today or on a date in the past.")
    _raise(problems)
    # One assignment to a coach at a time, so two leads cannot both slip under the limit.
    User.objects.select_for_update().filter(pk=coach.pk).first()
    relationship_check(
        school=school,
        coach=coach,
        teacher=teacher,
        kind=kind,
        started_on=started_on,
        **kind_fields,
    )
    model = school_model(school)
    _check_leaders_follow_the_model(model, school=school, coach=coach, teacher=teacher)
    limit = model.caseload_limit
    current = caseload_of(school=school, coach=coach)
    if current >= limit and not over_limit_confirmed:
        raise OverCaseload(coach=coach, school=school, caseload=current, limit=limit)
    try:
        with transaction.atomic():
            relationship = relationship_start(
                actor=viewer.user,
                school=school,
                coach=coach,
                teacher=teacher,
                started_on=started_on,
                kind=kind,
                **kind_fields,
            )
    except IntegrityError:  # the same pair, started a moment ago elsewhere
        raise ValidationError(
            {"teacher": _("This coach already coaches this teacher. End that first.")}
        ) from None
    if current >= limit:
        audit_record(
            actor=viewer.user,
            verb="relationship.started_over_caseload",
            target=relationship,
            subject=coach,
            summary=f"{current + 1} teachers, limit {limit}",
        )
    return relationship


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
