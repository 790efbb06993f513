"""The stage path chart: a line through the stages in date order, down as well as up, with a
mark for each step set in the strand; and the share of steps the teacher proposed."""

import datetime as dt
from dataclasses import dataclass

from coachloop.coaching import charts
from coachloop.coaching.queries.progression import ShareRow


@dataclass
class Point:
    on: dt.date
    stage: int


@dataclass
class Marker:
    on: dt.date
    title: str


DAY = dt.date(2026, 9, 7)


def _chart(points, markers=()):
    return charts.stage_path("Behaviour and routines", points, list(markers))


def test_points_are_drawn_in_date_order_whatever_order_they_come_in():
    chart = _chart(
        [
            Point(DAY + dt.timedelta(days=40), 4),
            Point(DAY, 1),
            Point(DAY + dt.timedelta(days=20), 3),
        ]
    )
    xs = [dot.x for dot in chart.dots]
    assert xs == sorted(xs)
    assert [dot.label for dot in chart.dots] == [
        "7 Sep 2026: Novice",
        "27 Sep 2026: Competent",
        "17 Oct 2026: Proficient",
    ]
    assert chart.first_date == "7 Sep 2026" and chart.last_date == "17 Oct 2026"


def test_a_drop_is_drawn_as_a_line_going_down():
    chart = _chart(
        [
            Point(DAY, 3),
            Point(DAY + dt.timedelta(days=10), 2),
            Point(DAY + dt.timedelta(days=30), 4),
        ]
    )
    assert [s.direction for s in chart.segments] == ["down", "up"]
    down = chart.segments[0]
    assert down.y2 > down.y1  # SVG's y grows downwards: a lower stage sits lower
    assert charts.stage_y(1) > charts.stage_y(5)


def test_each_step_set_in_the_strand_has_a_mark_at_its_date():
    chart = _chart(
        [Point(DAY, 2), Point(DAY + dt.timedelta(days=60), 3)],
        [Marker(DAY + dt.timedelta(days=30), "Give one clear signal")],
    )
    (mark,) = chart.marks
    assert chart.dots[0].x < mark.x < chart.dots[1].x
    assert mark.label == "Step set on 7 Oct 2026: Give one clear signal"
    assert "Steps set in this strand on 7 Oct 2026." in chart.description


def test_a_step_before_the_first_stage_widens_the_time_axis():
    chart = _chart([Point(DAY, 2)], [Marker(DAY - dt.timedelta(days=14), "Earlier step")])
    assert chart.marks[0].x < chart.dots[0].x
    assert chart.first_date == "24 Aug 2026"


def test_the_description_reads_every_point_in_order_for_a_screen_reader():
    chart = _chart([Point(DAY + dt.timedelta(days=7), 5), Point(DAY, 2)])
    assert chart.description == (
        "Stages in date order: 7 Sep 2026, advanced beginner; 14 Sep 2026, expert."
    )
    assert chart.title == "Stage in Behaviour and routines over time"


def test_a_single_point_sits_in_the_middle_and_no_stage_means_no_chart():
    chart = _chart([Point(DAY, 3)])
    assert chart.dots[0].x == charts.WIDTH / 2
    assert chart.segments == []
    assert _chart([]) is None


def test_share_bars_are_as_tall_as_the_share_and_need_two_periods_or_more():
    chart = charts.share_bars(
        [ShareRow("Autumn term", 4, 1), ShareRow("Spring term", 5, 5), ShareRow("Summer", 0, 0)]
    )
    assert [bar.text for bar in chart.bars] == ["25%", "100%"]
    assert chart.bars[1].height == charts.BAR_HEIGHT
    assert chart.bars[0].height == charts.BAR_HEIGHT / 4
    assert charts.share_bars([]) is None
    assert charts.share_bars([ShareRow("Autumn term", 4, 1)]) is None  # one figure: no chart
