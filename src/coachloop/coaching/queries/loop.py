"""The coaching loop's reads, given who is asking: a coach's teachers and each one's page,
drop-ins, action steps and rehearsals, the coaching lead's activity (the teacher's home is
``queries.teacher_home``).

Content (notes, evidence, rehearsal plans) leaves this module only for people the rules allow,
and each read of someone else's content writes an audit event. Activity rows for a coaching
lead are built from named columns, so notes never leave the database for them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import rules
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Window,
)
from django.http import Http404
from django.utils import timezone

from coachloop.coaching.models import ActionStep, DropIn, Rehearsal, Relationship
from coachloop.coaching.models.loop import step_status_label
from coachloop.coaching.queries.relationships import (
    KIND_VALUES,
    KindSummary,
    kind_of,
    kind_of_row,
)
from coachloop.coaching.rhythm import rhythm_for
from coachloop.coaching.rules.loop import reads_until
from coachloop.common.audit import audit_read
from coachloop.people.models import Membership, Role, StaffGroup
from coachloop.people.rules import check_runs_school
from coachloop.policy.queries import school_models

RHYTHM_ORDER = {"overdue": 0, "due": 1, "ok": 2}


def _current_step_prefetch(to_attr="current_steps"):
    return Prefetch(
        "action_steps",
        queryset=ActionStep.objects.filter(closed_on__isnull=True).select_related(
            "framework_step__strand"
        ),
        to_attr=to_attr,
    )


def with_followup_title(dropins):
    """The drop-ins with the title of the step each looked for, ``followup_title``: a list of
    drop-ins shows no more of the step, so it is read as a column, not as a step."""
    return dropins.annotate(followup_title=F("followup_step__title"))


def relationship_for(viewer, pk, *, rule="coaching.read_content"):
    """A relationship the viewer may act on under ``rule``, or 404 (never a hint it exists)."""
    relationship = (
        Relationship.objects.select_related("teacher", "coach", "school", "strand")
        .filter(pk=pk)
        .first()
    )
    if relationship is None or not rules.test_rule(rule, viewer, relationship):
        raise Http404
    return relationship


def current_step(relationship):
    return (
        relationship.action_steps.filter(closed_on__isnull=True)
        .select_related("framework_step__strand")
        .first()
    )


def step_to_revise(relationship, pk):
    """The step of this relationship the teacher said "not now" to, whose wording the coach
    starts a new proposal from; None for anything else (a stale or altered link)."""
    if not pk or not str(pk).isdigit():
        return None
    return relationship.action_steps.filter(pk=pk, outcome=ActionStep.Outcome.NOT_NOW).first()


def step_to_close(relationship):
    """The current step, if setting another must say how it ended: one still proposed is
    simply replaced."""
    current = current_step(relationship)
    return current if current is not None and current.is_agreed else None


@dataclass
class CoacheePage:
    relationship: Relationship
    can_write: bool
    current_step: ActionStep | None
    rehearsals: list
    earlier_steps: list
    dropins: list
    dropin_count: int
    has_draft: bool = False
    kind: KindSummary | None = None
    handed_over_from: Relationship | None = None  # for its new coach: the coaching before
    reads_until: object = None  # for an ended relationship: the last day it can be read

    @property
    def answered_not_now(self):
        """With no current step: the last one, if the teacher said "not now" to it."""
        if self.current_step is None and self.earlier_steps:
            latest = self.earlier_steps[0]
            if latest.outcome == ActionStep.Outcome.NOT_NOW:
                return latest
        return None


def coachee_page(viewer, *, relationship, dropin_limit=None):
    """One teacher's coaching record: content, so the read is audited.

    Drafts are the coach's own and show only to the coach who may still write. A coach who
    took the coaching over is shown whom from, and led to the earlier coaching's page.
    """
    can_write = rules.test_rule("coaching.write_content", viewer, relationship)
    # Every step for the list of earlier ones; rehearsals only of the current step, below.
    steps = list(relationship.action_steps.select_related("framework_step__strand"))
    current = next((s for s in steps if s.closed_on is None), None)
    # Only the newest drop-ins are read, with a count of all (and of drafts) beside them in the
    # same query (COUNT OVER, before the LIMIT). Drafts sort after every recorded drop-in, so
    # one is read only when fewer are recorded than the page shows, and is not listed.
    is_draft = Q(is_draft=True)
    rows = list(
        with_followup_title(relationship.dropins.all())
        .annotate(
            recorded=Window(Count("pk", filter=~is_draft)),
            drafts=Window(Count("pk", filter=is_draft)),
        )
        .order_by("is_draft", "-visited_on", "-pk")[:dropin_limit]
    )
    dropins = [d for d in rows if not d.is_draft]
    counts = {"recorded": rows[0].recorded, "drafts": rows[0].drafts} if rows else {}
    audit_read(
        viewer=viewer.user,
        target=relationship,
        subject=relationship.teacher,
        summary="coaching record",
    )
    return CoacheePage(
        relationship=relationship,
        can_write=can_write,
        current_step=current,
        rehearsals=list(current.rehearsals.all()) if current else [],
        earlier_steps=[s for s in steps if s.closed_on is not None],
        dropins=dropins,
        dropin_count=counts.get("recorded", 0),
        has_draft=can_write and counts.get("drafts", 0) > 0,
        kind=kind_of(relationship),
        handed_over_from=_handed_over_from(relationship) if can_write else None,
        reads_until=None if relationship.finished_on is None else reads_until(relationship),
    )


def _handed_over_from(relationship):
    """The coaching this one was handed over from, with its coach, or None (no query)."""
    if relationship.handed_over_from_id is None:
        return None
    earlier = Relationship.objects.select_related("coach")
    return earlier.filter(pk=relationship.handed_over_from_id).first()


def open_draft(viewer, *, relationship):
    """The coach's unfinished drop-in for this teacher, if any."""
    return (
        DropIn.objects.filter(
            relationship=relationship, is_draft=True, relationship__coach=viewer.user
        )
        .order_by("-updated_at")
        .first()
    )


