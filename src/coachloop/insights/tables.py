"""Every dashboard table, built once and drawn twice: as HTML on the page and as a CSV.

Cells are strings or ``Figure``s; a suppressed figure is the same "hidden" in both, so the
download can never show more than the page. Every figure in them comes from
``insights.figures``, which decides once what may be shown.
"""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coachloop.common.disclosure import Figure

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
    numeric_from: int = 1  # columns from here on are figures

    def text_rows(self):
        return [[cell_text(cell) for cell in row] for row in self.rows]


def cell_text(cell):
    if isinstance(cell, Figure):
        return cell.text
    return "" if cell is None else str(cell)


def _week(day):
    return date_format(day, "j M Y")


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
                _week(w.week),
                w.teachers,
                w.coached,
                w.coached_share,
                f"{w.target_percent}%" if w.target_percent is not None else "",
                w.trained_coaches,
            ]
            for w in dashboard.weeks
        ],
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
        [[_week(w.week), w.due, w.kept, w.kept_share, w.dropins] for w in dashboard.recent],
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
    )
    term = dashboard.progress.term
    dropins = Table(
        "dropins",
        _("Drop-ins recorded in %(term)s, week by week") % {"term": term}
        if term
        else _("Drop-ins recorded in recent weeks, week by week"),
        [_("Week beginning"), _("Drop-ins recorded")],
        [[_week(w.week), w.dropins] for w in dashboard.progress.term_weeks],
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
    )
    within = Table(
        "coaches",
        _("Variation within schools: coaches by the share of their teachers seen on rhythm"),
        [_("School"), _("80% or more"), _("Half to 80%"), _("Fewer than half")],
        [
            [s.school.name, s.coach_rhythm["on"], s.coach_rhythm["part"], s.coach_rhythm["off"]]
            for s in dashboard.schools
        ],
    )
    support = Table(
        "support",
        _("Schools that may need support"),
        [_("School"), _("Why")],
        [
            [s.school.name, "; ".join(str(SUPPORT_REASONS[r]) for r in s.reasons)]
            for s in dashboard.needing_support
        ],
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
