"""Demo rows for group coaching, for the demo trust that ``demo.build.build_demo`` builds.

In the main school (the one the demo's coaching lead runs): an action learning set of four or
five, the demo teacher among them, that has met every fortnight for ten weeks, each action
reported on at the next meeting but the last; and a dyad of two coaches, the demo coach one of
them, that has met twice. Everything is written through the group services, as the coaching
lead and the members would, and follows from ``rng`` and ``today``.
"""

import datetime as dt

from coachloop.coaching.models import CoachingGroup
from coachloop.coaching.services import groups as services
from coachloop.demo.accounts import key_email
from coachloop.demo.calendar import school_days_until
from coachloop.people.models import Membership, Role, School
from coachloop.people.queries import viewer_for

# (the problem brought, questions that helped, the action, what happened), by the phase of
# the school the set meets in
SECONDARY_CASES = (
    (
        "Year 9 set 3 take ten minutes to settle after lunch, and by then half the lesson's "
        "energy has gone.",
        "What do they walk in to? What would a good first two minutes look like? Which part "
        "of it is in your control?",
        "Have a short retrieval task on every desk before they arrive, and stand at the door.",
        "The task on the desks worked from the first day: working within three minutes most "
        "lessons. Standing at the door mattered more than expected.",
    ),
    (
        "Marking is taking most of every weekend, and pupils rarely act on the comments.",
        "Which marking changes what pupils do next? What would you stop if you had to? How do "
        "other departments give feedback to a whole class?",
        "Try whole-class feedback with 8B for a fortnight: one sheet of common errors, and ten "
        "minutes of lesson time to act on it.",
        "Halved the marking time. Pupils fixed the common errors in the lesson; next is "
        "checking the fixes stick a week later.",
    ),
    (
        "The same few hands go up in every discussion, and the quieter half of the class never "
        "say anything out loud.",
        "What happens when you ask a question now? What would make it safe to be wrong? What "
        "could everyone do before anyone answers?",
        "Use think, pair, share with cold calling after the pair stage, in Year 10 for two weeks.",
        "More voices heard by the second week. Pupils were nervous at first; giving them the "
        "pair talk first made the difference.",
    ),
    (
        "A new head of department is struggling to get the team to agree a common approach to "
        "homework.",
        "What does the team already agree on? Who has tried something that works? What would "
        "a small first step be?",
        "Start the next department meeting with two colleagues showing one homework task that "
        "worked, and agree one thing to try.",
        "The meeting went better than feared: the team chose one shared quiz format to trial "
        "until half term.",
    ),
    (
        "Practical lessons in the lab run over, so the write-up is always rushed or set as "
        "homework that few complete.",
        "Where does the time go? What is the write-up for? Which parts could be done before "
        "the practical?",
        "Move the method and results table to the lesson before, and time each stage of the "
        "next two practicals.",
        "Timing it showed clearing away took twelve minutes. With a routine for it, the "
        "write-up now starts in the lesson.",
    ),
)
PRIMARY_CASES = (
    (
        "My Year 5 class take ten minutes to settle after lunch, and by then half the "
        "afternoon's energy has gone.",
        "What do they walk in to? What would a good first two minutes look like? Which part "
        "of it is in your control?",
        "Have a short puzzle on every table before they come in, and meet them at the door.",
        "The puzzle on the tables worked from the first day: working within three minutes most "
        "afternoons. Meeting them at the door mattered more than expected.",
    ),
    (
        "Marking books is taking most of every weekend, and pupils rarely act on the comments.",
        "Which marking changes what pupils do next? What would you stop if you had to? How do "
        "other classes give feedback to the whole class?",
        "Try whole-class feedback in maths for a fortnight: one sheet of common errors, and ten "
        "minutes of the next lesson to act on it.",
        "Halved the marking time. Pupils fixed the common errors in the lesson; next is "
        "checking the fixes stick a week later.",
    ),
    (
        "The same few hands go up on the carpet, and the quieter half of the class never "
        "say anything out loud.",
        "What happens when you ask a question now? What would make it safe to be wrong? What "
        "could everyone do before anyone answers?",
        "Use talk partners before every question on the carpet, then choose who answers, for "
        "two weeks.",
        "More voices heard by the second week. Some pupils were nervous at first; the partner "
        "talk first made the difference.",
    ),
    (
        "A new phase leader is struggling to get the team to agree a common approach to "
        "reading at home.",
        "What does the team already agree on? Who has tried something that works? What would "
        "a small first step be?",
        "Start the next phase meeting with two colleagues showing one reading record that "
        "worked, and agree one thing to try.",
        "The meeting went better than feared: the team chose one shared reading record to "
        "trial until half term.",
    ),
    (
        "Explaining new vocabulary in Year 4 takes a long time and the words do not stick "
        "from one week to the next.",
        "How are new words introduced now? When do pupils meet them again? What would "
        "spacing the practice look like?",
        "Pick five words a week, introduce each with a picture and an example sentence, and "
        "revisit them in the morning task.",
        "Much better recall at the end of the week. The morning task now has a vocabulary "
        "slot every day.",
    ),
)
CASES = {School.Phase.PRIMARY: PRIMARY_CASES, School.Phase.SECONDARY: SECONDARY_CASES}

