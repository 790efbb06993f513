"""Demo rows for kinds of coaching and handover, in the demo trust's first school.

The demo coach mentors an early-career teacher (with an induction period and a fortnightly
rhythm of its own); another coach gives a teacher specialist coaching on one strand of the
framework; two teachers co-coach each other, each with a drop-in and a step set for the
other; and one teacher's coaching passes to the demo coach today, the teacher having agreed
that the new coach may read the earlier notes.

Everything is written through the services, as the people involved would write it; only the
dates a service sets to today are moved back afterwards, so the history reads naturally (each
relationship of the demo is recorded on the day it started, as if the history had been kept
as it happened). The same seed and ``today`` give the same rows, whatever the size of the
demo.
"""

import datetime as dt
import uuid

from django.db.models import DateTimeField, F
from django.db.models.functions import Cast
from django.utils import timezone

from coachloop.coaching.models import ActionStep, Relationship
from coachloop.coaching.services import handover as handover_services
from coachloop.coaching.services.dropins import dropin_record
from coachloop.coaching.services.relationships import co_coaching_start, coach_assign
from coachloop.coaching.services.steps import action_step_set
from coachloop.demo.accounts import key_email
from coachloop.demo.calendar import is_school_day
from coachloop.demo.coaching.sentences import EVIDENCE, NOTICED, STRENGTHS
from coachloop.people.models import Membership, Role, School, StaffGroup, User
from coachloop.people.queries import viewer_for
from coachloop.policy.queries import steps_for_school

MENTORING_DAYS = 14
FALLBACK_STEP = (  # for a trust with no framework loaded
    "Plan the first five minutes of each lesson",
    "Pupils come in to a task on the board and are all working within two minutes.",
)
SUBJECT_NOTE = {  # by the school's phase
    School.Phase.PRIMARY: "Early reading: phonics in small groups",
    School.Phase.SECONDARY: "Reading in every subject: teaching the vocabulary of the subject",
}


def _school_days_back(today, count):
    """``count`` school days before today, oldest first, spread about a week apart."""
    days, day = [], today
    while len(days) < count:
        day -= dt.timedelta(days=7)
        probe = day
        while not is_school_day(probe):
            probe -= dt.timedelta(days=1)
        days.append(probe)
    return sorted(days)


# The classes a visit may be to, by the phase of the relationship's school.
VISITED = {
    School.Phase.PRIMARY: ("Year 4 Oak", "Year 2", "Year 6 reading group"),
    School.Phase.SECONDARY: ("7B", "8C", "10 set 2"),
}


def _visit(viewer, relationship, on, rng, *, followup=""):
    classes = VISITED.get(relationship.school.phase, VISITED[School.Phase.SECONDARY])
    return dropin_record(
        viewer=viewer,
        relationship=relationship,
        uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
        visited_on=on,
        class_or_group=rng.choice(classes),
        minutes=rng.randint(8, 20),
        strengths=rng.choice(STRENGTHS),
        noticed=rng.choice(NOTICED),
        evidence=rng.choice(EVIDENCE),
        followup=followup,
    )


def _step(viewer, relationship, *, set_on, framework_step=None):
    """A first step for the relationship, from the framework where there is one, dated
    ``set_on`` (the service dates it today)."""
    title, success = FALLBACK_STEP
    if framework_step is not None:
        title, success = framework_step.title, framework_step.looks_like
    step = action_step_set(
        viewer=viewer,
        relationship=relationship,
        title=title,
        success_looks_like=success,
        framework_step=framework_step,
        agreed_in_conversation=True,
    )
    agreed_on = dt.datetime.combine(set_on, dt.time(15, 30), tzinfo=timezone.get_default_timezone())
    ActionStep.objects.filter(pk=step.pk).update(set_on=set_on, agreed_on=agreed_on)
    step.set_on = set_on
    step.agreed_on = agreed_on
    return step


