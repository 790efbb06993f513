"""Charts: a labelled value axis, each bar's label and value, and a hidden figure that looks
nothing like a zero, or like a week with nobody to count."""

import datetime as dt
from dataclasses import dataclass

import tinyhtml5
from django.template.loader import render_to_string
from django.utils.formats import date_format

from coachloop.common.disclosure import Figure
from coachloop.insights import charts


@dataclass
class Week:
    """A week's row as the weekly charts read it (``figures.WeekRow``)."""

    week: dt.date
    share: Figure

    @property
    def label(self):
        return date_format(self.week, "j M")


MONDAY = dt.date(2026, 11, 2)


def _weeks(*figures):
    return [Week(MONDAY + dt.timedelta(weeks=i), f) for i, f in enumerate(figures)]


def _svg(chart):
    """The chart's figure as a browser parses it (an HTML5 parser): the SVG and its caption."""
    html = render_to_string("insights/_chart.html", {"chart": chart, "id": "c", "title": "Shares"})
    document = tinyhtml5.parse(html, namespace_html_elements=False)
    return next(e for e in document.iter() if e.tag == "figure")


def _named(element, tag):
    """The elements under ``element`` called ``tag``, in the SVG namespace or not."""
    return [e for e in element.iter() if e.tag.rpartition("}")[2] == tag]


def _by_class(element, name):
    return [e for e in element.iter() if name in (e.get("class") or "").split()]


def _columns(svg):
    """Each bar's column: its mark (a rect, or None), its value text and its label text."""
    found = []
    for column in _by_class(svg, "cl-chart__column"):
        rects = _named(column, "rect")
        values = _by_class(column, "cl-chart__value")
        labels = _by_class(column, "cl-chart__label")
        found.append(
            (
                rects[0] if rects else None,
                values[0].text if values else None,
                labels[0].text if labels else None,
            )
        )
    return found


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
    assert (missing.missing, missing.zero, missing.value, missing.height) == (
        True,
        False,
        "no data",
        0,
    )
    # The hidden bar's height says nothing of its value: the same stub whatever it is.
    other = charts.weekly_percent_chart(
        _weeks(Figure(90, suppressed=True, percent=True)), "share"
    ).bars[0]
    assert other.height == hidden.height


def test_the_drawn_chart_tells_zero_hidden_and_no_data_apart_by_mark_and_words():
    svg = _svg(
        charts.weekly_percent_chart(
            _weeks(
                Figure(60, percent=True),
                Figure(0, percent=True),
                Figure(40, suppressed=True, percent=True),
                Figure(None, percent=True),
            ),
            "share",
        )
    )
    svg = _named(svg, "svg")[0]
    (shown, shown_value, _), (zero, zero_value, _), (hidden, hidden_value, _), missing = _columns(
        svg
    )
    assert shown.get("class") == "cl-chart__bar" and shown_value == "60%"
    # A zero: a bar of its own kind, a flat line on the axis, marked "0%".
    assert "cl-chart__bar--zero" in zero.get("class") and zero_value == "0%"
    assert float(zero.get("height")) == charts.ZERO_LINE
    # Hidden: a hatched stub, marked "hidden".
    assert hidden.get("fill") == "url(#c-hatch)" and hidden_value == "hidden"
    assert "cl-chart__bar--hidden" in hidden.get("class")
    # No data: no bar at all, only the words.
    assert missing[0] is None and missing[1] == "no data"
    assert [e.text for e in _named(svg, "title")][1:] == [
        "2 Nov: 60%",
        "9 Nov: 0%",
        "16 Nov: hidden",
        "23 Nov: no data",
    ]


def test_the_drawn_chart_has_an_accessible_name_titled_axes_ticks_and_a_label_per_bar():
    figure = _svg(
        charts.weekly_percent_chart(
            _weeks(Figure(60, percent=True), Figure(0, percent=True), Figure(None, percent=True)),
            "share",
            axis_title="% of teachers",
        )
    )
    svg = _named(figure, "svg")[0]
    assert svg.get("role") == "img"
    (name,) = [t.text for t in _named(svg, "title") if t.get("id") == svg.get("aria-labelledby")]
    assert name == "Shares The table below gives every figure."
    assert [e.text for e in _by_class(svg, "cl-chart__axis-title--value")] == ["% of teachers"]
    assert [e.text for e in _by_class(svg, "cl-chart__axis-title--category")] == ["Week beginning"]
    assert [e.text for e in _by_class(svg, "cl-chart__tick")] == ["0%", "25%", "50%", "75%", "100%"]
    assert [label for _, _, label in _columns(svg)] == ["2 Nov", "9 Nov", "16 Nov"]
    caption = "".join(_named(figure, "figcaption")[0].itertext())
    assert "marked 0 is a true zero" in caption and "“No data” means" in caption
    assert "hidden" not in caption  # nothing hidden in this chart: no words about it


def test_a_hidden_figure_is_explained_under_the_chart_that_has_one():
    figure = _svg(charts.weekly_percent_chart(_weeks(Figure(3, suppressed=True)), "share"))
    assert "hatched bar marked “hidden”" in "".join(_named(figure, "figcaption")[0].itertext())


def test_a_count_axis_climbs_in_whole_round_steps_to_the_largest_value():
    for largest, top in ((0, 4), (3, 4), (7, 8), (9, 12), (18, 20), (37, 40), (99, 100)):
        chart = charts.weekly_count_chart(_weeks(Figure(largest)), "share", axis_title="Drop-ins")
        assert chart.ticks[-1].label == str(top), largest
        assert all(float(t.label).is_integer() for t in chart.ticks)


def test_with_many_weeks_every_bar_keeps_its_value_on_its_side_and_labels_are_spaced_out():
    chart = charts.weekly_percent_chart(_weeks(*[Figure(50, percent=True)] * 40), "share")
    assert all(bar.sideways for bar in chart.bars)
    values = _by_class(_svg(chart), "cl-chart__value--sideways")
    assert [v.text for v in values] == ["50%"] * 40
    assert all(v.get("transform").startswith("rotate(-90") for v in values)
    # Room above the plot for a value on its side over a full bar.
    assert chart.top > charts.TOP and chart.baseline - chart.top == charts.PLOT_HEIGHT
    labelled = [i for i, bar in enumerate(chart.bars) if bar.show_label]
    assert 1 < len(labelled) < 40
    assert all(b - a >= 2 for a, b in zip(labelled, labelled[1:], strict=False))
