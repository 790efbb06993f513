"""The figures a dashboard publishes, worked out from a school's rollup rows.

Everything here is plain computation on rows already read, so the school page, the trust page
and every download take their figures about a school from the same cells, suppressed once
(``common.disclosure``). A figure on the trust page about a school is one of that school's
cells, or a total of cells that are all shown; the trust's common steps add up only the
schools' shown cells. So no figure, beside any other a person can reach, gives a hidden one
away.

Two tiers (docs/architecture.md): coverage and resourcing (teachers, who has a coach, trained
coaches, drop-ins, teachers seen within their rhythm, caseloads) are exact; what happens in
coaching (steps, time to embed, steps teachers proposed, each coach's rhythm) keeps the
minimum group of five people.
"""

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.formats import date_format

from coachloop.common import disclosure
from coachloop.common.disclosure import Figure

RECENT_WEEKS = 12
TREND_WEEKS = 4
TOP_STEPS = 5


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

    # A dashboard names the same weeks in three tables and three charts: each week's words are
    # worked out once, when first needed, for as long as the dashboard is being drawn.
    @cached_property
    def day_text(self) -> str:
        """The week's Monday as a table names it: "7 Sep 2026"."""
        return date_format(self.week, "j M Y")

    @cached_property
    def label(self) -> str:
        """The week's Monday as a chart names it under its bar: "7 Sep"."""
        return date_format(self.week, "j M")


@dataclass
class TermProposals:
    """Steps set in a term, and how many the teachers proposed themselves."""

    term: str
    steps_set: Figure
    proposed: Figure
    share: Figure
    by_month: bool = False  # the trust has set no terms for these weeks


@dataclass
class StepCells:
    """One framework step's figures at one school since the school year began."""

    strand: str
    step_id: int
    title: str
    set: Figure
    embedded: Figure


@dataclass
class StrandRow:
    strand: str
    steps: list  # (title, Figure set, Figure embedded)


def week_row(row, target_percent=None) -> WeekRow:
    """A week's figures, all about coverage, so exact: who has a coach, the coaching pairs due
    a drop-in and those seen within their rhythm, the drop-ins recorded."""
    return WeekRow(
        week=row.week,
        teachers=disclosure.exact(row.teachers),
        coached=disclosure.exact(row.coached_teachers),
        coached_share=disclosure.exact_share(row.coached_teachers, row.teachers),
        trained_coaches=disclosure.exact(row.trained_coaches),
        due=disclosure.exact(row.visits_due),
        kept=disclosure.exact(row.visits_kept),
        kept_share=disclosure.exact_share(row.visits_kept, row.visits_due),
        dropins=disclosure.exact(row.dropins),
        target_percent=target_percent,
    )


def share_over(rows: list[WeekRow]) -> Figure:
    """The share of due drop-ins made over several weeks."""
    return disclosure.exact_share(sum(r.kept.value for r in rows), sum(r.due.value for r in rows))


def coach_rhythm(row) -> dict:
    """Coaches by the share of their teachers seen on rhythm, in the week of ``row``: how each
    coach works, so parts of the coaches counted, and all hidden when they are fewer than five."""
    if row is None:
        return disclosure.parts({"on": 0, "part": 0, "off": 0})
    bands = {
        "on": row.coaches_on_rhythm,
        "part": row.coaches_part_rhythm,
        "off": row.coaches_off_rhythm,
    }
    return disclosure.about_people(disclosure.parts(bands), sum(bands.values()))


def caseload_figures(rows) -> dict:
    """Coaches within and over the school's caseload limit, and the average caseload:
    resourcing, so exact."""
    within = sum(r.coaches for r in rows if not r.over_limit)
    over = sum(r.coaches for r in rows if r.over_limit)
    coaches = within + over
    teachers = sum(r.coaches * r.teachers for r in rows)
    return {
        "within": disclosure.exact(within),
        "over": disclosure.exact(over),
        "average": disclosure.exact(round(teachers / coaches, 1) if coaches else None),
    }


def step_cells(step_rows, *, coached, embedders) -> list[StepCells]:
    """Every framework step worked on at one school this year, each count a part of its
    strand's (which can be worked out from the school's totals), suppressed once. Steps set
    describe the school's coached teachers (``coached``, the most in any week), steps embedded
    the teachers who embedded one (``embedders``): fewer than five, and every count is hidden."""
    by_strand = defaultdict(list)
    for row in step_rows:
        by_strand[row["strand"]].append(row)
    cells = []
    for strand, rows in sorted(by_strand.items()):
        set_counts = disclosure.about_people(
            disclosure.parts({r["step_id"]: r["set_total"] for r in rows}), coached
        )
        embedded = disclosure.about_people(
            disclosure.parts({r["step_id"]: r["embedded_total"] for r in rows}), embedders
        )
        cells += [
            StepCells(
                strand=strand,
                step_id=r["step_id"],
                title=r["title"],
                set=set_counts[r["step_id"]],
                embedded=embedded[r["step_id"]],
            )
            for r in rows
        ]
    return cells