def demo_relationships(trust, today, rng):
    """Add mentoring, specialist coaching, a co-coaching pair and a handover to the first
    school of the demo trust. Runs inside the trust's scope, after the rest of the demo.

    A school too small for a part (one coach, few teachers) goes without it."""
    school = School.objects.filter(trust=trust).order_by("pk").first()
    current = Membership.objects.current(today).filter(school=school)
    lead = User.objects.get(pk=current.filter(role=Role.COACHING_LEAD).order_by("pk")[0].user_id)
    key_coach = User.objects.get(email=key_email(trust.slug, "coach"))
    key_teacher = User.objects.get(email=key_email(trust.slug, "teacher"))
    coach_ids = list(
        current.filter(role=Role.COACH).order_by("user_id").values_list("user_id", flat=True)
    )
    others = [pk for pk in coach_ids if pk != key_coach.pk]
    other_coach = User.objects.get(pk=others[0]) if others else None
    running = list(
        Relationship.objects.filter(school=school, finished_on__isnull=True)
        .order_by("teacher_id")
        .values_list("teacher_id", "coach_id")
    )
    coached_by = dict(reversed(running))  # each teacher's first coach
    # The demo's key teacher and the demo coach's teacher who is overdue stay as they are.
    key_coachees = [t for t, c in running if c == key_coach.pk]
    taken = {key_teacher.pk, *key_coachees[:2], *coach_ids}
    teachers = list(
        current.filter(role=Role.TEACHER)
        .exclude(user_id__in=taken)
        .order_by("user_id")
        .values_list("user_id", "staff_group")
    )

    def pick(candidates):
        chosen = next((pk for pk in candidates if pk not in taken), None)
        if chosen is None:
            return None
        taken.add(chosen)
        return User.objects.get(pk=chosen)

    lead_viewer = viewer_for(lead)
    window_days = _school_days_back(today, 6)
    steps = steps_for_school(lead_viewer, school=school)
    step_for = (lambda n: steps[(n * 7) % len(steps)]) if steps else (lambda n: None)
    everyone = [pk for pk, _group in teachers]

    # Mentoring: the demo coach mentors an early-career teacher (one not yet coached, if any).
    early = [pk for pk, group in teachers if group == StaffGroup.EARLY_CAREER]
    mentee = pick(
        [pk for pk in early if pk not in coached_by]
        + [pk for pk in everyone if pk not in coached_by]
        + early
        + everyone
    )
    if mentee is not None:
        year = today.year if today.month >= 9 else today.year - 1
        mentoring = coach_assign(
            viewer=lead_viewer,
            school=school,
            coach=key_coach,
            teacher=mentee,
            started_on=window_days[0],
            over_limit_confirmed=True,
            kind=Relationship.Kind.MENTORING,
            induction_starts_on=dt.date(year, 9, 1),
            induction_ends_on=dt.date(year + 2, 7, 31),
            cadence_days=MENTORING_DAYS,
        )
        mentor = viewer_for(key_coach)
        _visit(mentor, mentoring, window_days[0], rng)
        _step(mentor, mentoring, set_on=window_days[0], framework_step=step_for(1))
        _visit(mentor, mentoring, window_days[2], rng, followup="emerging")
        _visit(mentor, mentoring, window_days[4], rng, followup="habit")

    # Specialist coaching on one strand of the framework, by another coach where there is one.
    specialist_coach = other_coach or key_coach
    learner = pick([pk for pk in everyone if coached_by.get(pk) != specialist_coach.pk])
    if learner is not None:
        framework_step = step_for(2)
        specialist = coach_assign(
            viewer=lead_viewer,
            school=school,
            coach=specialist_coach,
            teacher=learner,
            started_on=window_days[1],
            over_limit_confirmed=True,
            kind=Relationship.Kind.SPECIALIST,
            strand=framework_step.strand if framework_step else None,
            subject="" if framework_step else SUBJECT_NOTE[school.phase],
        )
        coach_viewer = viewer_for(specialist_coach)
        _visit(coach_viewer, specialist, window_days[1], rng)
        _step(coach_viewer, specialist, set_on=window_days[1], framework_step=framework_step)
        _visit(coach_viewer, specialist, window_days[3], rng, followup="emerging")

    # Co-coaching: two teachers (neither a coach) coach each other.
    first, second = pick(everyone), pick(everyone)
    if first is not None and second is not None:
        one_way, other_way = co_coaching_start(
            viewer=lead_viewer,
            school=school,
            teacher=first,
            peer=second,
            started_on=window_days[2],
        )
        for n, (relationship, visits) in enumerate(
            (
                (one_way, (window_days[2], window_days[4])),
                (other_way, (window_days[3], window_days[5])),
            )
        ):
            peer = viewer_for(relationship.coach)
            _visit(peer, relationship, visits[0], rng)
            _step(peer, relationship, set_on=visits[0], framework_step=step_for(3 + n))
            _visit(peer, relationship, visits[1], rng, followup="emerging")

    # A handover: a teacher of the other coach, with a step under way, passes to the demo
    # coach today, and agrees that the new coach may read the earlier notes.
    handed = (
        Relationship.objects.filter(
            school=school,
            coach=other_coach,
            kind=Relationship.Kind.INSTRUCTIONAL,
            finished_on__isnull=True,
            action_steps__closed_on__isnull=True,
        )
        .exclude(teacher_id__in=taken)
        .order_by("teacher_id")
        .first()
        if other_coach is not None
        else None
    )
    if handed is not None:
        new = handover_services.relationship_hand_over(
            viewer=lead_viewer, relationship=handed, coach=key_coach, on=today
        )
        handover_services.earlier_content_consent_give(
            viewer=viewer_for(new.teacher), relationship=new
        )
    _recorded_when_started(trust)


def _recorded_when_started(trust):
    """Each demo relationship recorded on the day it started (the services record it today),
    so its coach reads what was written from its start."""
    Relationship.objects.filter(trust=trust).update(
        created_at=Cast(F("started_on"), output_field=DateTimeField())
    )
