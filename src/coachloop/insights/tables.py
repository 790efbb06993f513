"""Every dashboard table, built once and drawn three times: as HTML on the page, as CSV and
as XLSX.

Cells are strings, dates or ``Figure``s. On the page a suppressed figure reads "hidden"; in a
download its cell is empty and the flag column beside it ("<column>: hidden") is TRUE, so no
download can show more than the page: a figure leaves only as ``Figure.number``, rounded as
the page shows it. Every figure in them comes from ``insights.figures``, which decides once
what may be shown.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coachloop.common.disclosure import Figure
from coachloop.common.spreadsheets import Column, Sheet

NUMERIC = ("int", "decimal", "number", "percent")

SUPPORT_REASONS = {
    "rhythm_falling": _(
        "The share of teachers seen on rhythm fell by 10 points or more on the month before"
    ),
    "coverage_behind": _("Coverage behind the path to its target"),
}


@dataclass
class Table:
    key: str
    caption: str
    headers: list
    rows: list
    numeric_from: int = 1  # columns from here on are shown as figures
    # Each column's kind in a download (``common.spreadsheets``); by default text before
    # ``numeric_from`` and numbers from there on.
    kinds: tuple = field(default=())

    def text_rows(self):
        return [[cell_text(cell) for cell in row] for row in self.rows]

    def column_kinds(self):
        if self.kinds:
            return self.kinds
        return tuple(
            "text" if i < self.numeric_from else "number" for i in range(len(self.headers))
        )

    def columns(self):
        """The download's columns: each numeric column followed by its "hidden" flag."""
        columns = []
        for header, kind in zip(self.headers, self.column_kinds(), strict=True):
            columns.append(Column(str(header), kind))
            if kind in NUMERIC:
                columns.append(Column(_("%(column)s: hidden") % {"column": header}, "flag"))
        return columns

    def export_rows(self):
        """The rows for a download: numbers as numbers (``Figure.number``: a hidden figure is
        empty, with its flag TRUE), dates as dates, text as text."""
        kinds = self.column_kinds()
        rows = []
        for row in self.rows:
            out = []
            for cell, kind in zip(row, kinds, strict=True):
                if kind in NUMERIC:
                    if isinstance(cell, Figure):
                        out += [cell.number, cell.suppressed]
                    else:
                        out += [cell, False]
                elif isinstance(cell, Day):
                    out.append(cell.date)
                elif isinstance(cell, dt.date) or cell is None:
                    out.append(cell)
                else:
                    out.append(cell_text(cell))
            rows.append(out)
        return rows

    def sheet(self):
        return Sheet(str(self.caption), self.columns(), self.export_rows())


@dataclass(frozen=True)
class Day:
    """A date cell whose words were worked out once for the page (``WeekRow.day_text``): its
    words on the page, the date itself in a download."""

    date: dt.date
    text: str


def cell_text(cell):
    if isinstance(cell, Figure):
        return cell.text
    if isinstance(cell, Day):
        return cell.text
    if isinstance(cell, dt.date):
        return _week(cell)
    return "" if cell is None else str(cell)


def _week(day):
    return date_format(day, "j M Y")


def _day(week_row):
    return Day(week_row.week, week_row.day_text)


def _target_text(target):
    if target is None:
        return _("No target set")
    return ngettext(
        "%(percent)s%% coached and %(coaches)s trained coach by %(date)s",
        "%(percent)s%% coached and %(coaches)s trained coaches by %(date)s",
        target.trained_coaches,
    ) % {
        "percent": target.coached_percent,
        "coaches": target.trained_coaches,
        "date": date_format(target.due_by, "j M Y"),
    }


