"""The teacher's home: their current steps with rehearsal plans, the coaching they take part
in, and their history as a timeline, newest first and bounded.

Split from ``queries.loop`` (the coach's and the lead's reads), whose drop-in helpers it uses.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import Coalesce, Greatest, RowNumber

from coachloop.coaching.models import ActionStep, DropIn, Rehearsal, Relationship
from coachloop.coaching.queries.loop import with_followup_title
from coachloop.coaching.queries.relationships import CoCoachingRow, kind_of
from coachloop.coaching.rules.relationships import coaching_began_on, having_earlier_content


@dataclass
class TimelineEntry:
    on: object
    kind: str
    item: object


@dataclass
class TeacherHome:
    relationships: list
    current_steps: list
    timeline: list
    timeline_count: int
    co_coaching: list = field(default_factory=list)  # peers the teacher coaches in return
    # Coaching whose coach may read what came before it only if the teacher agrees.
    earlier: list = field(default_factory=list)

    @property
    def earlier_to_answer(self):
        return [r for r in self.earlier if r.earlier_content_consented_at is None]


def teacher_home(viewer, *, history_limit=None):
    """A teacher's own record: current steps with rehearsal plans, and history as a timeline.

    ``relationships`` holds only the coaching that is running now, each with its ``kind``,
    the day it ``began_on`` and who started it; ``earlier`` those of them whose coach may read
    what came before (coaching handed over, the teacher's own earlier stages and goal notes)
    only with the teacher's agreement, so the teacher can give or take it back.
    """
    # All the teacher's coaching, running and ended, and the co-coaching in which they coach a
    # peer, in one read: the steps and drop-ins below take their relationship (and its coach)
    # from here rather than joining it again.
    coaching_a_peer = Q(
        coach=viewer.user, kind=Relationship.Kind.CO_COACHING, finished_on__isnull=True
    )
    everything = list(
        Relationship.objects.filter(Q(teacher=viewer.user) | coaching_a_peer)
        .select_related("coach", "teacher", "strand", "started_by")
        .order_by("-started_on")
    )
    by_pk = {r.pk: r for r in everything}
    mine = [r for r in everything if r.teacher_id == viewer.pk]
    relationships = [r for r in mine if r.finished_on is None]
    for relationship in relationships:
        relationship.kind_summary = kind_of(relationship)
        relationship.began_on = coaching_began_on(relationship)
    steps = list(
        ActionStep.objects.filter(relationship_id__in=by_pk, closed_on__isnull=True).select_related(
            "framework_step"
        )
    )
    for step in steps:
        step.relationship = by_pk[step.relationship_id]
    current_steps = [s for s in steps if s.relationship.teacher_id == viewer.pk]
    for step in current_steps:
        step.kind_summary = kind_of(step.relationship)
    peers = sorted(
        (r for r in everything if r.teacher_id != viewer.pk),
        key=lambda r: (r.teacher.full_name, r.pk),
    )
    peer_steps = {s.relationship_id: s for s in steps if s.relationship.teacher_id != viewer.pk}
    timeline, timeline_count = _history(
        [r.pk for r in mine], limit=history_limit, by_pk=by_pk, current_steps=current_steps
    )
    return TeacherHome(
        relationships=relationships,
        current_steps=current_steps,
        timeline=timeline,
        timeline_count=timeline_count,
        co_coaching=[
            CoCoachingRow(relationship=r, current_step=peer_steps.get(r.pk)) for r in peers
        ],
        earlier=_with_earlier_content(relationships),
    )


def _with_earlier_content(relationships):
    """Those of the teacher's running ``relationships`` whose coach may read what came before
    only with the teacher's agreement: agreed already, handed over, or (asked of the database
    only for the rest, in one query) begun after content of the teacher's."""
    coached = [r for r in relationships if r.coach_id]
    known = {
        r.pk
        for r in coached
        if r.earlier_content_consented_at is not None or r.handed_over_from_id is not None
    }
    found = having_earlier_content([r.pk for r in coached if r.pk not in known])
    return [r for r in coached if r.pk in known or r.pk in found]


