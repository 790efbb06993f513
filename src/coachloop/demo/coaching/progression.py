"""Demo rows for progression: stage histories over months that go down as well as up, and
steps the teachers proposed themselves.

The demo teacher and eight other coached teachers place themselves on two or three strands of
their school's framework every few weeks since before the summer (their coach adds a stage now
and then); some paths dip when something changes and then recover. In about two coaching
relationships in three the teacher has proposed some of their own steps, more often as the
term goes on, each with the accepted proposal behind it. The demo teacher also had one
proposal their coach wanted to talk about first, and has one waiting now. The demo teacher
has let their coach read the stages they recorded before the coaching began; the other
teachers have not been asked yet, so their coaches see their stages from its start.

Stages and the demo teacher's proposals are written through the services, as the people
involved would write them; the dates a service sets to today are moved back afterwards. The
steps the simulation already set are marked as the teacher's (with their accepted proposals)
directly, since they exist already. Runs inside the demo trust's scope.
"""

import datetime as dt

import rules

from coachloop.coaching.models import ActionStep, Relationship, StepProposal
from coachloop.coaching.services.handover import earlier_content_consent_give
from coachloop.coaching.services.progression import (
    stage_record,
    step_proposal_discuss,
    step_proposal_submit,
)
from coachloop.demo.accounts import key_email
from coachloop.frameworks.models import Step, Strand
from coachloop.people.models import User
from coachloop.people.queries import viewer_for
from coachloop.policy.queries import school_models

BATCH_SIZE = 500
OTHER_TEACHERS = 8  # besides the demo teacher, teachers with a stage history
HISTORY_DAYS = (110, 160)  # a history starts this many days back: before the summer
SHARE_OF_RELATIONSHIPS = 0.65  # relationships in which the teacher proposed some steps

# Paths on one strand, oldest first: most dip somewhere and recover (a new class, a hard
# half-term), one or two only climb or hold.
SHAPES = (
    (2, 3, 2, 3, 4),
    (1, 2, 3, 3),
    (3, 2, 2, 3),
    (2, 2, 3, 4, 3),
    (3, 4, 3, 4),
    (1, 1, 2, 3),
    (4, 3, 4),
    (2, 3, 4, 3, 4),
    (3, 3, 4, 4, 5),
)
TEACHER_NOTES = (
    "A new class this year: the routines I had built did not carry over at first.",
    "It feels settled now; I rarely have to think about it.",
    "After assessment week it slipped again, so I went back to basics.",
    "I can plan for this without working through every step.",
    "A hard week with cover lessons; I was back to following the script.",
    "Trying it with another class as well as my own.",
    "Still deliberate, but it comes more quickly.",
    "",
    "",
    "",
)
COACH_NOTES = (
    "From the drop-ins: consistent at the start of lessons, less so after break.",
    "Adapting on the spot now when an explanation does not land.",
    "Clear progress since half-term; the next stretch is using it with the hardest group.",
)
DEMO_TEACHER_STRANDS = 3

OPEN_PROPOSAL = (
    "Use mini-whiteboards to check every pupil's answer before moving on",
    "In each lesson I check all pupils' answers at least twice, and reteach when fewer "
    "than eight in ten have it.",
    "In my last two drop-ins I moved on when only the confident pupils had answered.",
)
TALK_PROPOSAL = (
    "Stop using seating plans",
    "Pupils choose where to sit and the room stays calm.",
    "My class say they would work better next to their friends.",
    "Let's talk about what you have noticed with them first: I wonder whether a step on "
    "the first five minutes would give you what you are after.",
)


def _demo_people(trust):
    teacher = User.objects.get(email=key_email(trust.slug, "teacher"))
    coach = User.objects.get(email=key_email(trust.slug, "coach"))
    return teacher, coach


def _running(trust):
    return list(
        Relationship.objects.filter(
            trust=trust,
            kind=Relationship.Kind.INSTRUCTIONAL,
            finished_on__isnull=True,
            school__isnull=False,
        )
        .select_related("teacher", "coach", "school")
        .order_by("school_id", "pk")
    )


def _strands_by_school(trust, school_ids):
    """Each school's strands: those of the framework its coaching model uses."""
    models = school_models(trust, school_ids)
    strands = list(
        Strand.objects.filter(trust=trust, version__is_current=True)
        .select_related("version")
        .order_by("version__framework__name", "position", "pk")
    )
    return {
        school: [
            s
            for s in strands
            if model.framework_id is None or s.version.framework_id == model.framework_id
        ]
        for school, model in models.items()
    }


def _dates(today, count, rng):
    """``count`` days from a few months back up to the last fortnight, oldest first."""
    start = today - dt.timedelta(days=rng.randint(*HISTORY_DAYS))
    end = today - dt.timedelta(days=rng.randint(0, 14))
    span = (end - start).days
    days = [start + dt.timedelta(days=round(span * i / max(count - 1, 1))) for i in range(count)]
    # A day or two either way in the middle: people do not record on a timetable.
    return [
        day + dt.timedelta(days=rng.randint(-2, 2)) if 0 < i < count - 1 else day
        for i, day in enumerate(days)
    ]


def _history(relationship, strands, shapes, today, rng):
    """Record the teacher's path on each strand; their coach places them once on some."""
    teacher, coach = relationship.teacher, relationship.coach
    teacher_viewer, coach_viewer = viewer_for(teacher), viewer_for(coach)
    for strand, shape in zip(strands, shapes, strict=False):
        dates = _dates(today, len(shape), rng)
        coach_turn = rng.randrange(len(shape)) if rng.random() < 0.5 else None
        for index, (day, stage) in enumerate(zip(dates, shape, strict=True)):
            by_coach = index == coach_turn and day >= relationship.started_on
            stage_record(
                viewer=coach_viewer if by_coach else teacher_viewer,
                teacher=teacher,
                strand=strand,
                stage=stage,
                assessed_on=day,
                note=rng.choice(COACH_NOTES if by_coach else TEACHER_NOTES),
                relationship=relationship if by_coach else None,
            )