def school_tables(dashboard) -> dict:
    coverage = Table(
        "coverage",
        _("Teachers with a coach, week by week"),
        [
            _("Week beginning"),
            _("Teachers"),
            _("With a coach"),
            _("Share with a coach"),
            _("Target share"),
            _("Trained coaches"),
        ],
        [
            [
                _day(w),
                w.teachers,
                w.coached,
                w.coached_share,
                Figure(w.target_percent, percent=True) if w.target_percent is not None else None,
                w.trained_coaches,
            ]
            for w in dashboard.weeks
        ],
        kinds=("date", "int", "int", "percent", "percent", "int"),
    )
    rhythm = Table(
        "rhythm",
        _("Coaching rhythm kept, week by week"),
        [
            _("Week beginning"),
            _("Coaching pairs due a drop-in"),
            _("Seen on rhythm"),
            _("Share seen on rhythm"),
            _("Drop-ins recorded"),
        ],
        [[_day(w), w.due, w.kept, w.kept_share, w.dropins] for w in dashboard.recent],
        kinds=("date", "int", "int", "percent", "int"),
    )
    caseloads = Table(
        "caseloads",
        _("Coaches and their caseloads this week"),
        [_("Measure"), _("Coaches")],
        [
            [_("Coaching within the school's limit"), dashboard.caseloads["within"]],
            [_("Coaching more teachers than the limit"), dashboard.caseloads["over"]],
            [_("Average teachers per coach"), dashboard.caseloads["average"]],
            [_("Seeing 80% or more of their teachers on rhythm"), dashboard.coach_rhythm["on"]],
            [_("Seeing half to 80% on rhythm"), dashboard.coach_rhythm["part"]],
            [_("Seeing fewer than half on rhythm"), dashboard.coach_rhythm["off"]],
        ],
        kinds=("text", "number"),
    )
    by_month = dashboard.proposals_by_month
    proposed = Table(
        "proposed",
        _("Steps teachers proposed themselves, month by month")
        if by_month
        else _("Steps teachers proposed themselves, term by term"),
        [
            _("Month") if by_month else _("Term"),
            _("Steps set"),
            _("Proposed by the teacher"),
            _("Share proposed by the teacher"),
        ],
        [[t.term, t.steps_set, t.proposed, t.share] for t in dashboard.proposals],
        kinds=("text", "int", "int", "percent"),
    )
    term = dashboard.progress.term
    dropins = Table(
        "dropins",
        _("Drop-ins recorded in %(term)s, week by week") % {"term": term}
        if term
        else _("Drop-ins recorded in recent weeks, week by week"),
        [_("Week beginning"), _("Drop-ins recorded")],
        [[_day(w), w.dropins] for w in dashboard.progress.term_weeks],
        kinds=("date", "int"),
    )
    return {
        "dropins": dropins,
        "coverage": coverage,
        "rhythm": rhythm,
        "steps": steps_table(dashboard.strands, _("Steps set this school year, by strand")),
        "proposed": proposed,
        "caseloads": caseloads,
    }


def steps_table(strands, caption) -> Table:
    return Table(
        "steps",
        caption,
        [_("Strand"), _("Step"), _("Times set"), _("Times embedded")],
        [
            [strand.strand, title, set_figure, embedded]
            for strand in strands
            for title, set_figure, embedded in strand.steps
        ],
        numeric_from=2,
        kinds=("text", "text", "int", "int"),
    )


def trust_tables(dashboard) -> dict:
    schools = Table(
        "schools",
        _("Schools side by side"),
        [
            _("School"),
            _("Teachers"),
            _("Share with a coach"),
            _("Target"),
            _("Trained coaches"),
            _("Seen on rhythm, last 4 weeks"),
            _("Seen on rhythm, 4 weeks before"),
            _("Drop-ins, last 4 weeks"),
            _("Steps embedded this year"),
            _("Median days to embed"),
        ],
        [
            [
                s.school.name,
                s.teachers,
                s.coached_share,
                _target_text(s.target),
                s.trained_coaches,
                s.kept_share,
                s.kept_share_before,
                s.dropins,
                s.embedded,
                s.median_days,
            ]
            for s in dashboard.schools
        ],
        kinds=(
            "text",
            "int",
            "percent",
            "text",
            "int",
            "percent",
            "percent",
            "int",
            "int",
            "number",
        ),
    )
    within = Table(
        "coaches",
        _("Variation within schools: coaches by the share of their teachers seen on rhythm"),
        [_("School"), _("80% or more"), _("Half to 80%"), _("Fewer than half")],
        [
            [s.school.name, s.coach_rhythm["on"], s.coach_rhythm["part"], s.coach_rhythm["off"]]
            for s in dashboard.schools
        ],
        kinds=("text", "int", "int", "int"),
    )
    support = Table(
        "support",
        _("Schools that may need support"),
        [_("School"), _("Why")],
        [
            [s.school.name, "; ".join(str(SUPPORT_REASONS[r]) for r in s.reasons)]
            for s in dashboard.needing_support
        ],
        kinds=("text", "text"),
    )
    return {
        "schools": schools,
        "coaches": within,
        "support": support,
        "steps": steps_table(
            dashboard.strands,
            _("Steps most often set this school year across the trust, by strand"),
        ),
    }
