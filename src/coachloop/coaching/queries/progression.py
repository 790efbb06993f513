"""Reads for progression: a teacher's stage on each strand over time, and the steps they
proposed themselves.

Both are the teacher's content. The teacher reads their own; the coach of their coaching reads
them under ``coaching.read_stages``, each such read audited, and only the stages recorded
while their coaching ran, or before it too once the teacher agreed (``content_window``).
Nobody else is given a row. Each function runs a fixed number of queries, whatever the
number of stages or steps.
"""

import datetime as dt
from dataclasses import dataclass, field

import rules
from django.db.models import Exists, Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from coachloop.coaching import charts
from coachloop.coaching.models import (
    ActionStep,
    Relationship,
    Stage,
    StageAssessment,
    StepProposal,
)
from coachloop.coaching.rules.relationships import EVERYTHING, ContentWindow, content_window
from coachloop.common.audit import audit_read
from coachloop.frameworks import queries as framework_queries
from coachloop.people.models import Role, Term
from coachloop.policy import queries as policy_queries

# One line for each stage, in the teacher's own terms (the stages describe a way of working on
# one aspect of practice, never a person, and a stage can go down when the context changes).
STAGE_HINTS = {
    Stage.NOVICE: _("You follow the rules and routines you have been taught, step by step."),
    Stage.ADVANCED_BEGINNER: _(
        "You use them in familiar moments and start to notice when a lesson needs something else."
    ),
    Stage.COMPETENT: _("You plan deliberately, decide what matters most and take charge of it."),
    Stage.PROFICIENT: _(
        "You read the whole lesson quickly and see what it needs, then think through your response."
    ),
    Stage.EXPERT: _("You respond fluently without stopping to think, and can still explain why."),
}


# ---------------------------------------------------------------------------------------------
# Terms: the periods a share over time is counted in (months where no terms are set)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    label: str
    starts_on: dt.date
    kind: str = "term"  # or "month"


def terms_between(trust, start, end) -> list:
    """The trust's terms in the academic years from ``start`` to ``end`` (one query)."""
    return list(
        Term.objects.filter(
            trust=trust,
            academic_year__starts_on__lte=end,
            academic_year__ends_on__gte=start,
        )
        .select_related("academic_year")
        .order_by("starts_on", "pk")
    )


def _term_of(day, terms):
    """The term ``day`` counts in: the latest of its academic year to have started by then
    (holidays count with the term before them), or that year's first term if none has; None
    when no academic year with terms holds the day."""
    found = None
    for term in terms:
        year = term.academic_year
        if not year.starts_on <= day <= year.ends_on:
            continue
        if found is None or term.starts_on <= day:
            found = term
    return found


def _month(day):
    return Period(label=date_format(day, "F Y"), starts_on=day.replace(day=1), kind="month")


def periods_for(days, terms) -> dict:
    """Each day's period: its school term, or its calendar month for every day when some day
    falls outside the terms set up (so one list never mixes terms and months)."""
    days = set(days)
    found = {day: _term_of(day, terms) for day in days}
    if any(term is None for term in found.values()):
        return {day: _month(day) for day in days}
    return {day: Period(label=str(term), starts_on=term.starts_on) for day, term in found.items()}


# ---------------------------------------------------------------------------------------------
# Stage paths and the share of steps the teacher proposed
# ---------------------------------------------------------------------------------------------


@dataclass
class StagePoint:
    on: dt.date
    stage: int
    note: str
    by_coach: bool
    by_name: str

    @property
    def label(self):
        return Stage(self.stage).label


@dataclass
class StepMarker:
    on: dt.date
    title: str
    by_teacher: bool


@dataclass
class StrandPath:
    code: str
    title: str
    current: bool = True  # a strand of the framework the school uses now
    points: list = field(default_factory=list)
    markers: list = field(default_factory=list)
    chart: object = None

    @property
    def latest(self):
        return self.points[-1] if self.points else None

    @property
    def timeline(self):
        """Stages and steps set, in date order: the chart's table."""
        rows = [(p.on, 0, p, None) for p in self.points]
        rows += [(m.on, 1, None, m) for m in self.markers]
        rows.sort(key=lambda row: (row[0], row[1]))
        return [{"on": on, "stage": point, "step": marker} for on, _k, point, marker in rows]


@dataclass
class ShareRow:
    label: str
    steps: int
    proposed: int
    kind: str = "term"  # or "month", where the trust has set no terms

    @property
    def percent(self):
        return round(100 * self.proposed / self.steps) if self.steps else None


@dataclass
class ProgressionPage:
    teacher: object
    relationship: Relationship | None  # the coaching a coach is looking from
    paths: list
    share: list
    share_chart: object
    can_place: bool
    window: ContentWindow = EVERYTHING  # the days of stages shown
    earlier_hidden: bool = False  # stages from before the window, kept from a coach

    @property
    def share_by_month(self):
        return bool(self.share) and self.share[0].kind == "month"


