"""The coach's and the teacher's home pages: the coach's teachers in order of need, with a
count of each, and what is new on both homes since the person last looked.

What is new is read from the audit trail, which every write to a coaching record already
adds to with its time (the records' own dates are days, too coarse for "since 17:05"): for the
teacher, what someone else did to their drop-ins and steps; for the coach, what each of their
teachers did to the coaching the coach runs with them (a rehearsal logged, a step proposed,
agreed or put off). One query each, whatever the number of records.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import CharField, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coachloop.coaching.models import ActionStep, DropIn, Rehearsal, Relationship, StepProposal
from coachloop.coaching.queries.relationships import KindSummary, kind_of
from coachloop.coaching.rhythm import cadences, rhythm_for
from coachloop.coaching.rules.loop import reads_until
from coachloop.common.models import AuditEvent
from coachloop.people.models import Role

# What a teacher did that their coach has not seen yet, as the coach's list names it.
COACH_NEWS = {
    "rehearsal.logged": _("Logged a rehearsal"),
    "step_proposal.submitted": _("Proposed a next step"),
    "action_step.agreed": _("Agreed the step"),
    "action_step.not_now": _("Said “not now” to the step"),
}
STEP_ANSWERED = _("Answered the step")  # any other change a teacher made to their step
NEW_TEACHER = _("New to your list")

# Where a teacher comes in the coach's list: overdue first, then those needing a visit soon
# (due, or never visited), then the rest.
NOT_VISITED = "not_visited"
NEED_ORDER = {"overdue": 0, "due": 1, NOT_VISITED: 1, "ok": 2}


def _keys(queryset):
    """The rows' primary keys as text, as the audit trail keeps its targets'."""
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


@dataclass
class CoacheeRow:
    relationship: Relationship
    current_step: ActionStep | None
    rhythm: object
    draft_started: dt.datetime | None = None  # when the coach's unfinished drop-in began
    news: list = field(default_factory=list)  # what the teacher did since the coach looked

    @cached_property
    def kind(self) -> KindSummary:
        return kind_of(self.relationship)

    @property
    def has_draft(self):
        return self.draft_started is not None

    @property
    def need(self):
        """The decisive fact: "overdue", "due", "not_visited" or "ok"."""
        if self.rhythm.days_since is None and self.rhythm.status != "overdue":
            return NOT_VISITED
        return self.rhythm.status

    @property
    def needs_next_step(self):
        """The step has become habit: time to agree the next one."""
        return self.current_step is not None and (
            self.current_step.status == ActionStep.Status.EMBEDDED
        )


@dataclass
class Count:
    figure: int
    words: str
    attention: bool = False


@dataclass
class CoachHome:
    rows: list
    ended: list
    since: dt.datetime | None  # the visit before this one began; None on the first visit

    @property
    def first_visit(self):
        return self.since is None

    @property
    def with_news(self):
        return [row for row in self.rows if row.news]

    @property
    def counts(self):
        """How many teachers in each state, most urgent first; states with none left out."""
        needs = [row.need for row in self.rows]
        overdue, not_visited = needs.count("overdue"), needs.count(NOT_VISITED)
        due, ok, news = needs.count("due"), needs.count("ok"), len(self.with_news)
        found = [
            Count(
                overdue,
                ngettext("teacher overdue a drop-in", "teachers overdue a drop-in", overdue),
                attention=True,
            ),
            Count(
                not_visited,
                ngettext("teacher not visited yet", "teachers not visited yet", not_visited),
                attention=True,
            ),
            Count(due, ngettext("teacher due a drop-in", "teachers due a drop-in", due)),
            Count(ok, ngettext("teacher on track", "teachers on track", ok)),
            Count(
                news, ngettext("teacher with something new", "teachers with something new", news)
            ),
        ]
        return [count for count in found if count.figure]


def coach_home(viewer, *, since=None, today=None):
    """The coach's current teachers (coached, mentored or given specialist coaching), most in
    need of a drop-in first, each with what they did since ``since``; and the coaching the
    coach did that ended lately, whose record can still be read (not changed) until the day
    set when it ended. Co-coaching peers are on the teacher's own page instead."""
    today = today or timezone.localdate()
    # Rows ended before that day was kept fall back to the site's period.
    read_since = today - dt.timedelta(days=settings.COACHLOOP_READ_AFTER_END_DAYS)
    running = Q(finished_on__isnull=True, school__in=viewer.school_ids_with(Role.COACH)) & ~Q(
        kind=Relationship.Kind.CO_COACHING
    )
    readable = Q(finished_on__isnull=False) & (
        Q(coach_reads_until__gte=today)
        | Q(coach_reads_until__isnull=True, finished_on__gte=read_since)
    )
    recorded = DropIn.objects.filter(relationship=OuterRef("pk")).order_by()
    relationships = list(
        Relationship.objects.filter(running | readable, coach=viewer.user)
        .annotate(
            last_visit=_latest(recorded.filter(is_draft=False), "visited_on"),
            draft_started=_latest(recorded.filter(is_draft=True), "created_at"),
        )
        .select_related("teacher", "school", "strand")
    )
    _add_current_steps(relationships)
    mine = [r for r in relationships if r.finished_on is None]
    ended = sorted(
        (r for r in relationships if r.finished_on is not None),
        key=lambda r: (-r.finished_on.toordinal(), r.teacher.full_name),
    )
    for relationship in ended:
        relationship.reads_until = reads_until(relationship)
    cadence = cadences(viewer.trust, mine, on=today)
    rows = [
        CoacheeRow(
            relationship=rel,
            current_step=rel.current_step,
            rhythm=rhythm_for(
                last_visit=rel.last_visit,
                started_on=rel.started_on,
                today=today,
                cadence_days=cadence[rel.pk],
            ),
            draft_started=rel.draft_started,
        )
        for rel in mine
    ]
    if since is not None:
        _add_coach_news(rows, since=since)
    never_seen = 10_000
    rows.sort(
        key=lambda r: (
            NEED_ORDER[r.need],
            -(never_seen if r.rhythm.days_since is None else r.rhythm.days_since),
            r.relationship.teacher.full_name,
        )
    )
    return CoachHome(rows=rows, ended=ended, since=since)


