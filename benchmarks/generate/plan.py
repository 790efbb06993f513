"""The plan of the data set: trusts and schools, with each school's size, decided before any
row is made (and the sizes and calendar it is planned for)."""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils.text import slugify

from coachloop.demo import calendar as demo_calendar
from coachloop.demo import names as demo_names
from coachloop.people.models import School

BENCH_DOMAIN = "bench.example.org"
TRUST_SLUG_PREFIX = "bench-"
PASSWORD = "coachloop-bench"  # noqa: S105 (invented accounts in a throwaway database)
DEFAULT_SEED = 2026
LARGE_TRUST_SCHOOLS = 50
TRUST_SCHOOLS = (20, 40)  # every other trust
MIN_TEACHERS_PER_SCHOOL = 2  # one coach and one teacher coached
BATCH_SIZE = 5000
YEAR_DAYS = 364  # the data covers the 52 weeks up to ``today``
ECF_SLUG = "ecf-2019"


class GenerateError(Exception):
    """The data set cannot be generated as asked."""


@dataclass(frozen=True)
class Sizes:
    schools: int
    teachers: int
    dropins: int

    @classmethod
    def scaled(cls, scale: float) -> "Sizes":
        """``scale`` 1 is 1x (a tenth of the top end); 10 is the top end."""
        return cls(
            schools=max(1, round(ONE_X.schools * scale)),
            teachers=max(MIN_TEACHERS_PER_SCHOOL, round(ONE_X.teachers * scale)),
            dropins=max(0, round(ONE_X.dropins * scale)),
        )

    def as_dict(self):
        return {"schools": self.schools, "teachers": self.teachers, "dropins": self.dropins}


TOP_END = Sizes(schools=1000, teachers=50_000, dropins=2_000_000)
ONE_X = Sizes(schools=100, teachers=5_000, dropins=200_000)

# ---------------------------------------------------------------------------------------------
# Words: places and people come from the demo's pools, so the data reads like the demo.
# ---------------------------------------------------------------------------------------------

TRUST_KINDS = ("Learning Trust", "Academy Trust", "Education Trust", "Schools Partnership")
PHASES = (
    # phase, share of schools, teachers relative to the mean
    (School.Phase.PRIMARY, 0.60, 0.6),
    (School.Phase.SECONDARY, 0.30, 1.6),
    (School.Phase.SPECIAL, 0.05, 0.5),
    (School.Phase.ALL_THROUGH, 0.05, 1.8),
)
SCHOOL_SUFFIXES = {
    School.Phase.PRIMARY: ("Primary School", "Primary Academy", "Infant and Junior School"),
    School.Phase.SECONDARY: demo_names.SECONDARY_SUFFIXES,
    School.Phase.SPECIAL: ("School", "Academy"),
    School.Phase.ALL_THROUGH: ("All-Through Academy", "School"),
}

# ---------------------------------------------------------------------------------------------
# The plan: trusts and schools, with each school's size, decided before any row is made.
# ---------------------------------------------------------------------------------------------


@dataclass
class SchoolPlan:
    number: int  # 1-based, across the data set
    name: str
    slug: str
    phase: str
    teachers: int
    coaches: int
    coverage: float  # the share of teachers coached by the end of the year
    engagement: float  # how well the school keeps its rhythm
    fortnightly: bool
    has_model: bool
    caseload_limit: int
    dropins: int = 0

    @property
    def coached(self) -> int:
        most = self.teachers - 1 if self.coaches == 1 else self.teachers
        return max(1, min(most, round(self.coverage * self.teachers)))


@dataclass
class TrustPlan:
    number: int
    name: str
    slug: str
    schools: list = field(default_factory=list)


def _trust_sizes(schools: int, large: int, rng: random.Random) -> list[int]:
    large = min(large, schools)
    sizes = [large] if large else []
    rest = schools - large
    low, high = TRUST_SCHOOLS
    while rest > 0:
        if rest <= high:
            sizes.append(rest)
            break
        count = rng.randint(low, high)
        if rest - count < low:
            count = rest - low
        sizes.append(count)
        rest -= count
    return sizes


