"""Small charts for progression, drawn on the server as inline SVG: no script, and the same
figures in a table after each one.

A stage path is a line through the teacher's stages on one strand, in date order, down as well
as up, with a mark at the bottom for each date a step was set in that strand. The geometry is
computed here; the templates only write it out.
"""

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coachloop.coaching.models import Stage

WIDTH = 360
HEIGHT = 230
TOP = 22  # room for the top stage's label
BOTTOM = 46  # room for step marks and the first and last dates
SIDE = 24
STAGES = 5


@dataclass
class Gridline:
    y: float
    label: str

    @property
    def label_y(self):
        return round(self.y - 4, 1)


@dataclass
class Dot:
    x: float
    y: float
    label: str  # its date and stage, read out as the point's title


@dataclass
class Segment:
    x1: float
    y1: float
    x2: float
    y2: float
    direction: str  # "up", "down" or "level"


@dataclass
class Mark:
    x: float
    label: str
    triangle: str  # a small mark pointing up at the axis, as SVG polygon points


@dataclass
class StageChart:
    title: str
    description: str
    gridlines: list
    dots: list
    segments: list
    marks: list
    first_date: str
    last_date: str
    width: int = WIDTH
    height: int = HEIGHT
    plot_top: float = TOP
    plot_bottom: float = HEIGHT - BOTTOM

    @property
    def date_y(self):
        return self.height - 6

    @property
    def last_x(self):
        return self.width - 2


def _day(day):
    return date_format(day, "j M Y")


def stage_y(stage) -> float:
    """Where a stage sits: novice at the bottom, expert at the top."""
    step = (HEIGHT - TOP - BOTTOM) / (STAGES - 1)
    return round(TOP + (STAGES - stage) * step, 1)


def _x_for(start, end):
    span = (end - start).days
    inner = WIDTH - 2 * SIDE

    def x(day):
        if span == 0:
            return WIDTH / 2
        return round(SIDE + inner * (day - start).days / span, 1)

    return x


def stage_path(title, points, markers) -> StageChart | None:
    """The chart of one strand's path, or None when the teacher has not been placed on it.

    ``points`` have ``on`` and ``stage``; ``markers`` have ``on`` and ``title``; both in any
    order (they are drawn in date order)."""
    if not points:
        return None
    points = sorted(points, key=lambda p: p.on)
    markers = sorted(markers, key=lambda m: m.on)
    days = [p.on for p in points] + [m.on for m in markers]
    start, end = min(days), max(days)
    x = _x_for(start, end)
    dots = [
        Dot(
            x=x(p.on),
            y=stage_y(p.stage),
            label=_("%(date)s: %(stage)s") % {"date": _day(p.on), "stage": Stage(p.stage).label},
        )
        for p in points
    ]
    segments = [
        Segment(
            x1=a.x,
            y1=a.y,
            x2=b.x,
            y2=b.y,
            direction="up" if b.y < a.y else "down" if b.y > a.y else "level",
        )
        for a, b in zip(dots, dots[1:], strict=False)
    ]
    marks = [
        Mark(
            x=x(m.on),
            label=_("Step set on %(date)s: %(step)s") % {"date": _day(m.on), "step": m.title},
            triangle=_triangle(x(m.on)),
        )
        for m in markers
    ]
    return StageChart(
        title=_("Stage in %(strand)s over time") % {"strand": title},
        description=_describe(points, markers),
        gridlines=[Gridline(y=stage_y(s.value), label=s.label) for s in reversed(Stage)],
        dots=dots,
        segments=segments,
        marks=marks,
        first_date=_day(start),
        last_date=_day(end),
    )


def _triangle(x):
    top = HEIGHT - BOTTOM + 4
    tip = top + 12
    return f"{x - 6:g},{tip:g} {x + 6:g},{tip:g} {x:g},{top:g}"


def _describe(points, markers):
    """The chart in words, for a screen reader: every point in date order, then the steps."""
    stages = "; ".join(
        _("%(date)s, %(stage)s") % {"date": _day(p.on), "stage": Stage(p.stage).label.lower()}
        for p in points
    )
    text = _("Stages in date order: %(stages)s.") % {"stages": stages}
    if markers:
        dates = ", ".join(_day(m.on) for m in markers)
        text += " " + _("Steps set in this strand on %(dates)s.") % {"dates": dates}
    return text


# ---------------------------------------------------------------------------------------------
# The share of steps the teacher proposed, period by period
# ---------------------------------------------------------------------------------------------

BAR_HEIGHT = 120
BAR_TOP = 18  # room for the figure above a full bar
MAX_BAR = 64


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    text: str
    label: str


@dataclass
class BarChart:
    bars: list = field(default_factory=list)
    width: int = WIDTH
    height: int = BAR_HEIGHT + BAR_TOP + 2
    baseline: float = BAR_HEIGHT + BAR_TOP


def share_bars(rows) -> BarChart | None:
    """One bar per period for the share of steps proposed by the teacher (``rows`` have
    ``label`` and ``percent``), or None with fewer than two periods: one figure is a
    sentence, not a chart."""
    rows = [r for r in rows if r.percent is not None]
    if len(rows) < 2:
        return None
    slot = WIDTH / len(rows)
    width = min(slot * 0.7, MAX_BAR)
    bars = []
    for i, row in enumerate(rows):
        height = round(BAR_HEIGHT * row.percent / 100, 1)
        left = round(i * slot + (slot - width) / 2, 1)
        bars.append(
            Bar(
                x=left,
                y=round(BAR_TOP + BAR_HEIGHT - height, 1),
                width=round(width, 1),
                height=height,
                text_x=round(left + width / 2, 1),
                text_y=round(BAR_TOP + BAR_HEIGHT - height - 5, 1),
                text=f"{row.percent}%",
                label=f"{row.label}: {row.percent}%",
            )
        )
    return BarChart(bars=bars)
