"""Dashboards for heads, coaching leads and trust leads, read from the rollups alone.

Every figure about people leaves this module as a ``common.disclosure.Figure``, so a group of
fewer than five is never shown as a number, on the page or in a CSV. Each function runs a
fixed number of queries, whatever the number of schools, weeks or drop-ins.
"""

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import rules
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from coachloop.coaching.queries.progression import periods_for, terms_between
from coachloop.common import disclosure
from coachloop.common.disclosure import Figure
from coachloop.insights.models import (
    SchoolCaseload,
    SchoolWeek,
    SchoolWeekEmbedTime,
    SchoolWeekStep,
)
from coachloop.insights.rollups import week_of, year_start_of
from coachloop.people.models import School
from coachloop.rollout.models import CoverageTarget
from coachloop.rollout.queries import current_target

RECENT_WEEKS = 12
TREND_WEEKS = 4
FALLING_POINTS = 10
BEHIND_POINTS = 5
TOP_STEPS = 5


def school_for(viewer, slug) -> School:
    """A school of the viewer's trust whose dashboard they may see, or 404."""
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
class WeekRow:
    week: dt.date
    teachers: Figure
    coached: Figure
    coached_share: Figure
    trained_coaches: Figure
    due: Figure
    kept: Figure
    kept_share: Figure
    dropins: Figure
    target_percent: int | None = None


@dataclass
class TermProposals:
    """Steps set in a term, and how many the teachers proposed themselves."""

    term: str
    steps_set: Figure
    proposed: Figure
    share: Figure
    by_month: bool = False  # the trust has set no terms for these weeks


@dataclass
class StrandRow:
    strand: str
    steps: list  # (title, Figure set, Figure embedded)


@dataclass
class Progress:
    target: CoverageTarget | None
    trained_coaches: Figure
    coached_share: Figure


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
    progress: Progress
    has_data: bool
    proposals: list = field(default_factory=list)  # TermProposals, term by term

    @property
    def proposals_by_month(self):
        return any(t.by_month for t in self.proposals)


def _week_row(row, target_percent=None) -> WeekRow:
    coached = disclosure.parts(
        {"coached": row.coached_teachers, "not": row.teachers - row.coached_teachers}
    )
    kept = disclosure.parts({"kept": row.visits_kept, "missed": row.visits_due - row.visits_kept})
    return WeekRow(
        week=row.week,
        teachers=disclosure.count(row.teachers),
        coached=coached["coached"],
        coached_share=disclosure.share(row.coached_teachers, row.teachers),
        trained_coaches=disclosure.count(row.trained_coaches),
        due=disclosure.count(row.visits_due),
        kept=kept["kept"],
        kept_share=disclosure.share(row.visits_kept, row.visits_due),
        dropins=disclosure.count(row.dropins),
        target_percent=target_percent,
    )


def _proposals_by_term(weeks, terms) -> list[TermProposals]:
    """The share of steps set that teachers proposed, per term (per month where the trust
    has no terms set). Each week counts in the term its Sunday falls in.

    Steps are events, so their counts are protected as parts of the steps set; the share
    describes the school's coached teachers, so it (and the count it comes from) is hidden
    as well when the school coached fewer than five teachers in every week of the term."""
    sundays = {w.week: w.week + dt.timedelta(days=6) for w in weeks}
    periods = periods_for(sundays.values(), terms)
    totals = {}
    for w in weeks:
        period = periods[sundays[w.week]]
        steps_set, proposed, people = totals.get(period, (0, 0, 0))
        totals[period] = (
            steps_set + w.steps_set,
            proposed + w.steps_proposed_by_teacher,
            max(people, w.coached_teachers),
        )
    rows = []
    for period in sorted(totals, key=lambda p: p.starts_on):
        steps_set, proposed, people = totals[period]
        split = disclosure.parts({"teacher": proposed, "coach": steps_set - proposed})
        share = disclosure.share(proposed, steps_set)
        if steps_set and people < disclosure.THRESHOLD:
            split["teacher"] = Figure(proposed, suppressed=True)
            share = Figure(share.value, suppressed=True, percent=True)
        rows.append(
            TermProposals(
                term=period.label,
                steps_set=disclosure.count(steps_set),
                proposed=split["teacher"],
                share=share,
                by_month=period.kind == "month",
            )
        )
    return rows