def _most_set_first(cell):
    """Shown counts, largest first, then the hidden ones by name: never ordered by a hidden
    value, which its place in the list would give away."""
    return (not cell.set.shown, -(cell.set.value or 0) if cell.set.shown else 0, cell.title)


def school_strands(cells) -> list[StrandRow]:
    """Every step worked on at the school, strand by strand, the most often set first."""
    strands = defaultdict(list)
    for cell in cells:
        strands[cell.strand].append(cell)
    result = []
    for strand, rows in sorted(strands.items()):
        rows.sort(key=_most_set_first)
        result.append(StrandRow(strand=strand, steps=[(c.title, c.set, c.embedded) for c in rows]))
    return result


def embedded_total(days: Counter, *, embedders) -> Figure:
    """Steps embedded this school year: hidden when fewer than five teachers embedded them."""
    return disclosure.count(sum(days.values()), people=embedders)


def trust_strands(cells_by_school) -> list[StrandRow]:
    """The trust's common steps: each step's count adds up the schools' shown cells only, so
    it can be set beside any school's page without giving a hidden figure away."""
    grouped = defaultdict(lambda: {"set": [], "embedded": [], "strand": None, "title": None})
    for cells in cells_by_school:
        for cell in cells:
            entry = grouped[cell.step_id]
            entry["set"].append(cell.set)
            entry["embedded"].append(cell.embedded)
            entry["strand"], entry["title"] = cell.strand, cell.title
    totals = []
    for step_id, entry in grouped.items():
        set_total = disclosure.sum_of_shown(entry["set"])
        embedded_total = disclosure.sum_of_shown(entry["embedded"])
        if set_total.value or embedded_total.value:
            totals.append(
                StepCells(entry["strand"], step_id, entry["title"], set_total, embedded_total)
            )
    strands = defaultdict(list)
    for cell in totals:
        strands[cell.strand].append(cell)
    result = []
    for strand, rows in sorted(strands.items()):
        rows.sort(key=lambda c: (-c.set.value, c.title))
        result.append(
            StrandRow(strand=strand, steps=[(c.title, c.set, c.embedded) for c in rows[:TOP_STEPS]])
        )
    return result


def median_days(counter: Counter, *, people: int) -> Figure:
    """The median days to embed a step, hidden unless the steps were embedded by five or more
    different teachers (``people``)."""
    values = sorted(counter.elements())
    if not values:
        return Figure(None)
    return disclosure.statistic(statistics.median(values), people=people)


def proposals_by_term(weeks, periods) -> list[TermProposals]:
    """The share of steps set that teachers proposed, per term (per month where the trust has
    no terms set); ``periods`` gives each week's Sunday its period.

    The terms' counts of steps set are parts of the year's (which the steps table gives), so
    one hidden term hides another. Of each term's steps, those the teacher proposed are a part
    and those the coach set the other (not published). The share is shown only beside both of
    its figures, and not at all when the school coached fewer than five teachers in every week
    of the term (then the term's count of steps is hidden too)."""
    totals = {}
    for w in weeks:
        period = periods[w.week + dt.timedelta(days=6)]
        steps_set, proposed, people = totals.get(period, (0, 0, 0))
        totals[period] = (
            steps_set + w.steps_set,
            proposed + w.steps_proposed_by_teacher,
            max(people, w.coached_teachers),
        )
    ordered = sorted(totals, key=lambda p: p.starts_on)
    set_figures = disclosure.parts(
        {p: totals[p][0] for p in ordered},
        withheld={p for p in ordered if disclosure.too_few(totals[p][2])},
    )
    rows = []
    for period in ordered:
        steps_set, proposed, people = totals[period]
        whole = set_figures[period]
        split = disclosure.parts(
            {"teacher": proposed, "coach": steps_set - proposed}, whole_shown=whole.shown
        )
        teacher = split["teacher"]
        if disclosure.too_few(people):
            teacher = Figure(proposed, suppressed=True)
        rows.append(
            TermProposals(
                term=period.label,
                steps_set=whole,
                proposed=teacher,
                share=disclosure.share_of_figures(teacher, whole),
                by_month=period.kind == "month",
            )
        )
    return rows


@dataclass
class Progress:
    """Where the school stands on coverage and resourcing, all exact."""

    target: object  # rollout.CoverageTarget or None
    teachers: Figure
    coached: Figure
    coached_share: Figure
    trained_coaches: Figure
    term: str = ""  # this term's name, or "" for the last weeks when no term is set
    term_weeks: list = field(default_factory=list)  # WeekRow, this term's weeks

    @property
    def term_dropins(self) -> Figure:
        return disclosure.exact(sum(w.dropins.value for w in self.term_weeks))

    @property
    def dropins_per_week(self) -> Figure:
        if not self.term_weeks:
            return Figure(None)
        return disclosure.exact(round(self.term_dropins.value / len(self.term_weeks), 1))
