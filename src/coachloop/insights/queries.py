"""Dashboards for heads, coaching leads and trust leads, read from the rollups alone.

This module reads; ``insights.figures`` works out what may be published, the same way for
every page and download (``common.disclosure``). Each function runs a fixed number of queries,
whatever the number of schools, weeks or drop-ins.
"""

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

import rules
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from coachloop.coaching.queries.progression import periods_for, terms_between
from coachloop.common import disclosure
from coachloop.common.disclosure import Figure
from coachloop.insights import figures
from coachloop.insights.models import (
    SchoolCaseload,
    SchoolWeek,
    SchoolWeekEmbedTime,
    SchoolWeekStep,
)
from coachloop.insights.rollups import week_of, year_start_of
from coachloop.insights.rules import SCHOOL_ROLES
from coachloop.people.models import School
from coachloop.rollout.models import CoverageTarget
from coachloop.rollout.queries import current_target

FALLING_POINTS = 10
BEHIND_POINTS = 5


def school_for(viewer, slug) -> School:
    """A school of the viewer's trust whose dashboard they may see, or 404. A head's or a
    coaching lead's own school came with their roles (``people.viewer``), so only a trust
    lead's school is read."""
    school = next(
        (s for role in SCHOOL_ROLES for s in viewer.schools_with(role) if s.slug == slug), None
    )
    if school is None:
        school = School.objects.filter(trust=viewer.trust, slug=slug).first()
    if school is None or not rules.test_rule("insights.view_school", viewer, school):
        raise Http404
    return school


def schools_with_pages(viewer, summaries) -> list[School]:
    """Of the schools on the trust page, those whose own page the viewer may open."""
    return [
        s.school for s in summaries if rules.test_rule("insights.view_school", viewer, s.school)
    ]


def check_trust(viewer):
    if not rules.test_rule("insights.view_trust", viewer):
        raise Http404


@dataclass
class SchoolDashboard:
    school: School
    weeks: list
    recent: list
    strands: list
    embedded: Figure
    median_days: Figure
    caseloads: dict
    coach_rhythm: dict
    progress: figures.Progress
    has_data: bool
    proposals: list = field(default_factory=list)  # TermProposals, term by term

    @property
    def proposals_by_month(self):
        return any(t.by_month for t in self.proposals)


def _latest_targets(trust, school_ids, today):
    """Each school's current target (``rollout.queries.current_target``), one query."""
    targets = defaultdict(list)
    for target in CoverageTarget.objects.filter(trust=trust, school__in=school_ids):
        targets[target.school_id].append(target)
    return {school: current_target(rows, today=today) for school, rows in targets.items()}


def _step_rows(trust, start, school=None):
    """Steps set and embedded since ``start``, per school and framework step (one query)."""
    rows = SchoolWeekStep.objects.filter(trust=trust, week__gte=start)
    if school is not None:
        rows = rows.filter(school=school)
    by_school = defaultdict(list)
    for row in (
        rows.values("school_id", "step_id", "step__strand__title", "step__title")
        .annotate(set_total=Sum("set_count"), embedded_total=Sum("embedded_count"))
        .order_by()
    ):
        by_school[row["school_id"]].append(
            {
                "strand": row["step__strand__title"],
                "step_id": row["step_id"],
                "title": row["step__title"],
                "set_total": row["set_total"],
                "embedded_total": row["embedded_total"],
            }
        )
    return by_school


def _periods(weeks, terms) -> dict:
    """Each week's period (its term, or its month), by the week's Sunday."""
    return periods_for([w.week + dt.timedelta(days=6) for w in weeks], terms)


def _this_term(rows, weeks, periods):
    """This term's name and weeks, or ("", the last weeks) when no term holds them all."""
    if not weeks:
        return "", []
    current = periods[weeks[-1].week + dt.timedelta(days=6)]
    if current.kind != "term":
        return "", rows[-figures.RECENT_WEEKS :]
    return current.label, [
        row
        for row, week in zip(rows, weeks, strict=True)
        if periods[week.week + dt.timedelta(days=6)] == current
    ]


def _embed_days(trust, start, school=None):
    """Steps embedded since ``start``, per school, counted by the days each took (one query)."""
    rows = SchoolWeekEmbedTime.objects.filter(trust=trust, week__gte=start)
    if school is not None:
        rows = rows.filter(school=school)
    days = defaultdict(Counter)
    for school_id, n_days, n in (
        rows.values("school_id", "days")
        .annotate(n=Sum("count"))
        .values_list("school_id", "days", "n")
    ):
        days[school_id][n_days] += n
    return days


