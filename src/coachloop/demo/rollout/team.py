"""Demo rows for the coaching team: coach training, rollout phases, coverage targets and QA
visits, added to the trust that ``demo.build.build_demo`` builds.

``demo_team(trust, today, rng)`` runs inside the trust's scope, after the people and the
coaching history exist. Everything is invented and comes from ``rng``, so the same seed gives
the same rows. Like the rest of the demo, rows are written with ``bulk_create`` (no audit
events: nobody did these things).

What it shows: most coaches trained (some not yet), in every school; a soft launch that has
ended and a scale-up running now, with the next phase planned; one target per school, partly
met (one of its two numbers reached, the other not yet); two or three QA visits per school,
one of them to the demo coach.
"""

import datetime as dt
import math
from collections import defaultdict

from coachloop.coaching.models import Relationship
from coachloop.demo.accounts import key_email
from coachloop.demo.calendar import academic_start_year, school_days_until
from coachloop.people.models import Membership, Role, School
from coachloop.rollout.models import CoachTraining, CoverageTarget, QaVisit, RolloutPhase

TRAINED_SHARE = 0.8
MOSTLY_TRAINED = 0.6  # the least share of a school's coaches trained, whatever the draw
SECOND_COURSE_SHARE = 0.4

FIRST_COURSES = (
    "Instructional coaching: foundations",
    "Instructional coaching: the coaching cycle",
)
LATER_COURSES = (
    "Deliberate practice and rehearsal",
    "Mentoring early-career teachers",
    "Feedback after a drop-in: strengths first",
    "Coaching leaders",
)

WENT_WELL = (
    "You opened by asking the teacher what they had noticed in the lesson, and let them get "
    "to the action step themselves before you named it.",
    "The step you agreed was small and precise: the teacher could say exactly what they "
    "would do differently the next morning.",
    "You rehearsed the step there and then, twice, and the second run was noticeably "
    "smoother than the first.",
    "You started with two specific strengths from the drop-in, and the teacher was visibly "
    "more open for the rest of the conversation.",
    "The conversation kept to fifteen minutes and ended with a date for the next drop-in.",
    "You linked the step to what pupils did in the lesson, not to how the lesson looked.",
)
DEVELOPMENT_POINTS = (
    "Leave a longer pause after your first question; the teacher was about to answer when "
    "you offered a suggestion.",
    "Script the step in the teacher's own words before you rehearse it, so it sounds like "
    "them in the classroom.",
    "Rehearse the moment where the step is hardest (a pupil who does not respond), not only "
    "the start of it.",
    "Close by checking what success will look like at the next drop-in, so you both look for "
    "the same thing.",
    "Keep to one step: the conversation drifted into a second one near the end.",
)


