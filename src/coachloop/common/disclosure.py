"""Disclosure control: no published figure may single a person out.

A count of 1 to 4 people is shown as "fewer than 5", never as a number. When parts of a
whole are shown with the whole, hiding one part is not enough (the whole minus the others
gives it away), so the next smallest part is hidden too. A share is hidden when either the
people it counts or the people it leaves out are hidden. Zero is shown: it names nobody.

Every dashboard figure and CSV cell about people passes through here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

THRESHOLD = 5
FEWER_THAN = _("fewer than 5")
HIDDEN = _("hidden")


@dataclass(frozen=True)
class Figure:
    value: float | int | None
    suppressed: bool = False
    secondary: bool = False  # hidden only so that another hidden figure stays hidden
    percent: bool = False

    @property
    def text(self) -> str:
        if self.suppressed:
            return str(HIDDEN if self.secondary or self.percent else FEWER_THAN)
        if self.value is None:
            return "–"
        if self.percent:
            return f"{self.value:.0f}%"
        if isinstance(self.value, float):
            return f"{self.value:.1f}".removesuffix(".0")
        return f"{self.value:,}"

    def __str__(self):
        return self.text


def is_small(n) -> bool:
    return n is not None and 0 < n < THRESHOLD


def count(n) -> Figure:
    """A count of people (or of records that each stand for one person)."""
    return Figure(n, suppressed=is_small(n))


def parts(values: dict, *, whole_shown: bool = True) -> dict:
    """Counts that add up to a whole. Small ones are hidden; if the whole is shown and only one
    part is hidden, the smallest other non-zero part is hidden with it."""
    hidden = {key for key, n in values.items() if is_small(n)}
    secondary = set()
    if whole_shown and len(hidden) == 1:
        others = sorted(
            (n, i, key)
            for i, (key, n) in enumerate(values.items())
            if key not in hidden and n and n > 0
        )
        if others:
            secondary.add(others[0][2])
    return {
        key: Figure(n, suppressed=key in hidden or key in secondary, secondary=key in secondary)
        for key, n in values.items()
    }


def share(part, whole) -> Figure:
    """``part`` of ``whole`` as a percentage, hidden if it would reveal a small group on
    either side (those counted or those left out)."""
    if not whole:
        return Figure(None, percent=True)
    protected = parts({"in": part, "out": whole - part})
    suppressed = protected["in"].suppressed or protected["out"].suppressed
    return Figure(100 * part / whole, suppressed=suppressed, percent=True)


def statistic(value, *, people) -> Figure:
    """A figure (a median, an average) computed over ``people`` people: hidden when they are
    fewer than five, since it would describe them all but individually."""
    if not people:
        return Figure(None)
    return Figure(value, suppressed=people < THRESHOLD)
