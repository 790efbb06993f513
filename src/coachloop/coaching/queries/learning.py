"""Every read of goals, progress notes, reflections and evidence, given who is asking.

The "get it or 404" helpers answer the owner, and (for goals and evidence linked to coaching)
whoever may read that coaching's content; anyone else, of any rank, gets a 404 that does not
say the item exists. A coach is given the progress notes and evidence dated within their
coaching (``rules.learning.window_for``): those from before it began only once the teacher
agreed. A read of someone else's goal or evidence is audited for the teacher.
"""

import datetime as dt
from dataclasses import dataclass

import rules
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from coachloop.coaching.models import (
    ActionStep,
    EvidenceItem,
    EvidenceKind,
    Goal,
    GoalProgress,
    Reflection,
    Relationship,
)
from coachloop.coaching.rules.learning import window_for
from coachloop.coaching.rules.relationships import EVERYTHING, content_window
from coachloop.common.audit import audit_read

REVIEW_SOON_DAYS = 14  # a goal whose review is this close is highlighted


@dataclass
class GoalRow:
    goal: Goal
    review: str  # "overdue", "soon", "later", or "" once the goal is closed
    days_to_review: int


def review_state(goal, today):
    if goal.status != Goal.Status.OPEN:
        return ""
    if goal.review_on < today:
        return "overdue"
    if goal.review_on <= today + dt.timedelta(days=REVIEW_SOON_DAYS):
        return "soon"
    return "later"


def _row(goal, today):
    return GoalRow(
        goal=goal,
        review=review_state(goal, today),
        days_to_review=(goal.review_on - today).days,
    )


def _with_counts(goals, window=EVERYTHING):
    return goals.annotate(
        note_count=Count(
            "progress_notes", filter=window.q("progress_notes__written_on"), distinct=True
        ),
        evidence_count=Count("evidence", filter=window.q("evidence__added_on"), distinct=True),
    )


@dataclass
class GoalList:
    due: list  # open goals due for review soon or overdue, soonest first
    working: list  # other open goals
    closed: list  # achieved or set aside, latest review first

    @property
    def count(self):
        return len(self.due) + len(self.working) + len(self.closed)


def _goal_list(goals, today):
    rows = [_row(goal, today) for goal in goals]
    closed = [row for row in rows if not row.review]
    closed.sort(key=lambda row: (row.goal.review_on, row.goal.pk), reverse=True)
    return GoalList(
        due=[row for row in rows if row.review in ("overdue", "soon")],
        working=[row for row in rows if row.review == "later"],
        closed=closed,
    )


def my_goals(viewer, *, today=None):
    """The viewer's own goals, those due for review first."""
    today = today or timezone.localdate()
    goals = _with_counts(
        Goal.objects.filter(teacher=viewer.user).select_related("relationship__coach")
    ).order_by("review_on", "pk")
    return _goal_list(goals, today)


@dataclass
class CoacheeGoals:
    goals: GoalList
    can_set_goals: bool  # the coach may set a goal for this coaching


def coachee_goals(viewer, *, relationship, today=None):
    """The goals a teacher linked to this coaching, for whoever may read its content.

    Content, so a read by anyone but the teacher is audited."""
    if not rules.test_rule("coaching.read_content", viewer, relationship):
        raise Http404
    today = today or timezone.localdate()
    goals = list(
        _with_counts(
            Goal.objects.filter(relationship=relationship, teacher_id=relationship.teacher_id),
            content_window(viewer, relationship),
        ).order_by("review_on", "pk")
    )
    if goals:
        audit_read(
            viewer=viewer.user,
            target=relationship,
            subject=relationship.teacher,
            summary="goals",
        )
    return CoacheeGoals(
        goals=_goal_list(goals, today),
        can_set_goals=relationship.teacher_id != viewer.pk
        and rules.test_rule("coaching.write_content", viewer, relationship),
    )


def goal_for(viewer, pk, *, rule="coaching.read_goal", audit=True):
    """One goal the viewer may act on under ``rule``, or 404. Showing it to anyone but the
    teacher is audited, unless the caller shows none of it (``audit=False``), or shows it only
    on some paths and calls ``goal_shown`` on them."""
    goal = (
        Goal.objects.select_related("teacher", "relationship__coach", "relationship__teacher")
        .filter(pk=pk)
        .first()
    )
    if goal is None or not rules.test_rule(rule, viewer, goal):
        raise Http404
    if audit:
        goal_shown(viewer, goal)
    return goal


def goal_shown(viewer, goal):
    audit_read(viewer=viewer.user, target=goal, subject=goal.teacher, summary="goal")


@dataclass
class GoalPage:
    goal: Goal
    review: str
    days_to_review: int
    is_owner: bool
    can_change: bool
    evidence_kinds: list  # the labels of the kinds of evidence the goal expects
    progress: list
    evidence: list
    reflections: list  # the owner's own entries about this goal; empty for anyone else
    earlier_hidden_before: object = None  # for a coach: notes or evidence before this day exist


def _earlier_hidden(goal, window):
    """Whether the goal has notes or evidence from before the window (one query, only when it
    has a start), so the coach is told more shows once the teacher agrees."""
    if window.since is None:
        return False
    return Goal.objects.filter(
        Q(progress_notes__written_on__lt=window.since) | Q(evidence__added_on__lt=window.since),
        pk=goal.pk,
    ).exists()