def _teacher_schools(viewer):
    return [school.pk for school in viewer.schools_with(Role.TEACHER)]


def strands_for(viewer, *, school_ids) -> list:
    """The current strands of the frameworks these schools use, one per strand code, in the
    framework's order (three queries)."""
    models = policy_queries.school_models(viewer.trust, school_ids)
    framework_ids = {model.framework_id for model in models.values()}
    strands = framework_queries.current_strands(viewer)
    if framework_ids and None not in framework_ids:
        strands = [s for s in strands if s.version.framework_id in framework_ids]
    unique = {}
    for strand in strands:
        unique.setdefault(strand.code, strand)
    return list(unique.values())


def strand_choices(viewer, *, teacher, relationship=None) -> list:
    """The strands someone may be placed on: those of the framework their school uses (the
    coaching's school, when their coach places them)."""
    if relationship is not None:
        return strands_for(viewer, school_ids=[relationship.school_id])
    return strands_for(viewer, school_ids=_teacher_schools(viewer))


def _stages(teacher, *, window=EVERYTHING):
    rows = StageAssessment.objects.filter(window.q("assessed_on"), teacher=teacher)
    return list(rows.select_related("assessed_by").order_by("assessed_on", "pk"))


def _stages_and_earlier(teacher, window):
    """The stages in the window, and whether the teacher has any from before it (so the coach
    is told more shows once the teacher agrees). The second is asked with the first, in one
    query, unless no stage is shown at all."""
    if window.since is None:
        return _stages(teacher, window=window), False
    earlier = StageAssessment.objects.filter(teacher=teacher, assessed_on__lt=window.since)
    rows = StageAssessment.objects.filter(window.q("assessed_on"), teacher=teacher).annotate(
        earlier=Exists(earlier)
    )
    stages = list(rows.select_related("assessed_by").order_by("assessed_on", "pk"))
    return stages, stages[0].earlier if stages else earlier.exists()


def _steps(viewer, teacher, *, relationship=None):
    """The teacher's steps: all of them for the teacher. For their coach, looking from
    ``relationship``: the steps of coaching they themselves may read, and of the coaching
    handed over to them once the teacher has agreed (the rules decide each). A step carried
    over at a handover is the same step again, so it counts once."""
    steps = list(
        ActionStep.objects.filter(relationship__teacher=teacher)
        .select_related("relationship", "framework_step__strand")
        .order_by("set_on", "pk")
    )
    if viewer.pk != teacher.pk:
        candidates = {s.relationship_id: s.relationship for s in steps}
        readable = {
            pk
            for pk, rel in candidates.items()
            if (rel.coach_id == viewer.pk or pk in _handed_over_chain(relationship, candidates))
            and rules.test_rule("coaching.read_content", viewer, rel)
        }
        steps = [s for s in steps if s.relationship_id in readable]
    counted = {s.pk for s in steps}
    return [s for s in steps if s.continues_id not in counted]


def _handed_over_chain(relationship, relationships):
    """The coaching handed over, step by step, to ``relationship``, of those loaded."""
    chain = set()
    earlier = relationship.handed_over_from_id if relationship else None
    while earlier is not None and earlier not in chain and earlier in relationships:
        chain.add(earlier)
        earlier = relationships[earlier].handed_over_from_id
    return chain


def _paths(strands, stages, steps, teacher):
    paths = {s.code: StrandPath(code=s.code, title=s.title) for s in strands}
    for row in stages:
        path = paths.get(row.strand_code)
        if path is None:  # a strand of an earlier framework, kept under its title then
            path = paths[row.strand_code] = StrandPath(
                code=row.strand_code, title=row.strand_title, current=False
            )
        path.points.append(
            StagePoint(
                on=row.assessed_on,
                stage=row.stage,
                note=row.note,
                by_coach=row.assessed_by_id != teacher.pk and bool(row.name_of("assessed_by")),
                by_name=row.name_of("assessed_by"),
            )
        )
    for step in steps:
        strand = step.framework_step.strand if step.framework_step else None
        if strand is not None and strand.code in paths:
            paths[strand.code].markers.append(
                StepMarker(
                    on=step.set_on,
                    title=step.title,
                    by_teacher=step.proposed_by_id == teacher.pk,
                )
            )
    # Strands of the current framework first, in its order; older strands after, by title.
    current = [paths[s.code] for s in strands]
    older = sorted(
        (p for code, p in paths.items() if code not in {s.code for s in strands}),
        key=lambda p: p.title,
    )
    for path in current + older:
        path.chart = charts.stage_path(path.title, path.points, path.markers)
    return current + older


def proposed_share(steps, teacher, terms) -> list[ShareRow]:
    """Steps set in each term and how many of them the teacher proposed. Steps whose proposer
    is not known (imported from a record that did not say) are left out."""
    known = [s for s in steps if s.proposed_by_id is not None or "proposed_by" in s.as_imported]
    periods = periods_for([s.set_on for s in known], terms)
    rows = {}
    for step in known:
        period = periods[step.set_on]
        row = rows.setdefault(
            period, ShareRow(label=period.label, steps=0, proposed=0, kind=period.kind)
        )
        row.steps += 1
        row.proposed += int(step.proposed_by_id == teacher.pk)
    return [rows[p] for p in sorted(rows, key=lambda p: p.starts_on)]