def _history(relationship_ids, *, limit, by_pk, current_steps):
    """The newest ``limit`` entries of the teacher's history (all of them with ``None``), and
    how many there are in all: the history of their coaching, ``relationship_ids``, running
    and ended, each in ``by_pk``. Each of ``current_steps`` (the teacher's own: a peer's
    plans are theirs and their coach's) gets its rehearsal plan, oldest first, as ``plan``:
    read with the rehearsals of the history.

    The newest ``limit`` entries hold no more than ``limit`` of each kind: drop-ins, steps and
    rehearsals are each read newest first with a LIMIT, and all of each counted in the same
    read (COUNT OVER, before the LIMIT). A step makes an entry when set (not a step carried
    on to a new coach: it was set once, before the handover) and one when closed, so the
    steps read are those whose latest entry is newest.
    """
    mine = Q(relationship_id__in=relationship_ids)
    dropins = list(
        with_followup_title(DropIn.objects.filter(mine, is_draft=False))
        .annotate(total=Window(Count("pk")))
        .order_by("-visited_on", "-pk")[:limit]
    )
    for dropin in dropins:
        dropin.relationship = by_pk[dropin.relationship_id]
    set_here = Q(continues__isnull=True)
    steps = list(
        ActionStep.objects.filter(mine, set_here | Q(closed_on__isnull=False))
        .annotate(
            latest=Greatest("set_on", Coalesce("closed_on", "set_on")),
            set_total=Window(Count("pk", filter=set_here)),
            closed_total=Window(Count("closed_on")),
        )
        .order_by("-latest", "-pk")[:limit]
    )
    steps.sort(key=lambda s: (s.set_on, s.pk), reverse=True)  # as the steps' own order
    rehearsals = _rehearsals(relationship_ids, limit=limit, current_steps=current_steps)
    timeline = [TimelineEntry(d.visited_on, "dropin", d) for d in dropins]
    timeline += [TimelineEntry(s.set_on, "step_set", s) for s in steps if not s.continues_id]
    timeline += [TimelineEntry(s.closed_on, "step_closed", s) for s in steps if s.closed_on]
    timeline += [TimelineEntry(r.done_on, "rehearsal", r) for r in rehearsals]
    timeline.sort(key=lambda e: (e.on, e.kind != "dropin"), reverse=True)
    count = sum(rows[0].total for rows in (dropins, rehearsals) if rows)
    count += (steps[0].set_total + steps[0].closed_total) if steps else 0
    return (timeline[:limit] if limit else timeline), count


def _rehearsals(relationship_ids, *, limit, current_steps):
    """The newest ``limit`` done rehearsals of ``relationship_ids`` (all with ``None``), each
    with the ``total`` done, newest first; and, in the same read, every rehearsal of
    ``current_steps`` (steps of those relationships), given to each step as its ``plan``.

    Every row read belongs to the relationships, so a row is done exactly when it is history:
    done rows are numbered newest first (not-done last) and counted over all rows read.
    """
    plans = {step.pk: step for step in current_steps}
    rows = Rehearsal.objects.filter(
        Q(done_on__isnull=False) | Q(action_step_id__in=plans),
        action_step__relationship_id__in=relationship_ids,
    ).annotate(total=Window(Count("done_on")))
    if limit is not None:
        rows = rows.annotate(
            newest=Window(
                RowNumber(), order_by=(F("done_on").desc(nulls_last=True), F("pk").desc())
            )
        ).filter(Q(newest__lte=limit) | Q(action_step_id__in=plans))
    rows = list(rows)
    for step in current_steps:
        step.plan = []
    for row in sorted(rows, key=lambda r: (r.planned_for, r.pk)):
        if row.action_step_id in plans:
            plans[row.action_step_id].plan.append(row)
    history = [r for r in rows if r.done_on and (limit is None or r.newest <= limit)]
    history.sort(key=lambda r: (r.done_on, r.pk), reverse=True)
    return history
