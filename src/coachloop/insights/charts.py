"""Bar charts drawn as inline SVG on the server: no script, and a table beside each one.

A suppressed figure has no bar; the table says "fewer than 5" for it.
"""

from dataclasses import dataclass

from django.utils.formats import date_format

WIDTH = 600
HEIGHT = 160
GAP = 2


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
    slot = WIDTH / max(len(weeks), 1)
    bars = []
    for i, week in enumerate(weeks):
        figure = getattr(week, attribute)
        if figure.suppressed or figure.value is None:
            continue
        height = HEIGHT * min(figure.value, 100) / 100
        bars.append(
            Bar(
                x=round(i * slot + GAP / 2, 1),
                y=round(HEIGHT - height, 1),
                width=round(max(slot - GAP, 1), 1),
                height=round(height, 1),
                label=f"{date_format(week.week, 'j M')}: {figure.text}",
            )
        )
    target_y = round(HEIGHT - HEIGHT * min(target, 100) / 100, 1) if target is not None else None
    return Chart(bars=bars, target_y=target_y)
