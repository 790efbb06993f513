"""The coaching loop's history in the demo: a term of drop-ins, action steps and rehearsals for
every planned relationship, simulated visit by visit.

Most teachers are seen roughly weekly, some have lapsed and a few have not been seen yet. At
each visit the coach follows up the current step, moves it on when it has stuck (or after a
while without), and sets the next, weighted towards the school's focus strand; practice is
planned around each step. The rows are written with ``bulk_create``, which does not call
``save()``: every field is set here explicitly.
"""

import datetime as dt
import uuid
from collections import defaultdict

from django.utils import timezone

from coachloop.coaching.models import ActionStep, DropIn, Rehearsal, Relationship
from coachloop.demo.accounts import key_email
from coachloop.demo.calendar import school_days_after
from coachloop.demo.coaching.sentences import (
    DRAFT_STARTS,
    EVIDENCE,
    FOLLOWUP_EVIDENCE,
    HOW_IT_WENT,
    NOTICED,
    PLANS,
    STRENGTHS,
    STRENGTHS_BY_PHASE,
)

BATCH_SIZE = 500


class CoachingHistory:
    """The drop-ins, action steps and rehearsals of the relationships ``Staffing`` planned."""

    def __init__(self, *, trust, rng, today, window, plans):
        self.trust = trust
        self.rng = rng
        self.today = today
        self.window = window
        self.plans = plans
        self.zone = timezone.get_default_timezone()

    def build(self, steps, schools):
        """Write the relationships, then the drop-ins, steps and rehearsals of each."""
        rng = self.rng
        window = self.window
        recent = [d for d in window if d >= self.today - dt.timedelta(days=6)]
        strands = list(dict.fromkeys(s.strand_id for s in steps))  # in the framework's order
        focus = {school.pk: rng.choice(strands) for school in schools}
        for plan in self.plans:
            rel = plan.relationship
            if plan.profile == "never":
                rel.started_on = window[-rng.randint(2, min(8, len(window)))]
            elif not plan.key and rng.random() < 0.2:
                rel.started_on = window[rng.randint(1, min(20, len(window) - 1))]
        Relationship.objects.bulk_create(
            [p.relationship for p in self.plans], batch_size=BATCH_SIZE
        )

        weights_by_strand = {
            strand: [3 if s.strand_id == strand else 1 for s in steps] for strand in strands
        }
        action_steps, dropins, rehearsals = [], [], []
        for plan in self.plans:
            dates = self._visit_dates(plan, recent)
            weights = weights_by_strand[focus[plan.relationship.school_id]]
            self._simulate(plan, dates, steps, weights, action_steps, dropins, rehearsals)
        self._drafts(dropins)
        self._awaiting_agreement(action_steps, dropins, rehearsals)
        ActionStep.objects.bulk_create(action_steps, batch_size=BATCH_SIZE)
        DropIn.objects.bulk_create(dropins, batch_size=BATCH_SIZE)
        Rehearsal.objects.bulk_create(rehearsals, batch_size=BATCH_SIZE)

    def _visit_dates(self, plan, recent):
        """Roughly weekly school days, with gaps; lapsed teachers not seen for over a week."""
        rng = self.rng
        if plan.profile == "never":
            return []
        started = plan.relationship.started_on
        cutoff = self.today
        if plan.profile == "lapsed":
            cutoff = self.today - dt.timedelta(days=rng.randint(9, 24))
        weeks = defaultdict(list)
        for day in self.window:
            if started <= day <= cutoff:
                weeks[day - dt.timedelta(days=day.weekday())].append(day)
        dates = [rng.choice(days) for _monday, days in sorted(weeks.items()) if rng.random() < 0.83]
        if plan.profile == "regular":
            fresh = [d for d in recent if d >= started]
            if fresh and (not dates or dates[-1] < fresh[0]):
                dates.append(rng.choice(fresh))
        elif not dates:
            early = [d for d in self.window if started <= d <= cutoff]
            if early:
                dates.append(early[0])
        return dates

    def _simulate(self, plan, dates, steps, weights, action_steps, dropins, rehearsals):
        """Walk the visits in order: follow up the current step, move it on, set the next."""
        rng = self.rng
        rel = plan.relationship
        teacher = plan.teacher
        current = None
        visits_on_step = 0
        history = []
        practice = {}  # id(action step) -> its rehearsals
        for visit in dates:
            followup = ""
            if current is not None:
                visits_on_step += 1
                followup = self._followup(current, visits_on_step)
            dropins.append(self._dropin(rel, teacher, visit, current, followup))
            if current is None:
                current = self._set_step(
                    plan, visit, steps, weights, history, action_steps, practice
                )
                visits_on_step = 0
                continue
            if followup == DropIn.FollowUp.HABIT:
                current.status = ActionStep.Status.EMBEDDED
            elif current.status == ActionStep.Status.SET and rng.random() < 0.5:
                current.status = ActionStep.Status.PRACTISING
            outcome = ""
            if current.status == ActionStep.Status.EMBEDDED and (
                followup != DropIn.FollowUp.HABIT or visits_on_step >= 3 or rng.random() < 0.65
            ):
                outcome = ActionStep.Outcome.EMBEDDED
            elif visits_on_step >= 4 and rng.random() < 0.4:
                outcome = ActionStep.Outcome.MOVED_ON
            if outcome:
                self._close(plan, current, visit, outcome, practice)
                current = self._set_step(
                    plan, visit, steps, weights, history, action_steps, practice
                )
                visits_on_step = 0
        if current is not None and (plan.key == "teacher" or rng.random() < 0.35):
            practice[id(current)].append(self._upcoming_rehearsal(current, rel, teacher))
        for planned in practice.values():
            rehearsals.extend(planned)

    def _followup(self, step, visits_on_step):
        if step.status == ActionStep.Status.EMBEDDED:
            weights = (80, 15, 0, 5)
        elif visits_on_step == 1:
            weights = (10, 45, 30, 15)
        elif visits_on_step == 2:
            weights = (30, 45, 10, 15)
        else:
            weights = (55, 35, 5, 5)
        choices = (
            DropIn.FollowUp.HABIT,
            DropIn.FollowUp.EMERGING,
            DropIn.FollowUp.NOT_YET,
            DropIn.FollowUp.NO_CHANCE,
        )
        return self.rng.choices(choices, weights=weights)[0]

    def _dropin(self, rel, teacher, visit, step, followup):
        rng = self.rng
        phase = rel.school.phase
        strengths = rng.sample(STRENGTHS + STRENGTHS_BY_PHASE.get(phase, ()), rng.randint(1, 2))
        noticed = rng.sample(NOTICED, rng.choice((1, 1, 2)))
        evidence = rng.sample(EVIDENCE, rng.randint(1, 2))
        if followup:
            evidence.insert(0, rng.choice(FOLLOWUP_EVIDENCE[followup]))
        return DropIn(
            trust=self.trust,
            uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            relationship=rel,
            visited_on=visit,
            class_or_group=rng.choice(teacher.classes),
            minutes=rng.randint(8, 20),
            strengths=" ".join(strengths),
            noticed=" ".join(noticed),
            evidence=" ".join(evidence),
            followup_step=step,
            followup=followup,
            is_draft=False,
            version=1,
        )

    def _set_step(self, plan, on, steps, weights, history, action_steps, practice):
        rng = self.rng
        rel = plan.relationship
        used = {s.pk for s in history}
        moved_on = [s for s in history if s.pk in plan.moved_on]
        if moved_on and rng.random() < 0.3:
            framework_step = rng.choice(moved_on)
        else:
            pool = [(s, w) for s, w in zip(steps, weights, strict=True) if s.pk not in used]
            pool = pool or list(zip(steps, weights, strict=True))
            framework_step = rng.choices([s for s, _ in pool], weights=[w for _, w in pool])[0]
        returning = framework_step.pk in used
        history.append(framework_step)
        step = ActionStep(
            trust=self.trust,
            relationship=rel,
            framework_step=framework_step,
            title=framework_step.title[:200],
            success_looks_like=(framework_step.looks_like or framework_step.title)[:2000],
            status=ActionStep.Status.REVISITED if returning else ActionStep.Status.SET,
            set_on=on,
            closed_on=None,
            outcome="",
            proposed_by=rel.coach,
            # Agreed that afternoon: mostly the teacher's tap, every fourth in conversation.
            agreed_on=dt.datetime.combine(
                on, dt.time(15, 10 * (len(action_steps) % 5)), tzinfo=self.zone
            ),
            agreed_by=rel.coach if len(action_steps) % 4 == 0 else rel.teacher,
        )
        action_steps.append(step)
        practice[id(step)] = (
            self._plan_rehearsals(step, rel, plan.teacher) if rng.random() < 0.85 else []
        )
        return step

    def _close(self, plan, step, on, outcome, practice):
        step.closed_on = on
        step.outcome = outcome
        if outcome == ActionStep.Outcome.EMBEDDED:
            step.status = ActionStep.Status.EMBEDDED
        else:
            plan.moved_on.add(step.framework_step.pk)
        # Practice planned for after the step closed did not happen: drop it.
        practice[id(step)] = [r for r in practice[id(step)] if r.planned_for <= on]

    def _plan_rehearsals(self, step, rel, teacher):
        rng = self.rng
        day = step.set_on
        planned = []
        for n in range(rng.choice((1, 1, 2, 2, 3))):
            offset = rng.randint(0 if n == 0 else 1, 3)
            day = school_days_after(day, offset)[-1] if offset else day
            planned.append(self._rehearsal(step, rel, teacher, day))
        if step.status == ActionStep.Status.SET:
            step.status = ActionStep.Status.PRACTISING
        return planned

    def _upcoming_rehearsal(self, step, rel, teacher):
        day = school_days_after(self.today, self.rng.randint(1, 4))[-1]
        if step.status == ActionStep.Status.SET:
            step.status = ActionStep.Status.PRACTISING
        return self._rehearsal(step, rel, teacher, day)

    def _rehearsal(self, step, rel, teacher, day):
        rng = self.rng
        mode = rng.choices((Rehearsal.Mode.TOGETHER, Rehearsal.Mode.ALONE), weights=(70, 30))[0]
        planned_by = (
            teacher.user if mode == Rehearsal.Mode.ALONE and rng.random() < 0.5 else (rel.coach)
        )
        done = day <= self.today and rng.random() < 0.88
        return Rehearsal(
            trust=self.trust,
            action_step=step,
            planned_for=day,
            mode=mode,
            # The framework says how to rehearse its steps; steps in a coach's words get one of
            # the general plans.
            plan=(
                step.framework_step.how_to_rehearse
                if step.framework_step is not None
                else rng.choice(PLANS[mode])
            ),
            done_on=day if done else None,
            how_it_went=rng.choice(HOW_IT_WENT) if done else "",
            planned_by=planned_by,
        )

    def _awaiting_agreement(self, action_steps, dropins, rehearsals):
        """Two of the demo coach's teachers (not the demo teacher) have not yet agreed the
        step set at their last drop-in: it is proposed, with nothing practised or followed up."""
        coach_email = key_email(self.trust.slug, "coach")
        plans = {id(p.relationship): p for p in self.plans}
        followed = {id(d.followup_step) for d in dropins if d.followup_step is not None}
        waiting = [
            step
            for step in action_steps
            if step.closed_on is None
            and id(step) not in followed
            and step.relationship.coach.email == coach_email
            and plans[id(step.relationship)].key != "teacher"
        ][:2]
        for step in waiting:
            step.agreed_on = None
            step.agreed_by = None
            if step.status == ActionStep.Status.PRACTISING:
                step.status = ActionStep.Status.SET
        rehearsals[:] = [r for r in rehearsals if all(r.action_step is not s for s in waiting)]

    def _drafts(self, dropins):
        """A few unfinished drop-ins, all the demo coach's: typed in a lesson, not yet recorded."""
        coach_email = key_email(self.trust.slug, "coach")
        coach_plans = [p for p in self.plans if p.relationship.coach.email == coach_email]
        candidates = [p for p in coach_plans if p.key != "teacher" and p.profile != "never"]
        for plan in candidates[:2] or coach_plans[:1]:
            rel = plan.relationship
            dropins.append(
                DropIn(
                    trust=self.trust,
                    uuid=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                    relationship=rel,
                    visited_on=max(self.window[-1], rel.started_on),
                    class_or_group=self.rng.choice(plan.teacher.classes),
                    minutes=self.rng.randint(8, 20),
                    strengths=self.rng.choice(DRAFT_STARTS),
                    noticed="",
                    evidence="",
                    followup_step=None,
                    followup="",
                    is_draft=True,
                    version=1,
                )
            )