def demo_team(trust, today, rng):
    """Training, phases, targets and QA visits for every school in the demo trust."""
    schools = list(School.objects.filter(trust=trust).order_by("pk"))
    coaches, leads = _coaches_and_leads(trust, schools, today)
    trust_lead = (
        Membership.objects.current(today)
        .filter(trust=trust, role=Role.TRUST_LEAD)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    key_coach_email = key_email(trust.slug, "coach")
    trained = _training(trust, schools, coaches, leads, trust_lead, today, rng, key_coach_email)
    _phases(trust, schools, coaches, trained, today, rng)
    _targets(trust, schools, coaches, trained, leads, trust_lead, today, rng)
    _qa_visits(trust, schools, coaches, trained, leads, today, rng, key_coach_email)


def _coaches_and_leads(trust, schools, today):
    coaches, leads = defaultdict(list), {}
    memberships = (
        Membership.objects.current(today)
        .filter(trust=trust, school__in=schools, role__in=[Role.COACH, Role.COACHING_LEAD])
        .select_related("user")
        .order_by("pk")
    )
    for membership in memberships:
        if membership.role == Role.COACH:
            coaches[membership.school_id].append(membership.user)
        else:
            leads.setdefault(membership.school_id, membership.user)
    return coaches, leads


def _weekday_on_or_before(day):
    while day.weekday() > 4:
        day -= dt.timedelta(days=1)
    return day


def _training(trust, schools, coaches, leads, trust_lead, today, rng, key_coach_email):
    """Most coaches have a first course; some a later one too; each school has at least one
    coach (when it has two or more) still waiting for training."""
    trained, rows = set(), []
    for school in schools:
        recorder = leads.get(school.pk) or (trust_lead.user if trust_lead else None)
        mine = coaches.get(school.pk, [])
        if recorder is None or not mine:
            continue
        chosen = [
            coach
            for coach in mine
            if coach.email == key_coach_email or rng.random() < TRAINED_SHARE
        ]
        if len(chosen) == len(mine) and len(mine) > 1:
            chosen = [c for c in chosen if c.email == key_coach_email] + [
                c for c in chosen if c.email != key_coach_email
            ][:-1]
        # However the draw falls (it depends on the day the demo is built), most of a
        # school's coaches are trained and, with two or more, one still waits.
        at_least = min(len(mine) - 1, math.ceil(MOSTLY_TRAINED * len(mine))) or 1
        chosen += [c for c in mine if c not in chosen][: max(0, at_least - len(chosen))]
        for coach in chosen:
            if coach.pk in trained:
                continue
            trained.add(coach.pk)
            first_on = _weekday_on_or_before(today - dt.timedelta(days=rng.randint(150, 420)))
            rows.append(
                CoachTraining(
                    trust=trust,
                    coach=coach,
                    course=rng.choice(FIRST_COURSES),
                    completed_on=first_on,
                    delivered_by=f"{trust.name} coaching team",
                    recorded_by=recorder,
                )
            )
            if coach.email == key_coach_email or rng.random() < SECOND_COURSE_SHARE:
                rows.append(
                    CoachTraining(
                        trust=trust,
                        coach=coach,
                        course=rng.choice(LATER_COURSES),
                        completed_on=_weekday_on_or_before(
                            today - dt.timedelta(days=rng.randint(10, 120))
                        ),
                        delivered_by=rng.choice(
                            (f"{trust.name} coaching team", "The local teaching school hub")
                        ),
                        recorded_by=recorder,
                    )
                )
    CoachTraining.objects.bulk_create(rows)
    return trained


def _phases(trust, schools, coaches, trained, today, rng):
    """A soft launch that ended some months ago, a scale-up running now, and the move to
    every teacher planned from the next school year."""
    next_year = dt.date(academic_start_year(today) + 1, 9, 1)
    rows = []
    for school in schools:
        launch_starts = _weekday_on_or_before(today - dt.timedelta(days=rng.randint(300, 380)))
        launch_ends = _weekday_on_or_before(today - dt.timedelta(days=rng.randint(100, 140)))
        first_team = max(1, sum(1 for c in coaches.get(school.pk, []) if c.pk in trained) // 2)
        rows += [
            RolloutPhase(
                trust=trust,
                school=school,
                kind=RolloutPhase.Kind.SOFT_LAUNCH,
                starts_on=launch_starts,
                ends_on=launch_ends,
                notes=(
                    f"A first team of {first_team} trained "
                    f"{'coach' if first_team == 1 else 'coaches'}, each with two or three "
                    "volunteer teachers."
                ),
            ),
            RolloutPhase(
                trust=trust,
                school=school,
                kind=RolloutPhase.Kind.SCALE_UP,
                starts_on=launch_ends + dt.timedelta(days=1),
                ends_on=next_year - dt.timedelta(days=1),
                notes="Every coach takes on teachers; weekly drop-ins for early-career teachers.",
            ),
            RolloutPhase(
                trust=trust,
                school=school,
                kind=RolloutPhase.Kind.EVERY_TEACHER,
                starts_on=next_year,
                ends_on=None,
                notes="",
            ),
        ]
    RolloutPhase.objects.bulk_create(rows)


def _coverage_now(trust, school, today):
    teachers = set(
        Membership.objects.current(today)
        .filter(trust=trust, school=school, role=Role.TEACHER)
        .values_list("user_id", flat=True)
    )
    coached = set(
        Relationship.objects.filter(
            school=school, finished_on__isnull=True, started_on__lte=today, teacher__in=teachers
        ).values_list("teacher_id", flat=True)
    )
    return (len(coached) * 100 // len(teachers)) if teachers else 0


def _targets(trust, schools, coaches, trained, leads, trust_lead, today, rng):
    """One target per school, for the end of next school year ("every teacher with a skilled
    coach within two years"), with one of its numbers reached and the other not yet."""
    due_by = dt.date(academic_start_year(today) + 2, 7, 31)
    rows = []
    for index, school in enumerate(schools):
        setter = leads.get(school.pk) or (trust_lead.user if trust_lead else None)
        if setter is None:
            continue
        trained_now = sum(1 for c in coaches.get(school.pk, []) if c.pk in trained)
        percent_now = _coverage_now(trust, school, today)
        if index % 2 == 0:  # coaches trained as planned; coverage still to grow
            coaches_target = max(1, trained_now)
            percent_target = min(100, (percent_now // 5 + 1) * 5 + 5 * rng.randint(1, 3))
        else:  # coverage reached; more coaches still to train
            coaches_target = trained_now + rng.randint(1, 2)
            percent_target = max(5, (percent_now // 5) * 5 - 5 * rng.randint(0, 2))
        rows.append(
            CoverageTarget(
                trust=trust,
                school=school,
                trained_coaches=coaches_target,
                coached_percent=percent_target,
                due_by=due_by,
                set_by=setter,
            )
        )
    CoverageTarget.objects.bulk_create(rows)


def _qa_visits(trust, schools, coaches, trained, leads, today, rng, key_coach_email):
    """Two or three visits per school in the last half term, to trained coaches first; the
    demo coach is always visited, so their "Your QA visits" page has something in it."""
    recent = school_days_until(today, 30)
    rows = []
    for school in schools:
        lead = leads.get(school.pk)
        mine = [c for c in coaches.get(school.pk, []) if lead is None or c.pk != lead.pk]
        if lead is None or not mine:
            continue
        ready = [c for c in mine if c.pk in trained] or mine
        key = [c for c in ready if c.email == key_coach_email]
        others = [c for c in ready if c.email != key_coach_email]
        rng.shuffle(others)
        visited = (key + others)[: rng.randint(2, 3)]
        if len(visited) < 2:  # a small team: visit the one coach twice, weeks apart
            visited = visited * 2
        days = sorted(rng.sample(recent, len(visited)))
        for coach, day in zip(visited, days, strict=True):
            rows.append(
                QaVisit(
                    trust=trust,
                    school=school,
                    coach=coach,
                    visited_by=lead,
                    visited_on=day,
                    went_well=" ".join(rng.sample(WENT_WELL, 2)),
                    development_point=rng.choice(DEVELOPMENT_POINTS),
                )
            )
    QaVisit.objects.bulk_create(rows)
