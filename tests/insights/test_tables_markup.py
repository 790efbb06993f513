"""Dashboard tables: on a phone each row becomes a block led by its heading, every figure named
by its column; and a target reads in good English whatever its number of coaches."""

import datetime as dt
from types import SimpleNamespace

import tinyhtml5
from django.template.loader import render_to_string

from coachloop.common.disclosure import Figure
from coachloop.insights.tables import Table, _target_text


def _cells(html):
    document = tinyhtml5.parse(html, namespace_html_elements=False)
    table = next(e for e in document.iter() if e.tag == "table")
    rows = [r for r in table.iter("tr") if r.find("th[@scope='row']") is not None]
    return table, rows


def test_each_figure_is_named_by_its_column_and_each_row_led_by_its_heading():
    table = Table(
        "schools",
        "Schools side by side",
        ["School", "Teachers", "Share with a coach"],
        [
            ["School A1", Figure(13), Figure(77, percent=True)],
            ["School A2", Figure(3), Figure(None)],
        ],
    )
    html = render_to_string("insights/_table.html", {"table": table, "csv_url": "/x.csv"})
    element, rows = _cells(html)
    assert "cl-rows" in element.get("class").split()
    first = rows[0]
    heading = first.find("th")
    assert heading.text == "School A1" and "cl-rows__first" in heading.get("class")
    assert [(td.get("data-label"), td.text) for td in first.iter("td")] == [
        ("Teachers", "13"),
        ("Share with a coach", "77%"),
    ]
    assert [td.text for td in rows[1].iter("td")] == ["3", "–"]


def test_a_target_of_one_trained_coach_is_singular():
    due = dt.date(2027, 7, 16)
    one = SimpleNamespace(coached_percent=80, trained_coaches=1, due_by=due)
    four = SimpleNamespace(coached_percent=90, trained_coaches=4, due_by=due)
    assert _target_text(one) == "80% coached and 1 trained coach by 16 Jul 2027"
    assert _target_text(four) == "90% coached and 4 trained coaches by 16 Jul 2027"
