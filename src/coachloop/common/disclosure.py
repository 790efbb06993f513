"""Disclosure control: no published figure may single a person out.

Figures come in two tiers (docs/architecture.md, "Disclosure control"):

- **Organisation**: coverage and resourcing (teachers, teachers with a coach, trained coaches,
  progress to a target, drop-ins recorded, teachers seen within their rhythm, coaches'
  caseloads). A head answers for these and the coaching lead already sees them person by
  person, so they are shown exactly (``exact``).
- **Practice**: what happens in coaching (which steps are worked on, how often steps are
  embedded and how fast, how each coach keeps to the rhythm, steps teachers proposed). A count
  of 1 to 4, or any figure about fewer than five people, is hidden (``count``). When parts of a
  whole are published and the whole is known, hiding one part is not enough (the whole minus
  the others gives it away), so a second part is hidden too (``parts``).

Every hidden figure reads the same, "hidden": were a small count to read "fewer than 5" and a
second figure hidden beside it something else, the label would tell the second one was 0 or 5
or more, and the whole beside them would give both away.

Every figure published anywhere is either one of a school's cells, suppressed once here, or a
total of cells that are all shown (``total_of``, ``sum_of_shown``), so no page or download,
alone or beside another, can be subtracted to give a hidden cell away. Zero is shown: it names
nobody (unless the group it describes is smaller than five).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

THRESHOLD = 5
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
            return str(HIDDEN)
        if self.value is None:
            return "–"
        if self.percent:
            return f"{self.value:.0f}%"
        if isinstance(self.value, float):
            return f"{self.value:.1f}".removesuffix(".0")
        return f"{self.value:,}"

    @property
    def number(self):
        """The figure for a machine (CSV, XLSX, JSON): ``None`` when hidden or when there is no
        figure, otherwise rounded as the page shows it (a percent to a whole number, anything
        else with a fraction to one decimal place), so no download is more precise than the
        page. ``value`` keeps the raw number even when hidden and must never leave."""
        if not self.shown:
            return None
        if self.percent:
            return round(self.value)
        if isinstance(self.value, int):
            return self.value
        return round(float(self.value), 1)

    @property
    def shown(self) -> bool:
        """A number is on show (not hidden, and not "no figure")."""
        return not self.suppressed and self.value is not None

    def __str__(self):
        return self.text


def is_small(n) -> bool:
    return n is not None and 0 < n < THRESHOLD


def exact(n) -> Figure:
    """An organisational figure (coverage, resourcing): shown as it is."""
    return Figure(n)


def too_few(people) -> bool:
    """A figure about this many people would describe each of them."""
    return people is not None and 0 < people < THRESHOLD


def count(n, *, people=None) -> Figure:
    """A count of people or of what they did: hidden when it is 1 to 4, or when the group it
    describes (``people``, when that is not the count itself) is fewer than five, zero
    included (none of three teachers is a fact about each of them)."""
    return Figure(n, suppressed=is_small(n) or too_few(people))


def about_people(figures: dict, people) -> dict:
    """``figures`` (parts already protected among themselves), all hidden when they describe
    fewer than five people."""
    if not too_few(people):
        return figures
    return {key: Figure(f.value, suppressed=True, percent=f.percent) for key, f in figures.items()}


def parts(values: dict, *, whole_shown: bool = True, withheld=()) -> dict:
    """Counts that add up to a whole. Small ones are hidden, and so are those in ``withheld``
    (hidden for another reason, such as the few people they describe).

    If the whole is shown (or can be worked out) and exactly one part is hidden, a second part
    is hidden with it: the smallest other non-zero part, or a zero part when no other is
    non-zero (the whole minus a row of zeros would otherwise give the hidden one away).
    """
    hidden = {key for key, n in values.items() if is_small(n) or key in withheld}
    # The candidates for a second hidden part: non-zero ones first, smallest first.
    others = sorted(
        (not n, n or 0, i, key) for i, (key, n) in enumerate(values.items()) if key not in hidden
    )
    secondary = set()
    if whole_shown and len(hidden) == 1 and others:
        secondary.add(others[0][3])
    return {
        key: Figure(n, suppressed=key in hidden or key in secondary, secondary=key in secondary)
        for key, n in values.items()
    }


def exact_share(part, whole) -> Figure:
    """An organisational share (teachers with a coach): shown as it is."""
    if not whole:
        return Figure(None, percent=True)
    return Figure(100 * part / whole, percent=True)


def share_of_figures(part: Figure, whole: Figure) -> Figure:
    """The share ``part`` is of ``whole``, both already published figures: shown only when
    both are (a share beside one of its two figures gives the other away)."""
    if whole.value in (None, 0):
        return Figure(None, percent=True)
    value = 100 * (part.value or 0) / whole.value
    return Figure(value, suppressed=not (part.shown and whole.shown), percent=True)


def total_of(figures) -> Figure:
    """The total of published cells, shown only when none of them is hidden: a total with a
    hidden cell in it, beside the cells, would give the hidden one away."""
    figures = list(figures)
    total = sum(f.value or 0 for f in figures)
    return Figure(total, suppressed=any(f.suppressed for f in figures))


def sum_of_shown(figures) -> Figure:
    """The sum of the published cells that are shown, leaving the hidden ones out: always safe
    to show beside the cells, at the price of counting less than happened."""
    return Figure(sum(f.value or 0 for f in figures if not f.suppressed))


def statistic(value, *, people) -> Figure:
    """A figure (a median, an average) computed over ``people`` people: hidden when they are
    fewer than five, since it would describe them all but individually."""
    if not people:
        return Figure(None)
    return Figure(value, suppressed=people < THRESHOLD)
