"""Bar charts drawn as inline SVG on the server: no script, and a table beside each one.

Each chart has two titled axes: a value axis with its ticks, and a category axis with a label
under each bar (or every few bars when there are many). Every bar carries its value: above it,
or turned on its side when the bars are narrow. The three ways a figure can be missing never
look alike: a zero is a flat line on the axis marked "0"; a hidden figure is a short hatched
stub marked "hidden" (its height says nothing of its value); and a week with nobody to count
has no bar at all, only the words "no data".
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

WIDTH = 480
LEFT = 44  # room for the value axis' labels
RIGHT = 8
TOP = 26  # room for the axis title and values above the bars
SIDEWAYS_ROOM = 44  # and more when the values stand on their side above narrow bars
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = 184
BOTTOM = 44  # room for the labels under the bars and the category axis' title
GAP = 2
WIDEST = 64  # a year has three terms: bars that wide still read as bars
HIDDEN_STUB = 18
ZERO_LINE = 2
VALUE_ROOM = 30  # a bar slot this wide has room for its value written across above it
LABEL_ROOM = 44  # and this wide for its label below it


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    hidden: bool = False
    zero: bool = False
    missing: bool = False  # nobody to count: no bar, only "no data"
    sideways: bool = False  # the value is turned on its side, the bar being too narrow
    show_label: bool = True

    @property
    def centre(self):
        return round(self.x + self.width / 2, 1)

    @property
    def title(self):
        return f"{self.label}: {self.value}"


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    bars: list
    ticks: list
    axis_title: str
    category_title: str = ""
    target_y: float | None = None
    target_label: str = ""
    has_hidden: bool = False
    has_zero: bool = False
    has_missing: bool = False
    width: int = WIDTH
    height: int = TOP + PLOT_HEIGHT + BOTTOM
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    baseline: int = TOP + PLOT_HEIGHT

    @property
    def label_y(self):
        return self.baseline + 18

    @property
    def category_title_y(self):
        return self.baseline + 38

    @property
    def category_title_x(self):
        return round(self.left + (self.right - self.left) / 2, 1)


def weekly_percent_chart(weeks, attribute, *, target=None, axis_title=None) -> Chart:
    """One bar per week (``figures.WeekRow``, named by its ``label``) for a percentage figure;
    a line at ``target`` per cent if given."""
    return bar_chart(
        weeks,
        attribute,
        label=lambda week: week.label,
        top=100,
        percent=True,
        target=target,
        axis_title=axis_title or _("% of teachers"),
        category_title=_("Week beginning"),
    )


def weekly_count_chart(weeks, attribute, *, axis_title) -> Chart:
    """One bar per week for a count."""
    values = [getattr(w, attribute).value or 0 for w in weeks]
    return bar_chart(
        weeks,
        attribute,
        label=lambda week: week.label,
        top=_nice_top(max(values, default=0)),
        axis_title=axis_title,
        category_title=_("Week beginning"),
    )


def term_percent_chart(terms, attribute, *, axis_title=None, category_title=None) -> Chart:
    """One bar per term (or month) for a percentage figure."""
    return bar_chart(
        terms,
        attribute,
        label=lambda row: row.term,
        top=100,
        percent=True,
        axis_title=axis_title or _("% of steps set"),
        category_title=category_title or _("Term"),
    )


def _nice_top(largest):
    """The top of a count axis: four round, whole-number steps that reach ``largest``."""
    magnitude = 1
    while True:
        for factor in (1, 2, 2.5, 3, 5):
            step = factor * magnitude
            if step == int(step) and 4 * step >= largest:
                return int(4 * step)
        magnitude *= 10


def _ticks(top, percent, baseline):
    ticks = []
    for i in range(5):
        value = top * i / 4
        y = round(baseline - PLOT_HEIGHT * i / 4, 1)
        text = f"{value:.0f}%" if percent else f"{value:g}"
        ticks.append(Tick(y=y, label=text))
    return ticks


def _height(figure, value, top):
    if figure.suppressed:
        return HIDDEN_STUB
    if figure.value is None:
        return 0
    if not value:
        return ZERO_LINE
    return max(PLOT_HEIGHT * value / top, ZERO_LINE)


def bar_chart(
    rows, attribute, *, label, top, percent=False, target=None, axis_title="", category_title=""
) -> Chart:
    """One bar per row for the ``Figure`` at ``attribute``, labelled by ``label(row)``, on an
    axis from 0 to ``top``."""
    slot = PLOT_WIDTH / max(len(rows), 1)
    width = min(max(slot - GAP, 1), WIDEST)
    label_every = max(1, math.ceil(LABEL_ROOM / slot))
    sideways = slot < VALUE_ROOM
    chart_top = TOP + (SIDEWAYS_ROOM if sideways else 0)
    baseline = chart_top + PLOT_HEIGHT
    bars = []
    for i, row in enumerate(rows):
        figure = getattr(row, attribute)
        hidden = figure.suppressed
        missing = figure.value is None and not hidden
        value = 0 if hidden or missing else min(figure.value, top)
        height = _height(figure, value, top)
        last = i == len(rows) - 1
        bars.append(
            Bar(
                x=round(LEFT + i * slot + (slot - width) / 2, 1),
                y=round(baseline - height, 1),
                width=round(width, 1),
                height=round(height, 1),
                label=str(label(row)),
                value=_("no data") if missing else figure.text,
                hidden=hidden,
                zero=not hidden and not missing and not value,
                missing=missing,
                sideways=sideways,
                show_label=i % label_every == 0
                or (last and (i % label_every) * slot >= LABEL_ROOM),
            )
        )
    target_y, target_label = None, ""
    if target is not None:
        target_y = round(baseline - PLOT_HEIGHT * min(target, top) / top, 1)
        target_label = _("target of %(percent)s%%") % {"percent": target}
    return Chart(
        bars=bars,
        ticks=_ticks(top, percent, baseline),
        axis_title=axis_title,
        category_title=category_title,
        target_y=target_y,
        target_label=target_label,
        has_hidden=any(b.hidden for b in bars),
        has_zero=any(b.zero for b in bars),
        has_missing=any(b.missing for b in bars),
        height=baseline + BOTTOM,
        top=chart_top,
        baseline=baseline,
    )
