"""The school calendar of the demo (England): three terms, half-terms, Easter and the May bank
holiday; the school days its history covers; and the trust's academic years and terms.
"""

import datetime as dt
import functools
from dataclasses import dataclass

from coachloop.people.models import AcademicYear, Term

HISTORY_SCHOOL_DAYS = 60  # about twelve teaching weeks: a term of coaching
MIN_HISTORY_SCHOOL_DAYS = 25  # early in the year, the history reaches back into the last one

MONDAY, FRIDAY = 0, 4


def _easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_weekday_from(day: dt.date) -> dt.date:
    while day.weekday() > FRIDAY:
        day += dt.timedelta(days=1)
    return day


def _last_weekday_until(day: dt.date) -> dt.date:
    while day.weekday() > FRIDAY:
        day -= dt.timedelta(days=1)
    return day


def _last_on_or_before(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def _first_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


@dataclass(frozen=True)
class SchoolYear:
    """One academic year, 1 September to 31 August, with realistic English term dates."""

    start_year: int
    terms: tuple  # ((name, starts_on, ends_on), ...)
    half_term_mondays: tuple
    bank_holidays: tuple

    @property
    def name(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.start_year, 9, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.start_year + 1, 8, 31)

    def is_school_day(self, day: dt.date) -> bool:
        if day.weekday() > FRIDAY or day in self.bank_holidays:
            return False
        if day - dt.timedelta(days=day.weekday()) in self.half_term_mondays:
            return False
        return any(starts <= day <= ends for _, starts, ends in self.terms)


@functools.lru_cache(maxsize=16)
def school_year(start_year: int) -> SchoolYear:
    autumn = (
        "Autumn term",
        _first_weekday_from(dt.date(start_year, 9, 3)),
        _last_on_or_before(dt.date(start_year, 12, 19), FRIDAY),
    )
    easter = _easter_sunday(start_year + 1)
    good_friday = easter - dt.timedelta(days=2)
    spring = (
        "Spring term",
        _first_weekday_from(dt.date(start_year + 1, 1, 5)),
        good_friday - dt.timedelta(days=7),  # two weeks off around Easter
    )
    summer = (
        "Summer term",
        easter + dt.timedelta(days=8),  # the Monday a week after Easter Monday
        _last_weekday_until(dt.date(start_year + 1, 7, 22)),
    )
    half_terms = (
        _last_on_or_before(dt.date(start_year, 10, 31), MONDAY),  # last week of October
        _first_on_or_after(dt.date(start_year + 1, 2, 1), MONDAY) + dt.timedelta(weeks=2),
        _last_on_or_before(dt.date(start_year + 1, 5, 31), MONDAY),
    )
    early_may = _first_on_or_after(dt.date(start_year + 1, 5, 1), MONDAY)
    return SchoolYear(start_year, (autumn, spring, summer), half_terms, (early_may,))


def academic_start_year(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def is_school_day(day: dt.date) -> bool:
    """A weekday in term time, not in a half-term week or on a bank holiday."""
    return school_year(academic_start_year(day)).is_school_day(day)


def school_days_until(day: dt.date, count: int) -> list[dt.date]:
    """The last ``count`` school days on or before ``day``, oldest first."""
    found = []
    while len(found) < count:
        if is_school_day(day):
            found.append(day)
        day -= dt.timedelta(days=1)
    return found[::-1]


def school_days_after(day: dt.date, count: int) -> list[dt.date]:
    """The next ``count`` school days after ``day``."""
    found = []
    while len(found) < count:
        day += dt.timedelta(days=1)
        if is_school_day(day):
            found.append(day)
    return found


def history_window(today: dt.date) -> list[dt.date]:
    """The school days the demo history covers: this school year so far, up to about a term.

    Early in the year (fewer than ``MIN_HISTORY_SCHOOL_DAYS`` school days in), the history
    reaches back into the previous year instead, so there is always a term's worth.
    """
    days = school_days_until(today, HISTORY_SCHOOL_DAYS)
    this_year = [d for d in days if academic_start_year(d) == academic_start_year(today)]
    return this_year if len(this_year) >= MIN_HISTORY_SCHOOL_DAYS else days


def add_school_years(trust, first_day: dt.date, today: dt.date):
    """The trust's academic years and their terms, from the one holding ``first_day`` to today's."""
    for start_year in range(academic_start_year(first_day), academic_start_year(today) + 1):
        year = school_year(start_year)
        academic_year = AcademicYear.objects.create(
            trust=trust, name=year.name, starts_on=year.starts_on, ends_on=year.ends_on
        )
        Term.objects.bulk_create(
            Term(
                trust=trust,
                academic_year=academic_year,
                name=name,
                starts_on=starts,
                ends_on=ends,
            )
            for name, starts, ends in year.terms
        )