@dataclass
class RecentDropIns:
    """What the drop-in form needs from the latest drop-ins: their classes to offer, and
    their ids, so a copy kept on the phone of one already recorded is not brought back."""

    classes: list
    uuids: list


def recent_dropins(viewer, *, relationship, limit=20):
    rows = list(
        DropIn.objects.filter(relationship=relationship, is_draft=False)
        .order_by("-visited_on", "-pk")
        .values_list("class_or_group", "uuid")[:limit]
    )
    classes = []
    for name, _uuid in rows:
        if name not in classes:
            classes.append(name)
    return RecentDropIns(classes=classes[:5], uuids=[str(uuid) for _name, uuid in rows])


def dropin_for(viewer, pk, *, rule="coaching.read_content", audit=True, drafts=False):
    """One recorded drop-in (or, with ``drafts``, the coach's own draft), or 404.

    Showing its content to anyone but the teacher is audited, unless the caller shows none
    (``audit=False``), or shows it only on some paths and calls ``dropin_shown`` on them. A
    draft is the coach's working copy, not yet part of the teacher's record, so reading it is
    not listed for the teacher.
    """
    dropin = (
        DropIn.objects.select_related(
            "relationship__teacher",
            "relationship__coach",
            "relationship__school",
            "followup_step",
        )
        .filter(pk=pk)
        .first()
    )
    if dropin is None or not rules.test_rule(rule, viewer, dropin.relationship):
        raise Http404
    if dropin.is_draft and not (drafts and dropin.relationship.coach_id == viewer.pk):
        raise Http404
    if audit:
        dropin_shown(viewer, dropin)
    return dropin


def recorded_dropin(viewer, *, relationship, uuid):
    """The id of this relationship's recorded drop-in with ``uuid``, if there is one: a drop-in
    posted again with it is a retry, answered with the first (the API's 200, not 201)."""
    return (
        DropIn.objects.filter(relationship=relationship, uuid=uuid, is_draft=False)
        .values_list("pk", flat=True)
        .first()
    )