NOTES = (
    "We kept to time: ten minutes for the problem, twenty for questions, five for the action.",
    "Good questions today; we noticed we slipped into advice twice and pulled back.",
    "",
    "Agreed to swap the order next time so everyone presents once a half term.",
)

DYAD_CASES = (
    (
        "Coaching conversations run over because I explain the step at length.",
        "What would happen if the teacher described the step first? How much of the talk is yours?",
        "In the next three feedback conversations, ask the teacher to name the step before I "
        "say anything.",
        "Two of the three teachers named the step themselves. The conversations were shorter "
        "and they rehearsed sooner.",
    ),
    (
        "Rehearsal feels awkward with experienced teachers, so I skip it.",
        "What makes it awkward? What would make rehearsal feel useful to them rather than "
        "remedial?",
        "Rehearse first myself, in front of the teacher, then swap roles.",
        "",
    ),
)


def _dates(today, weeks_back):
    """The school day on or before each of so many weeks ago."""
    return [school_days_until(today - dt.timedelta(weeks=weeks), 1)[0] for weeks in weeks_back]


def _run_sessions(group, members, dates, cases, notes, rng):
    """Record a session on each date, each with a presenter in turn; at each session the
    group first hears what happened with the last action."""
    previous = None
    presenters = list(members)
    rng.shuffle(presenters)
    sessions = []
    for index, day in enumerate(dates):
        presenter = presenters[index % len(presenters)]
        recorder = rng.choice([m for m in members if m != presenter] or members)
        viewer = viewer_for(recorder, trust_id=group.trust_id)
        if previous is not None and previous[1]:
            services.group_action_report(
                viewer=viewer,
                session=previous[0],
                expected_version=previous[0].version,
                action_report=previous[1],
                reported_on=day,
            )
        problem, questions, action, report = cases[index % len(cases)]
        session = services.group_session_record(
            viewer=viewer,
            group=group,
            met_on=day,
            presenter=presenter,
            problem=problem,
            questions=questions,
            action=action,
            notes=rng.choice(notes),
        )
        sessions.append(session)
        previous = (session, report)
    return sessions


def demo_groups(trust, today, rng):
    """Add an action learning set and a dyad to the main demo school. Runs inside the trust's
    scope."""
    school = School.objects.filter(trust=trust).order_by("pk").first()  # the main school
    lead = (
        Membership.objects.current(today)
        .filter(trust=trust, school=school, role=Role.COACHING_LEAD)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if lead is None:
        return {"groups": 0, "sessions": 0}
    roles = list(
        Membership.objects.current(today)
        .filter(trust=trust, school=school, role__in=(Role.TEACHER, Role.COACH))
        .select_related("user")
        .order_by("user__full_name", "user_id", "role")
    )
    coaches = list(dict.fromkeys(m.user for m in roles if m.role == Role.COACH))
    teachers_only = [
        u
        for u in dict.fromkeys(m.user for m in roles if m.role == Role.TEACHER)
        if u not in coaches
    ]
    key_teacher = next(
        (u for u in teachers_only if u.email == key_email(trust.slug, "teacher")), None
    )
    key_coach = next((u for u in coaches if u.email == key_email(trust.slug, "coach")), None)
    lead_viewer = viewer_for(lead.user, trust_id=trust.pk)

    # The action learning set: the demo teacher, a coach who facilitates, and colleagues.
    size = rng.choice((4, 5))
    other_coaches = [c for c in coaches if c != key_coach]
    facilitator = rng.choice(other_coaches) if other_coaches else None
    others = [t for t in teachers_only if t != key_teacher]
    rng.shuffle(others)
    members = [p for p in (key_teacher, facilitator) if p is not None]
    members += others[: size - len(members)]
    set_dates = _dates(today, (10, 8, 6, 4, 2))
    action_set = services.coaching_group_create(
        viewer=lead_viewer,
        school=school,
        kind=CoachingGroup.Kind.ACTION_LEARNING_SET,
        name="Early-career action learning set",
        focus="Real problems from our own classrooms, one member's at each meeting.",
        members=members,
        facilitator=facilitator,
        cadence_days=14,
        started_on=set_dates[0],
    )
    cases = list(CASES.get(school.phase, SECONDARY_CASES))
    rng.shuffle(cases)
    sessions = _run_sessions(action_set, members, set_dates, cases, NOTES, rng)

    # The dyad: two coaches working on their coaching together (or a coach and a teacher).
    pair = [key_coach or (coaches[0] if coaches else others[-1])]
    candidates = [c for c in coaches if c not in pair and c != facilitator]
    candidates += [c for c in (facilitator, *others[::-1]) if c is not None and c not in pair]
    pair.append(candidates[0])
    dyad_dates = _dates(today, (6, 3))
    dyad = services.coaching_group_create(
        viewer=lead_viewer,
        school=school,
        kind=CoachingGroup.Kind.DYAD,
        name="Coaching practice pair",
        focus="Getting better at short, teacher-led feedback conversations.",
        members=pair,
        cadence_days=21,
        started_on=dyad_dates[0],
    )
    sessions += _run_sessions(dyad, pair, dyad_dates, DYAD_CASES, ("",), rng)
    return {"groups": 2, "sessions": len(sessions)}