def _median_days(counter: Counter, *, people: int) -> Figure:
    """The median days to embed a step, hidden unless the steps were embedded by five or more
    different teachers (``people``)."""
    values = sorted(counter.elements())
    if not values:
        return Figure(None)
    return disclosure.statistic(statistics.median(values), people=people)


def _latest_targets(trust, school_ids, today):
    """Each school's current target (``rollout.queries.current_target``), one query."""
    targets = defaultdict(list)
    for target in CoverageTarget.objects.filter(trust=trust, school__in=school_ids):
        targets[target.school_id].append(target)
    return {school: current_target(rows, today=today) for school, rows in targets.items()}


def _strands(step_rows):
    by_strand = defaultdict(list)
    for row in step_rows:
        by_strand[row["step__strand__title"]].append(row)
    result = []
    for strand, rows in sorted(by_strand.items()):
        rows.sort(key=lambda r: (-r["set_total"], r["step__title"]))
        top, rest = rows[:TOP_STEPS], rows[TOP_STEPS:]
        # The rest of the strand counts as one more part, so a hidden figure cannot be worked
        # out from a total shown elsewhere (the steps embedded this year).
        set_counts = disclosure.parts(
            {**{i: r["set_total"] for i, r in enumerate(top)}, "rest": _sum(rest, "set_total")}
        )
        embedded = disclosure.parts(
            {
                **{i: r["embedded_total"] for i, r in enumerate(top)},
                "rest": _sum(rest, "embedded_total"),
            }
        )
        result.append(
            StrandRow(
                strand=strand,
                steps=[(r["step__title"], set_counts[i], embedded[i]) for i, r in enumerate(top)],
            )
        )
    return result


def _sum(rows, key):
    return sum(r[key] for r in rows)


def _caseload_figures(rows):
    within = sum(r.coaches for r in rows if not r.over_limit)
    over = sum(r.coaches for r in rows if r.over_limit)
    coaches = within + over
    teachers = sum(r.coaches * r.teachers for r in rows)
    return {
        **disclosure.parts({"within": within, "over": over}),
        "average": disclosure.statistic(teachers / coaches if coaches else None, people=coaches),
    }


def _coach_rhythm(row):
    if row is None:
        return disclosure.parts({"on": 0, "part": 0, "off": 0})
    return disclosure.parts(
        {
            "on": row.coaches_on_rhythm,
            "part": row.coaches_part_rhythm,
            "off": row.coaches_off_rhythm,
        }
    )


def school_dashboard(viewer, *, school, today=None) -> SchoolDashboard:
    today = today or timezone.localdate()
    start = year_start_of(today)
    target = _latest_targets(viewer.trust, [school.pk], today).get(school.pk)
    weeks = list(
        SchoolWeek.objects.filter(trust=viewer.trust, school=school, week__gte=start).order_by(
            "week"
        )
    )
    rows = [_week_row(w, target.coached_percent if target else None) for w in weeks]
    step_rows = (
        SchoolWeekStep.objects.filter(trust=viewer.trust, school=school, week__gte=start)
        .values("step__strand__title", "step__title")
        .annotate(set_total=Sum("set_count"), embedded_total=Sum("embedded_count"))
    )
    days = Counter(
        dict(
            SchoolWeekEmbedTime.objects.filter(trust=viewer.trust, school=school, week__gte=start)
            .values("days")
            .annotate(n=Sum("count"))
            .values_list("days", "n")
        )
    )
    latest = weeks[-1] if weeks else None
    caseloads = list(
        SchoolCaseload.objects.filter(trust=viewer.trust, school=school, week=latest.week)
        if latest
        else []
    )
    terms = terms_between(viewer.trust, start, today) if weeks else []
    return SchoolDashboard(
        school=school,
        weeks=rows,
        recent=rows[-RECENT_WEEKS:],
        strands=_strands(step_rows),
        embedded=disclosure.count(sum(days.values())),
        median_days=_median_days(days, people=latest.embedders_to_date if latest else 0),
        caseloads=_caseload_figures(caseloads),
        coach_rhythm=_coach_rhythm(latest),
        progress=Progress(
            target=target,
            trained_coaches=disclosure.count(latest.trained_coaches if latest else 0),
            coached_share=disclosure.share(
                latest.coached_teachers if latest else 0, latest.teachers if latest else 0
            ),
        ),
        has_data=bool(weeks),
        proposals=_proposals_by_term(weeks, terms),
    )


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


