"""Charts: a labelled value axis, each bar's label and value, and a hidden figure that looks
nothing like a zero, or like a week with nobody to count."""

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string

from coachloop.common.disclosure import Figure
from coachloop.insights import charts


@dataclass
class Week:
    week: dt.date
    share: Figure


MONDAY = dt.date(2026, 11, 2)


def _weeks(*figures):
    return [Week(MONDAY + dt.timedelta(weeks=i), f) for i, f in enumerate(figures)]


def test_a_hidden_figure_a_zero_and_no_figure_are_drawn_three_different_ways():
    chart = charts.weekly_percent_chart(
        _weeks(
            Figure(60, percent=True),
            Figure(0, percent=True),
            Figure(40, suppressed=True, percent=True),
            Figure(None, percent=True),
        ),
        "share",
        axis_title="% of teachers",
    )
    shown, zero, hidden, missing = chart.bars
    assert (shown.hidden, shown.zero, shown.value) == (False, False, "60%")
    assert (zero.hidden, zero.zero, zero.value) == (False, True, "0%")
    assert (hidden.hidden, hidden.zero, hidden.value) == (True, False, "hidden")
    assert (missing.hidden, missing.zero, missing.value, missing.height) == (False, False, "–", 0)
    # The hidden bar's height says nothing of its value: the same stub whatever it is.
    other = charts.weekly_percent_chart(
        _weeks(Figure(90, suppressed=True, percent=True)), "share"
    ).bars[0]
    assert other.height == hidden.height

    svg = render_to_string("insights/_chart.html", {"chart": chart, "id": "c", "title": "Shares"})
    assert 'fill="url(#c-hatch)"' in svg and "cl-chart__bar--hidden" in svg
    assert "cl-chart__bar--zero" in svg
    assert "<title>2 Nov: 60%</title>" in svg and "<title>16 Nov: hidden</title>" in svg
    assert 'class="cl-chart__axis-title">% of teachers</text>' in svg
    assert [t.label for t in chart.ticks] == ["0%", "25%", "50%", "75%", "100%"]
    assert "hatched bar is a figure withheld" in svg


def test_a_count_axis_climbs_in_whole_round_steps_to_the_largest_value():
    for largest, top in ((0, 4), (3, 4), (7, 8), (9, 12), (18, 20), (37, 40), (99, 100)):
        chart = charts.weekly_count_chart(_weeks(Figure(largest)), "share", axis_title="Drop-ins")
        assert chart.ticks[-1].label == str(top), largest
        assert all(float(t.label).is_integer() for t in chart.ticks)


def test_with_many_weeks_values_give_way_and_labels_are_spaced_out():
    chart = charts.weekly_percent_chart(_weeks(*[Figure(50, percent=True)] * 40), "share")
    assert not any(bar.show_value for bar in chart.bars)
    labelled = [i for i, bar in enumerate(chart.bars) if bar.show_label]
    assert 1 < len(labelled) < 40
    assert all(b - a >= 2 for a, b in zip(labelled, labelled[1:], strict=False))