def _rebalance(total: int, items: list, adjustable: list, attr: str, minimum, maximum):
    """Change ``attr`` of the ``adjustable`` items so the sum over ``items`` is ``total``,
    keeping each within [minimum(item), maximum(item)] (no maximum if None). Returns False if
    it cannot."""
    if maximum is None:

        def maximum(item):
            return 10**9

    fixed = sum(getattr(item, attr) for item in items if item not in adjustable)
    want = total - fixed
    if not adjustable:
        return want == 0
    if not sum(minimum(i) for i in adjustable) <= want <= sum(maximum(i) for i in adjustable):
        return False
    current = sum(getattr(item, attr) for item in adjustable)
    for item in adjustable:
        scaled = round(getattr(item, attr) * want / current) if current else want // len(adjustable)
        setattr(item, attr, max(minimum(item), min(maximum(item), scaled)))
    diff = want - sum(getattr(item, attr) for item in adjustable)
    while diff:
        moved = False
        for item in adjustable:
            value = getattr(item, attr)
            if diff > 0 and value < maximum(item):
                step = min(diff, maximum(item) - value, max(1, diff // len(adjustable)))
            elif diff < 0 and value > minimum(item):
                step = -min(-diff, value - minimum(item), max(1, -diff // len(adjustable)))
            else:
                continue
            setattr(item, attr, value + step)
            diff -= step
            moved = True
            if not diff:
                break
        if not moved:
            return False
    return True


def _apportion(total: int, weights: list, caps: list) -> list[int]:
    """Split ``total`` in proportion to ``weights``, no share above its cap."""
    shares = [0] * len(weights)
    remaining = total
    open_ = [i for i, cap in enumerate(caps) if cap > 0]
    while remaining > 0:
        if not open_:
            raise GenerateError(f"{total} does not fit: every share is at its limit.")
        weight = sum(weights[i] for i in open_)
        given = 0
        for i in open_:
            share = int(remaining * weights[i] / weight) if weight else 0
            share = min(share, caps[i] - shares[i])
            shares[i] += share
            given += share
        remaining -= given
        if not given:  # the last few, one each, heaviest first
            for i in sorted(open_, key=lambda i: -weights[i])[:remaining]:
                shares[i] += 1
                remaining -= 1
        open_ = [i for i in open_ if shares[i] < caps[i]]
    return shares


def _phases(count: int, rng: random.Random) -> list:
    """The trust's schools by phase, in the national proportions, in a random order."""
    shares = _apportion(count, [p[1] for p in PHASES], [count] * len(PHASES))
    phases = [p for p, n in zip(PHASES, shares, strict=True) for _ in range(n)]
    rng.shuffle(phases)
    return phases


def plan(sizes: Sizes, *, seed: int, large_trust: int, school_days: int) -> list[TrustPlan]:
    """Trusts and schools, with each school's teachers, coaches and drop-ins for the year.

    Each trust gets the mean number of teachers per school and of drop-ins per teacher, shared
    between its schools by phase and by how each school coaches; the trusts after the first
    absorb the rounding, so the totals are exact.
    """
    if sizes.schools < 1:
        raise GenerateError("The data set needs at least one school.")
    if sizes.teachers < MIN_TEACHERS_PER_SCHOOL * sizes.schools:
        raise GenerateError(
            f"Each school needs at least {MIN_TEACHERS_PER_SCHOOL} teachers: ask for at least "
            f"{MIN_TEACHERS_PER_SCHOOL * sizes.schools} teachers for {sizes.schools} schools."
        )
    mean_teachers = sizes.teachers / sizes.schools
    rate = sizes.dropins / sizes.teachers  # drop-ins per teacher in the year
    trusts, number = [], 0
    counts = _trust_sizes(sizes.schools, large_trust, random.Random(f"{seed}:trusts"))
    for t, count in enumerate(counts):
        rng = random.Random(f"{seed}:trust:{t}:plan")
        place = demo_names.PLACES[t % len(demo_names.PLACES)]
        trust = TrustPlan(
            number=t + 1,
            name=f"{place} {TRUST_KINDS[t % len(TRUST_KINDS)]}"
            + (f" {t // len(demo_names.PLACES) + 1}" if t >= len(demo_names.PLACES) else ""),
            slug=f"{TRUST_SLUG_PREFIX}{t + 1:03d}",
        )
        phases = _phases(count, rng)
        relative = [p[2] * rng.uniform(0.75, 1.25) for p in phases]
        extra = round(mean_teachers * count) - MIN_TEACHERS_PER_SCHOOL * count
        teachers = _apportion(max(0, extra), relative, [10**9] * count)
        for (phase, _share, _relative), more in zip(phases, teachers, strict=True):
            number += 1
            size = MIN_TEACHERS_PER_SCHOOL + more
            coverage = rng.uniform(0.4, 0.7) if rng.random() < 0.1 else rng.uniform(0.8, 1.0)
            name = f"{rng.choice(demo_names.PLACES)} {rng.choice(SCHOOL_SUFFIXES[phase])}"
            fortnightly = rng.random() < 0.25
            trust.schools.append(
                SchoolPlan(
                    number=number,
                    name=name,
                    slug=f"{slugify(name)}-{number}",
                    phase=phase,
                    teachers=size,
                    coaches=max(1, min(size - 1, round(coverage * size / rng.uniform(4, 7)))),
                    coverage=coverage,
                    engagement=rng.uniform(0.6, 1.3),
                    fortnightly=fortnightly,
                    has_model=fortnightly or rng.random() < 0.8,
                    caseload_limit=rng.randint(5, 8),
                )
            )
        _plan_dropins(trust.schools, rate, school_days)
        trusts.append(trust)

    # Rounding: the trusts after the large one absorb it (or every trust, if there is one).
    schools = [s for t in trusts for s in t.schools]
    others = [s for t in trusts[1:] for s in t.schools] or schools
    if sum(s.teachers for s in schools) != sizes.teachers:
        _rebalance(
            sizes.teachers, schools, others, "teachers", lambda s: MIN_TEACHERS_PER_SCHOOL, None
        )
        for s in others:
            s.coaches = max(1, min(s.teachers - 1, s.coaches))
        for t in trusts[1:] or trusts:
            _plan_dropins(t.schools, rate, school_days)
    if sum(s.dropins for s in schools) != sizes.dropins and not _rebalance(
        sizes.dropins, schools, others, "dropins", lambda s: 0, lambda s: _capacity(s, school_days)
    ):
        raise GenerateError(
            f"{sizes.dropins} drop-ins in a year is more than {sizes.teachers} teachers can "
            "have: ask for fewer drop-ins or more teachers."
        )
    return trusts


def _capacity(school: SchoolPlan, school_days: int) -> int:
    """Most drop-ins a school can have: about one every other school day per teacher coached."""
    return school.coached * school_days // 2


def _plan_dropins(schools, rate, school_days):
    """Give a trust ``rate`` drop-ins per teacher, shared between its schools: fortnightly
    schools and those that keep their rhythm less well get fewer per teacher coached."""
    total = round(rate * sum(s.teachers for s in schools))
    weights = [(0.55 if s.fortnightly else 1.0) * s.engagement * s.coached for s in schools]
    try:
        shares = _apportion(total, weights, [_capacity(s, school_days) for s in schools])
    except GenerateError:
        raise GenerateError(
            f"{total} drop-ins in a year is more than {sum(s.teachers for s in schools)} "
            "teachers can have: ask for fewer drop-ins or more teachers."
        ) from None
    for school, share in zip(schools, shares, strict=True):
        school.dropins = share


# ---------------------------------------------------------------------------------------------
# The school calendar
# ---------------------------------------------------------------------------------------------


def school_days(today: dt.date) -> list[dt.date]:
    """The school days in the 52 weeks up to ``today``, oldest first (England's calendar)."""
    start = today - dt.timedelta(days=YEAR_DAYS - 1)
    days = [start + dt.timedelta(days=n) for n in range(YEAR_DAYS)]
    return [d for d in days if demo_calendar.is_school_day(d)]