def _latest(dropins, column):
    """The latest ``column`` of ``dropins``: a subquery per relationship served by the
    drop-ins' (relationship, is_draft, visited_on) index, rather than a join to every drop-in
    grouped by every column of the teacher, school and strand."""
    return Subquery(dropins.order_by(f"-{column}").values(column)[:1])


def _add_current_steps(relationships):
    """Give each relationship its ``current_step`` (one query for them all)."""
    by_pk = {r.pk: r for r in relationships}
    for relationship in relationships:
        relationship.current_step = None
    steps = ActionStep.objects.filter(relationship__in=list(by_pk), closed_on__isnull=True)
    for step in steps:  # newest first, as a relationship's steps are ordered
        relationship = by_pk[step.relationship_id]
        if relationship.current_step is None:
            step.relationship = relationship  # already read: no query to reach it again
            relationship.current_step = step


def _add_coach_news(rows, *, since):
    """What each teacher did to the coaching in ``rows`` since ``since`` (one query)."""
    if not rows:
        return
    by_teacher = {row.relationship.teacher_id: row for row in rows}
    ids = [row.relationship.pk for row in rows]
    steps = [str(row.current_step.pk) for row in rows if row.current_step]
    events = (
        AuditEvent.objects.filter(
            subject_id__in=list(by_teacher),
            actor_id=F("subject_id"),
            created_at__gt=since,
        )
        .filter(
            Q(target_type="coaching.actionstep", target_id__in=steps)
            | Q(
                target_type="coaching.rehearsal",
                verb="rehearsal.logged",
                target_id__in=_keys(Rehearsal.objects.filter(action_step__relationship__in=ids)),
            )
            | Q(
                target_type="coaching.stepproposal",
                verb="step_proposal.submitted",
                target_id__in=_keys(StepProposal.objects.filter(relationship__in=ids)),
            )
        )
        .order_by("-created_at", "-pk")
        .values_list("subject_id", "verb")
    )
    for teacher_id, verb in events:
        label = COACH_NEWS.get(verb, STEP_ANSWERED)
        news = by_teacher[teacher_id].news
        if label not in news:
            news.append(label)
    for row in rows:
        created = row.relationship.created_at
        if created is not None and created > since:
            row.news.insert(0, NEW_TEACHER)


@dataclass
class TeacherLead:
    """What the teacher's home leads with: what changed since they last looked, or, when
    nothing has (or on their first visit), the latest their coach wrote."""

    since: dt.datetime | None
    new_dropins: set  # primary keys
    new_steps: set
    dropins: list  # the drop-ins to lead with, newest first
    steps: list  # the current steps to lead with

    @property
    def first_visit(self):
        return self.since is None

    @property
    def has_news(self):
        return bool(self.new_dropins or self.new_steps)


LEAD_DROPINS = 3


def teacher_lead(viewer, *, home, since):
    """What ``home`` (``queries.teacher_home``) leads with for ``viewer``: what others changed of
    their drop-ins and steps since ``since`` (one query), or the latest drop-in."""
    new_dropins, new_steps = set(), set()
    if since is not None:
        events = (
            AuditEvent.objects.filter(subject=viewer.user, created_at__gt=since)
            .exclude(actor=viewer.user)
            .filter(
                Q(target_type="coaching.dropin", verb__in=["dropin.recorded", "dropin.edited"])
                | Q(target_type="coaching.actionstep", verb__startswith="action_step.")
            )
            .values_list("target_type", "target_id")
        )
        for target_type, target_id in events:
            chosen = new_dropins if target_type == "coaching.dropin" else new_steps
            chosen.add(int(target_id))
    recorded = [entry.item for entry in home.timeline if entry.kind == "dropin"]
    dropins = [d for d in recorded if d.pk in new_dropins][:LEAD_DROPINS] or recorded[:1]
    steps = [s for s in home.current_steps if s.pk in new_steps]
    return TeacherLead(
        since=since, new_dropins=new_dropins, new_steps=new_steps, dropins=dropins, steps=steps
    )