def _stage_histories(trust, running, key_teacher, today, rng):
    strands = _strands_by_school(trust, {r.school_id for r in running})
    demo = [r for r in running if r.teacher_id == key_teacher.pk][:1]
    others = [r for r in running if r.teacher_id != key_teacher.pk]
    # Spread across the schools: every so many relationships, in school order.
    every = max(1, len(others) // OTHER_TEACHERS)
    chosen = others[::every][:OTHER_TEACHERS]
    for relationship in demo + chosen:
        school_strands = strands[relationship.school_id]
        if not school_strands:
            continue
        if relationship in demo:
            picked = school_strands[:DEMO_TEACHER_STRANDS]
            shapes = [SHAPES[0], SHAPES[2], SHAPES[1]]
        else:
            picked = rng.sample(school_strands, min(len(school_strands), rng.randint(1, 3)))
            shapes = [rng.choice(SHAPES) for _ in picked]
        _history(relationship, picked, shapes, today, rng)


def _proposed_steps(running, key_teacher, rng):
    """Mark some steps the simulation set as the teacher's own proposals, more often as the
    coaching goes on, each with the proposal the coach accepted."""
    steps_by_rel = {}
    for step in ActionStep.objects.filter(
        relationship__in=[r.pk for r in running], continues__isnull=True
    ).order_by("set_on", "pk"):
        steps_by_rel.setdefault(step.relationship_id, []).append(step)
    changed, proposals = [], []
    for relationship in running:
        is_demo = relationship.teacher_id == key_teacher.pk
        if not is_demo and rng.random() >= SHARE_OF_RELATIONSHIPS:
            continue
        steps = steps_by_rel.get(relationship.pk, [])
        for index, step in enumerate(steps):
            chance = min(0.15 + 0.15 * index, 0.7)
            if is_demo:
                chance = 1.0 if index in (1, len(steps) - 1) else 0.0
            if index == 0 or rng.random() >= chance:
                continue  # a teacher's first step is agreed with the coach
            if step.agreed_on is None:
                continue  # waiting for the teacher: the coach's proposal, not theirs
            step.proposed_by = relationship.teacher
            step.agreed_by = relationship.coach  # agreed when the coach accepted it
            changed.append(step)
            asked = max(relationship.started_on, step.set_on - dt.timedelta(days=rng.randint(1, 4)))
            proposals.append(
                StepProposal(
                    trust=relationship.trust,
                    relationship=relationship,
                    framework_step_id=step.framework_step_id,
                    title=step.title,
                    success_looks_like=step.success_looks_like,
                    why="",
                    proposed_by=relationship.teacher,
                    proposed_on=asked,
                    status=StepProposal.Status.ACCEPTED,
                    responded_on=step.set_on,
                    action_step=step,
                )
            )
    ActionStep.objects.bulk_update(changed, ["proposed_by", "agreed_by"], batch_size=BATCH_SIZE)
    StepProposal.objects.bulk_create(proposals, batch_size=BATCH_SIZE)


def _demo_teachers_proposals(trust, running, key_teacher, key_coach, today):
    """One the coach wanted to talk about first, a few weeks ago; one waiting now."""
    relationship = next(
        (r for r in running if r.teacher_id == key_teacher.pk and r.coach_id == key_coach.pk),
        None,
    )
    if relationship is None:
        return
    teacher, coach = viewer_for(key_teacher), viewer_for(key_coach)
    title, success, why, reply = TALK_PROPOSAL
    talked = step_proposal_submit(
        viewer=teacher, relationship=relationship, title=title, success_looks_like=success, why=why
    )
    step_proposal_discuss(viewer=coach, proposal=talked, response=reply)
    asked = max(relationship.started_on, today - dt.timedelta(days=24))
    StepProposal.objects.filter(pk=talked.pk).update(
        proposed_on=asked, responded_on=min(today, asked + dt.timedelta(days=2))
    )
    title, success, why = OPEN_PROPOSAL
    framework_step = (
        Step.objects.filter(trust=trust, strand__version__is_current=True, school__isnull=True)
        .filter(looks_like__icontains="whiteboard")
        .order_by("pk")
        .first()
    )
    waiting = step_proposal_submit(
        viewer=teacher,
        relationship=relationship,
        title=title,
        success_looks_like=success,
        why=why,
        framework_step=framework_step,
    )
    StepProposal.objects.filter(pk=waiting.pk).update(
        proposed_on=max(relationship.started_on, today - dt.timedelta(days=1))
    )


def _demo_teacher_shares_earlier_stages(running, key_teacher, key_coach):
    """The demo teacher agrees that the demo coach may read what came before the coaching."""
    teacher = viewer_for(key_teacher)
    for relationship in running:
        if (relationship.teacher_id, relationship.coach_id) == (
            key_teacher.pk,
            key_coach.pk,
        ) and rules.test_rule("coaching.answer_earlier_content", teacher, relationship):
            earlier_content_consent_give(viewer=teacher, relationship=relationship)


def demo_progression(trust, today, rng):
    """Add stage histories and teachers' own proposed steps to the demo trust."""
    key_teacher, key_coach = _demo_people(trust)
    running = _running(trust)
    _stage_histories(trust, running, key_teacher, today, rng)
    _demo_teacher_shares_earlier_stages(running, key_teacher, key_coach)
    _proposed_steps(running, key_teacher, rng)
    _demo_teachers_proposals(trust, running, key_teacher, key_coach, today)
