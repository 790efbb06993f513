"""Bar charts drawn as inline SVG on the server: no script, and a table beside each one.

A suppressed figure has no bar; the table says "fewer than 5" for it.
"""

from dataclasses import dataclass

from django.utils.formats import date_format

WIDTH = 600
HEIGHT = 160
GAP = 2
TERM_BAR = 120  # a year has three terms: bars that wide still read as bars


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass
class Chart:
    bars: list
    target_y: float | None
    width: int = WIDTH
    height: int = HEIGHT


def weekly_percent_chart(weeks, attribute, *, target=None) -> Chart:
    """One bar per week for a percentage figure; a line at ``target`` per cent if given."""
    return percent_chart(
        weeks, attribute, label=lambda week: date_format(week.week, "j M"), target=target
    )


def term_percent_chart(terms, attribute) -> Chart:
    """One bar per term (or month) for a percentage figure."""
    return percent_chart(terms, attribute, label=lambda row: row.term, widest=TERM_BAR)


def percent_chart(rows, attribute, *, label, target=None, widest=None) -> Chart:
    """One bar per row for a percentage figure, labelled by ``label(row)``, each bar at most
    ``widest`` wide (centred in its slot)."""
    slot = WIDTH / max(len(rows), 1)
    width = max(slot - GAP, 1) if widest is None else min(max(slot - GAP, 1), widest)
    bars = []
    for i, row in enumerate(rows):
        figure = getattr(row, attribute)
        if figure.suppressed or figure.value is None:
            continue
        height = HEIGHT * min(figure.value, 100) / 100
        bars.append(
            Bar(
                x=round(i * slot + (slot - width) / 2, 1),
                y=round(HEIGHT - height, 1),
                width=round(width, 1),
                height=round(height, 1),
                label=f"{label(row)}: {figure.text}",
            )
        )
    target_y = round(HEIGHT - HEIGHT * min(target, 100) / 100, 1) if target is not None else None
    return Chart(bars=bars, target_y=target_y)