def _share_over(weeks):
    """The share of due drop-ins made over several weeks. The sums count teacher-weeks, not
    people, so the share is also hidden when fewer than five teachers were due in any week."""
    due = sum(w.visits_due for w in weeks)
    kept = sum(w.visits_kept for w in weeks)
    figure = disclosure.share(kept, due)
    if any(disclosure.is_small(w.visits_due) for w in weeks):
        return Figure(figure.value, suppressed=True, percent=True)
    return figure


def _support_reasons(summary, trend, target, weeks, today):
    reasons = []
    now, before = trend
    if (
        not now.suppressed
        and not before.suppressed
        and now.value is not None
        and before.value is not None
        and now.value <= before.value - FALLING_POINTS
    ):
        reasons.append("rhythm_falling")
    if target and weeks and not summary.coached_share.suppressed:
        expected = _expected_share(target, weeks, today)
        current = summary.coached_share.value
        if current is not None and expected is not None and current < expected - BEHIND_POINTS:
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


def trust_dashboard(viewer, *, today=None) -> TrustDashboard:
    check_trust(viewer)
    today = today or timezone.localdate()
    start = year_start_of(today)
    schools = list(School.objects.filter(trust=viewer.trust).order_by("name"))
    weeks_by_school = defaultdict(list)
    for row in SchoolWeek.objects.filter(trust=viewer.trust, week__gte=start).order_by("week"):
        weeks_by_school[row.school_id].append(row)
    days_by_school = defaultdict(Counter)
    for school_id, days, n in (
        SchoolWeekEmbedTime.objects.filter(trust=viewer.trust, week__gte=start)
        .values("school_id", "days")
        .annotate(n=Sum("count"))
        .values_list("school_id", "days", "n")
    ):
        days_by_school[school_id][days] += n
    targets = _latest_targets(viewer.trust, [s.pk for s in schools], today)
    step_rows = (
        SchoolWeekStep.objects.filter(trust=viewer.trust, week__gte=start)
        .values("step__strand__title", "step__title")
        .annotate(set_total=Sum("set_count"), embedded_total=Sum("embedded_count"))
    )
    summaries = []
    for school in schools:
        weeks = weeks_by_school.get(school.pk, [])
        latest = weeks[-1] if weeks else None
        now_share = _share_over(weeks[-TREND_WEEKS:])
        before_share = _share_over(weeks[-2 * TREND_WEEKS : -TREND_WEEKS])
        summary = SchoolSummary(
            school=school,
            teachers=disclosure.count(latest.teachers if latest else 0),
            coached_share=disclosure.share(
                latest.coached_teachers if latest else 0, latest.teachers if latest else 0
            ),
            target=targets.get(school.pk),
            trained_coaches=disclosure.count(latest.trained_coaches if latest else 0),
            kept_share=now_share,
            kept_share_before=before_share,
            dropins=disclosure.count(sum(w.dropins for w in weeks[-TREND_WEEKS:])),
            embedded=disclosure.count(sum(days_by_school[school.pk].values())),
            median_days=_median_days(
                days_by_school[school.pk], people=latest.embedders_to_date if latest else 0
            ),
            coach_rhythm=_coach_rhythm(latest),
        )
        summary.reasons = _support_reasons(
            summary, (now_share, before_share), targets.get(school.pk), weeks, today
        )
        summaries.append(summary)
    shown = sorted(
        s.kept_share.value
        for s in summaries
        if not s.kept_share.suppressed and s.kept_share.value is not None
    )
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
        strands=_strands(step_rows),
        has_data=bool(weeks_by_school),
    )