def dropin_shown(viewer, dropin):
    """Record that the viewer was shown a recorded drop-in (a draft is not the teacher's yet)."""
    if not dropin.is_draft:
        audit_read(
            viewer=viewer.user,
            target=dropin,
            subject=dropin.relationship.teacher,
            summary=f"drop-in of {dropin.visited_on:%Y-%m-%d}",
        )


def action_step_for(viewer, pk, *, rule):
    step = (
        ActionStep.objects.select_related(
            "relationship__teacher", "relationship__coach", "framework_step"
        )
        .filter(pk=pk)
        .first()
    )
    if step is None or not rules.test_rule(rule, viewer, step.relationship):
        raise Http404
    return step


def step_card(viewer, pk):
    """One step with its strand and rehearsals, as its card on the coach's page shows it.

    Used to show the card again just after the coach changed the step. The card shows the
    rehearsal plans, so showing it is a read of the teacher's record like any other.
    """
    step = (
        ActionStep.objects.select_related(
            "relationship__teacher", "relationship__coach", "framework_step__strand"
        )
        .filter(pk=pk)
        .first()
    )
    if step is None or not rules.test_rule("coaching.read_content", viewer, step.relationship):
        raise Http404
    audit_read(
        viewer=viewer.user,
        target=step,
        subject=step.relationship.teacher,
        summary="action step and its rehearsal plans",
    )
    return step, list(step.rehearsals.all())


def rehearsal_for(viewer, pk, *, rule, audit=True):
    """One rehearsal, or 404. Showing its plan to anyone but the teacher is audited (a page
    that shows it only on some paths passes ``audit=False`` and calls ``rehearsal_shown``)."""
    rehearsal = (
        Rehearsal.objects.select_related(
            "action_step__relationship__teacher", "action_step__relationship__coach"
        )
        .filter(pk=pk)
        .first()
    )
    if rehearsal is None or not rules.test_rule(rule, viewer, rehearsal.action_step.relationship):
        raise Http404
    if audit:
        rehearsal_shown(viewer, rehearsal)
    return rehearsal


def rehearsal_shown(viewer, rehearsal):
    audit_read(
        viewer=viewer.user,
        target=rehearsal,
        subject=rehearsal.action_step.relationship.teacher,
        summary=f"rehearsal planned for {rehearsal.planned_for:%Y-%m-%d}",
    )


@dataclass
class ActivityRow:
    """What a coaching lead may see of one teacher's coaching: no notes."""

    relationship_id: int
    teacher_name: str
    coach_name: str
    step_title: str | None
    step_status: str | None
    last_visit: object
    rhythm: object
    kind: KindSummary | None = None
    handed_over: bool = False


class Standing(NamedTuple):
    """Where one running relationship stands: enough to order and count it, kept as a tuple
    (its Rhythm, with its words, is made only for a row a page shows)."""

    relationship_id: int
    status: str  # the rhythm's: "overdue", "due" or "ok"
    last_visit: object
    started_on: object
    cadence_days: int

    def rhythm(self, today):
        return rhythm_for(
            last_visit=self.last_visit,
            started_on=self.started_on,
            today=today,
            cadence_days=self.cadence_days,
        )


class LeadActivity(Sequence):
    """A school's running coaching, most urgent first, read in two steps so a page costs the
    same however large the school: every relationship's standing (a tuple of a few columns
    each, for the order and the counts), then the full rows (names, kind, current step,
    rhythm) of only the ones a page asks for, by slicing. Each slice reads its rows afresh:
    slice once per page."""

    def __init__(self, standings, today):
        self.standings = standings
        self.today = today

    def __len__(self):
        return len(self.standings)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _activity_rows(self.standings[index], self.today)
        return _activity_rows([self.standings[index]], self.today)[0]