def _embedders(weeks):
    """Different teachers who embedded a step this school year, to the latest week."""
    return weeks[-1].embedders_to_date if weeks else 0


def _cells(weeks, step_rows):
    """A school's step cells, each group of them hidden when it is about fewer than five
    teachers: the most coached in any week, or those who embedded a step."""
    return figures.step_cells(
        step_rows,
        coached=max((w.coached_teachers for w in weeks), default=0),
        embedders=_embedders(weeks),
    )


@dataclass(frozen=True)
class _SchoolYear:
    """A school's weeks this school year, with its target and terms: what its progress and
    its dashboard are both read from."""

    start: dt.date
    target: CoverageTarget | None
    weeks: list
    rows: list
    terms: list


def _week_rows(queryset):
    """SchoolWeek rows as plain records with the model's attribute names (``week``,
    ``teachers``, ``school_id``...): only counters are read from them, and building a model
    instance per school and week costs more than the rest of the read."""
    return [SimpleNamespace(**row) for row in queryset.values()]


def _school_year(viewer, school, today) -> _SchoolYear:
    start = year_start_of(today)
    target = _latest_targets(viewer.trust, [school.pk], today).get(school.pk)
    weeks = _week_rows(
        SchoolWeek.objects.filter(trust=viewer.trust, school=school, week__gte=start).order_by(
            "week"
        )
    )
    rows = [figures.week_row(w, target.coached_percent if target else None) for w in weeks]
    terms = terms_between(viewer.trust, start, today) if weeks else []
    return _SchoolYear(start=start, target=target, weeks=weeks, rows=rows, terms=terms)


def _progress(year: _SchoolYear, periods) -> figures.Progress:
    term, term_weeks = _this_term(year.rows, year.weeks, periods)
    latest_row = year.rows[-1] if year.rows else None
    return figures.Progress(
        target=year.target,
        teachers=latest_row.teachers if latest_row else disclosure.exact(0),
        coached=latest_row.coached if latest_row else disclosure.exact(0),
        coached_share=latest_row.coached_share if latest_row else Figure(None, percent=True),
        trained_coaches=latest_row.trained_coaches if latest_row else disclosure.exact(0),
        term=term,
        term_weeks=term_weeks,
    )


def school_progress(viewer, *, school, today=None) -> figures.Progress:
    """The exact facts a school's dashboard opens with, without the rest of the dashboard."""
    year = _school_year(viewer, school, today or timezone.localdate())
    return _progress(year, _periods(year.weeks, year.terms))


def school_dashboard(viewer, *, school, today=None) -> SchoolDashboard:
    year = _school_year(viewer, school, today or timezone.localdate())
    start, weeks, rows, terms = year.start, year.weeks, year.rows, year.terms
    latest = weeks[-1] if weeks else None
    cells = _cells(weeks, _step_rows(viewer.trust, start, school).get(school.pk, []))
    days = _embed_days(viewer.trust, start, school)[school.pk]
    caseloads = list(
        SchoolCaseload.objects.filter(trust=viewer.trust, school=school, week=latest.week)
        if latest
        else []
    )
    periods = _periods(weeks, terms)
    return SchoolDashboard(
        school=school,
        weeks=rows,
        recent=rows[-figures.RECENT_WEEKS :],
        strands=figures.school_strands(cells),
        embedded=figures.embedded_total(days, embedders=_embedders(weeks)),
        median_days=figures.median_days(days, people=_embedders(weeks)),
        caseloads=figures.caseload_figures(caseloads),
        coach_rhythm=figures.coach_rhythm(latest),
        progress=_progress(year, periods),
        has_data=bool(weeks),
        proposals=figures.proposals_by_term(weeks, periods),
    )


def school_dashboard_for(viewer, slug, *, today=None) -> SchoolDashboard:
    """The dashboard of the viewer's trust's school ``slug``, if they may see it (otherwise
    404): the one read of a school's dashboard for its page, its downloads and the API, so
    that none of them can skip the check."""
    return school_dashboard(viewer, school=school_for(viewer, slug), today=today)