def goal_page(viewer, *, goal, today=None):
    """A goal with its progress notes and evidence, as ``goal_for`` returned it: for a coach,
    those dated within their window."""
    today = today or timezone.localdate()
    is_owner = goal.teacher_id == viewer.pk
    window = window_for(viewer, goal)
    progress = list(
        GoalProgress.objects.filter(window.q("written_on"), goal=goal)
        .select_related("written_by")
        .order_by("-written_on", "-pk")
    )
    evidence = list(
        EvidenceItem.objects.filter(window.q("added_on"), goal=goal).order_by("-added_on", "-pk")
    )
    reflections = (
        list(
            Reflection.objects.filter(goal=goal, teacher=viewer.user).only(
                "pk", "title", "written_on"
            )
        )
        if is_owner
        else []
    )
    row = _row(goal, today)
    return GoalPage(
        goal=goal,
        review=row.review,
        days_to_review=row.days_to_review,
        is_owner=is_owner,
        can_change=rules.test_rule("coaching.change_goal", viewer, goal),
        evidence_kinds=[
            label for value, label in EvidenceKind.choices if value in goal.evidence_kinds
        ],
        progress=progress,
        evidence=evidence,
        reflections=reflections,
        earlier_hidden_before=window.since if _earlier_hidden(goal, window) else None,
    )


def relationships_to_link(viewer, *, keep=None):
    """The viewer's running coaching, as a teacher, that a goal may be linked to (and
    ``keep``, the goal's current link, even if that coaching has ended)."""
    found = Q(teacher=viewer.user, finished_on__isnull=True, coach__isnull=False)
    if keep is not None:
        found |= Q(pk=keep.pk, teacher=viewer.user)
    return Relationship.objects.filter(found).select_related("coach").order_by("started_on", "pk")


# -- reflections ---------------------------------------------------------------------------


def my_reflections(viewer):
    return list(
        Reflection.objects.filter(teacher=viewer.user)
        .select_related("goal", "action_step")
        .order_by("-written_on", "-pk")
    )


def reflection_for(viewer, pk, *, rule="coaching.read_reflection"):
    """One of the viewer's own journal entries, or 404 (nobody else reads them here)."""
    reflection = (
        Reflection.objects.select_related("goal", "action_step", "teacher").filter(pk=pk).first()
    )
    if reflection is None or not rules.test_rule(rule, viewer, reflection):
        raise Http404
    return reflection


@dataclass
class ReflectionTopics:
    """What an entry can be about: the teacher's open goals and current steps."""

    goals: list
    steps: list


def reflection_topics(viewer, *, keep_goal=None, keep_step=None):
    goals = Q(teacher=viewer.user, status=Goal.Status.OPEN)
    if keep_goal is not None:
        goals |= Q(pk=keep_goal.pk, teacher=viewer.user)
    steps = Q(relationship__teacher=viewer.user, closed_on__isnull=True)
    if keep_step is not None:
        steps |= Q(pk=keep_step.pk, relationship__teacher=viewer.user)
    return ReflectionTopics(
        goals=list(Goal.objects.filter(goals).order_by("review_on", "pk")),
        steps=list(ActionStep.objects.filter(steps).order_by("-set_on", "-pk")),
    )


# -- evidence ------------------------------------------------------------------------------


def evidence_for(viewer, pk, *, rule="coaching.read_evidence", audit=True, kind=None):
    """One piece of evidence the viewer may act on under ``rule`` (and of ``kind``, if
    given), or 404. Showing or sending it to anyone but the teacher is audited."""
    item = (
        EvidenceItem.objects.select_related(
            "teacher",
            "goal__relationship",
            "action_step__relationship",
        )
        .filter(pk=pk)
        .first()
    )
    if item is None or (kind and item.kind != kind) or not rules.test_rule(rule, viewer, item):
        raise Http404
    if audit:
        audit_read(viewer=viewer.user, target=item, subject=item.teacher, summary="evidence")
    return item


def my_evidence(viewer):
    """All the viewer's own evidence, newest first, with what each piece is for."""
    return list(
        EvidenceItem.objects.filter(teacher=viewer.user)
        .select_related("goal", "action_step")
        .order_by("-added_on", "-pk")
    )


def goal_to_add_evidence(viewer, pk):
    """One of the viewer's own goals, to add evidence to, or 404."""
    return goal_for(viewer, pk, rule="coaching.add_evidence", audit=False)


def step_for(viewer, pk, *, rule="coaching.read_content"):
    """An action step whose coaching the viewer may act on under ``rule``, or 404; with
    ``coaching.add_evidence``, only the teacher's own."""
    step = (
        ActionStep.objects.select_related("relationship__teacher", "relationship__coach")
        .filter(pk=pk)
        .first()
    )
    if step is None:
        raise Http404
    subject = step if rule == "coaching.add_evidence" else step.relationship
    if not rules.test_rule(rule, viewer, subject):
        raise Http404
    return step


def step_evidence(viewer, *, step):
    """The evidence on one action step (``step_for`` checked the viewer may read it), dated
    within the viewer's window."""
    items = list(
        EvidenceItem.objects.filter(
            window_for(viewer, step).q("added_on"),
            action_step=step,
            teacher_id=step.relationship.teacher_id,
        ).order_by("-added_on", "-pk")
    )
    if items:
        audit_read(
            viewer=viewer.user,
            target=step,
            subject=step.relationship.teacher,
            summary="evidence on a step",
        )
    return items