def _staff_group(school, today):
    """The teacher's staff group from their current teacher role in the school, as a
    subquery (no role there: ``None``, which a coaching model reads as a teacher's)."""
    return Subquery(
        Membership.objects.current(today)
        .filter(
            trust_id=school.trust_id,
            school_id=school.pk,
            role=Role.TEACHER,
            user_id=OuterRef("teacher_id"),
        )
        .order_by("-started_on", "-pk")
        .values("staff_group")[:1]
    )


def _last_visit():
    """A relationship's latest recorded drop-in date, as a subquery: one step back along the
    drop-ins' (relationship, is_draft, visited_on) index for each relationship, where joining
    every drop-in and grouping sorts them all."""
    return Subquery(
        DropIn.objects.filter(relationship=OuterRef("pk"), is_draft=False)
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )


def lead_activity(viewer, *, school, today=None):
    """Who has been coached when, and on which step, in a school the viewer leads.

    The standings are read as tuples in one query, with each teacher's staff group joined
    in SQL, so nothing is sent to the database per teacher; the cadence is the
    relationship's own or the school's model for that group, as ``rhythm.cadences`` has it.
    """
    check_runs_school(viewer, school, hide=True)
    today = today or timezone.localdate()
    # The viewer's trust is the school's (``check_runs_school``), and is loaded already.
    model = school_models(viewer.trust, [school.pk])[school.pk]
    by_group = {}  # the model's cadence for each staff group met, worked out once
    rows = (
        Relationship.objects.filter(school=school, finished_on__isnull=True)
        .annotate(last_visit=_last_visit(), staff_group=_staff_group(school, today))
        .order_by("teacher__full_name", "pk")
        .values_list("pk", "last_visit", "started_on", "cadence_days", "staff_group")
    )
    standings = []
    for pk, last_visit, started_on, own_days, group in rows:
        if own_days is None:
            if group not in by_group:
                by_group[group] = model.cadence_days(group or StaffGroup.TEACHER)
            own_days = by_group[group]
        status = rhythm_for(
            last_visit=last_visit, started_on=started_on, today=today, cadence_days=own_days
        ).status
        standings.append(Standing(pk, status, last_visit, started_on, own_days))
    standings.sort(key=lambda s: RHYTHM_ORDER[s.status])  # stable: names stay in order
    return LeadActivity(standings, today)


def _activity_rows(standings, today):
    """The full rows of these standings, in their order: two queries, whatever their number."""
    if not standings:
        return []
    pks = [s.relationship_id for s in standings]
    found = {
        row["pk"]: row
        for row in Relationship.objects.filter(pk__in=pks).values(
            "pk", "teacher__full_name", "coach__full_name", "handed_over_from_id", *KIND_VALUES
        )
    }
    steps = {
        s["relationship_id"]: s
        for s in ActionStep.objects.filter(relationship_id__in=pks, closed_on__isnull=True).values(
            "relationship_id", "title", "status", "agreed_on", "outcome"
        )
    }
    result = []
    for standing in standings:
        row = found[standing.relationship_id]
        step = steps.get(standing.relationship_id)
        result.append(
            ActivityRow(
                relationship_id=standing.relationship_id,
                teacher_name=row["teacher__full_name"],
                coach_name=row["coach__full_name"],
                step_title=step["title"] if step else None,
                step_status=step_status_label(
                    status=step["status"], agreed_on=step["agreed_on"], outcome=step["outcome"]
                )
                if step
                else None,
                last_visit=standing.last_visit,
                rhythm=standing.rhythm(today),
                kind=kind_of_row(row),
                handed_over=row["handed_over_from_id"] is not None,
            )
        )
    return result


def lead_recent_visits(viewer, *, school, limit=10):
    """The latest recorded drop-ins in the school, as activity: date, people, step.

    One more row than ``limit`` is read, so the page knows whether there are more.
    """
    check_runs_school(viewer, school, hide=True)
    return list(
        DropIn.objects.filter(relationship__school=school, is_draft=False)
        .order_by("-visited_on", "-pk")
        .values(
            "visited_on",
            "relationship__teacher__full_name",
            "relationship__coach__full_name",
            "followup_step__title",
        )[: limit + 1]
    )