@dataclass
class SchoolSummary:
    school: School
    teachers: Figure
    coached_share: Figure
    target: CoverageTarget | None
    trained_coaches: Figure
    kept_share: Figure
    kept_share_before: Figure
    dropins: Figure
    embedded: Figure
    median_days: Figure
    coach_rhythm: dict
    reasons: list = field(default_factory=list)

    @property
    def needs_support(self):
        return bool(self.reasons)


@dataclass
class TrustDashboard:
    schools: list
    lowest: Figure
    median: Figure
    highest: Figure
    strands: list
    has_data: bool

    @property
    def needing_support(self):
        return [s for s in self.schools if s.needs_support]


def _support_reasons(summary, trend, target, weeks, today):
    reasons = []
    now, before = trend
    if now.shown and before.shown and now.value <= before.value - FALLING_POINTS:
        reasons.append("rhythm_falling")
    if target and weeks and summary.coached_share.shown:
        expected = _expected_share(target, weeks, today)
        current = summary.coached_share.value
        if expected is not None and current < expected - BEHIND_POINTS:
            reasons.append("coverage_behind")
    return reasons


def _expected_share(target, weeks, today):
    """Where coverage should be today on a straight line from when the target was set."""
    set_week = week_of(timezone.localtime(target.created_at).date())
    base = next((w for w in weeks if w.week >= set_week), weeks[0])
    start_share = 100 * base.coached_teachers / base.teachers if base.teachers else 0
    span = (target.due_by - base.week).days
    if span <= 0 or today >= target.due_by:
        return target.coached_percent
    done = max(0, (today - base.week).days) / span
    return start_share + (target.coached_percent - start_share) * done


def _school_summary(school, weeks, days, target, today):
    """A school's row on the trust page, from the same cells as the school's own page."""
    rows = [figures.week_row(w) for w in weeks]
    recent = rows[-figures.RECENT_WEEKS :]
    latest = weeks[-1] if weeks else None
    now_share = figures.share_over(recent[-figures.TREND_WEEKS :])
    before_share = figures.share_over(recent[-2 * figures.TREND_WEEKS : -figures.TREND_WEEKS])
    summary = SchoolSummary(
        school=school,
        teachers=rows[-1].teachers if rows else disclosure.exact(0),
        coached_share=rows[-1].coached_share if rows else Figure(None, percent=True),
        target=target,
        trained_coaches=rows[-1].trained_coaches if rows else disclosure.exact(0),
        kept_share=now_share,
        kept_share_before=before_share,
        dropins=disclosure.exact(sum(r.dropins.value for r in rows[-figures.TREND_WEEKS :])),
        embedded=figures.embedded_total(days, embedders=_embedders(weeks)),
        median_days=figures.median_days(days, people=_embedders(weeks)),
        coach_rhythm=figures.coach_rhythm(latest),
    )
    summary.reasons = _support_reasons(summary, (now_share, before_share), target, weeks, today)
    return summary


def trust_dashboard(viewer, *, today=None) -> TrustDashboard:
    check_trust(viewer)
    today = today or timezone.localdate()
    start = year_start_of(today)
    schools = list(School.objects.filter(trust=viewer.trust).order_by("name"))
    weeks_by_school = defaultdict(list)
    for row in _week_rows(
        SchoolWeek.objects.filter(trust=viewer.trust, week__gte=start).order_by("week")
    ):
        weeks_by_school[row.school_id].append(row)
    days_by_school = _embed_days(viewer.trust, start)
    targets = _latest_targets(viewer.trust, [s.pk for s in schools], today)
    steps_by_school = _step_rows(viewer.trust, start)
    cells_by_school = {
        school_id: _cells(weeks_by_school.get(school_id, []), rows)
        for school_id, rows in steps_by_school.items()
    }
    summaries = [
        _school_summary(
            school,
            weeks_by_school.get(school.pk, []),
            days_by_school[school.pk],
            targets.get(school.pk),
            today,
        )
        for school in schools
    ]
    shown = sorted(s.kept_share.value for s in summaries if s.kept_share.shown)
    spread = [
        Figure(v, percent=True) if v is not None else Figure(None)
        for v in (
            shown[0] if shown else None,
            statistics.median(shown) if shown else None,
            shown[-1] if shown else None,
        )
    ]
    return TrustDashboard(
        schools=summaries,
        lowest=spread[0],
        median=spread[1],
        highest=spread[2],
        strands=figures.trust_strands(cells_by_school.values()),
        has_data=bool(weeks_by_school),
    )