def _page(viewer, *, teacher, relationship, strands, stages, steps, can_place, **shown):
    today = timezone.localdate()
    first = min([s.set_on for s in steps] or [today])
    terms = terms_between(viewer.trust, first, today)
    share = proposed_share(steps, teacher, terms)
    return ProgressionPage(
        teacher=teacher,
        relationship=relationship,
        paths=_paths(strands, stages, steps, teacher),
        share=share,
        share_chart=charts.share_bars(share),
        can_place=can_place,
        **shown,
    )


def my_progression(viewer) -> ProgressionPage:
    """The teacher's own stages and steps (six queries)."""
    teacher = viewer.user
    return _page(
        viewer,
        teacher=teacher,
        relationship=None,
        strands=strand_choices(viewer, teacher=teacher),
        stages=_stages(teacher),
        steps=_steps(viewer, teacher),
        can_place=True,
    )


def coachee_progression(viewer, *, relationship) -> ProgressionPage:
    """A teacher's stages and steps, as their coach reads them: audited. Stages from before
    the coaching began show once the teacher agrees; a former coach sees none recorded after
    it ended."""
    if not rules.test_rule("coaching.read_stages", viewer, relationship):
        raise Http404
    teacher = relationship.teacher
    window = content_window(viewer, relationship)
    stages, earlier_hidden = _stages_and_earlier(teacher, window)
    page = _page(
        viewer,
        teacher=teacher,
        relationship=relationship,
        strands=strand_choices(viewer, teacher=teacher, relationship=relationship),
        stages=stages,
        steps=_steps(viewer, teacher, relationship=relationship),
        can_place=rules.test_rule("coaching.place_on_stage", viewer, relationship),
        window=window,
        earlier_hidden=earlier_hidden,
    )
    audit_read(
        viewer=viewer.user,
        target=relationship,
        subject=teacher,
        summary="stages on the framework's strands",
    )
    return page


# ---------------------------------------------------------------------------------------------
# Proposed steps
# ---------------------------------------------------------------------------------------------


def _proposals():
    return StepProposal.objects.select_related("framework_step", "action_step").order_by(
        "-proposed_on", "-pk"
    )


@dataclass
class CoachingProposals:
    """One running coaching of the teacher's, with what they have proposed in it."""

    relationship: Relationship
    open: StepProposal | None
    earlier: list


def my_running_coaching(viewer) -> list[CoachingProposals]:
    """The teacher's running coaching, each with its open proposal and earlier ones (two
    queries)."""
    relationships = list(
        Relationship.objects.filter(teacher=viewer.user, finished_on__isnull=True)
        .select_related("coach", "school")
        .prefetch_related(Prefetch("step_proposals", queryset=_proposals(), to_attr="proposals"))
        .order_by("-started_on", "pk")
    )
    return [_with_proposals(rel) for rel in relationships]


def _with_proposals(relationship):
    proposals = relationship.proposals
    current = next((p for p in proposals if p.status == StepProposal.Status.OPEN), None)
    return CoachingProposals(
        relationship=relationship,
        open=current,
        earlier=[p for p in proposals if p is not current],
    )


def proposals_for(viewer, *, relationship, audit=True) -> CoachingProposals:
    """A relationship's proposals, for its teacher or its coach; a coach's read is audited."""
    if not rules.test_rule("coaching.read_stages", viewer, relationship):
        raise Http404
    relationship.proposals = list(_proposals().filter(relationship=relationship))
    if audit:
        audit_read(
            viewer=viewer.user,
            target=relationship,
            subject=relationship.teacher,
            summary="proposed steps",
        )
    return _with_proposals(relationship)


def proposal_for(viewer, pk, *, rule) -> StepProposal:
    """One proposal the viewer may act on under ``rule`` (over its relationship), or 404."""
    proposal = (
        StepProposal.objects.select_related(
            "relationship__teacher", "relationship__coach", "relationship__school"
        )
        .filter(pk=pk)
        .first()
    )
    if proposal is None or not rules.test_rule(rule, viewer, proposal.relationship):
        raise Http404
    return proposal


def waiting_proposals(viewer, *, relationships) -> set:
    """Of these relationships, those with a proposal waiting for their coach (one query), for
    a "proposal waiting" tag on the coach's pages. Only the relationships the viewer coaches
    (or is taught in) are looked at; nobody else learns that a proposal exists."""
    ids = [
        r.pk for r in relationships if viewer.pk in (r.coach_id, r.teacher_id) and r.pk is not None
    ]
    if not ids:
        return set()
    return set(
        StepProposal.objects.filter(
            relationship__in=ids, status=StepProposal.Status.OPEN
        ).values_list("relationship_id", flat=True)
    )
