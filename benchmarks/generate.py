"""A national-scale data set for the benchmarks: trusts, schools, people and a year of coaching.

    python -m benchmarks.generate              # 1x: 100 schools, 5,000 teachers, 200,000 drop-ins
    python -m benchmarks.generate --scale 10   # the top end: 1,000 / 50,000 / 2,000,000
    python -m benchmarks.generate --schools 3 --teachers 60 --dropins 1500 --replace

Everything is invented and deterministic: the same seed, sizes and ``--today`` give the same
rows. Trusts have 20 to 40 schools each, except the first, the large trust (50 schools unless
``--large-trust`` says otherwise). The large trust comes from its own random streams and the
other trusts absorb every adjustment to the totals, so with the same means (teachers per school,
drop-ins per teacher) it is identical at 1x and at 10x: the benchmark measures the same
dashboards in a database ten times the size.

Rows go in with PostgreSQL's COPY when the database is PostgreSQL, and with ``bulk_create`` in
large batches otherwise (SQLite, for the tests), each trust in one go, all in one transaction.
Primary keys are given explicitly, so rows can point at each other before they are written;
the sequences are moved on afterwards. The only rows written through the application are each
trust's framework, loaded with ``frameworks.services``.

The data set: for every trust a trust lead and an administrator, the starter framework, a
coaching policy, academic years and terms; for every school a headteacher and its teachers
(some early-career, some leaders), coaches drawn from its teachers, one of them the coaching
lead; a coaching model (some schools fortnightly), coverage targets, rollout phases and coach
training; coaching relationships starting through the year (a first team, then scale-up), with
some handovers and leavers; drop-ins on school days at each teacher's rhythm, each following up
the current action step; steps embedded (or moved on) and replaced.
"""

import argparse
import bisect
import datetime as dt
import random
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.text import slugify

from coachloop.coaching.models import ActionStep, DropIn, Relationship
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.demo import calendar as demo_calendar
from coachloop.demo import names as demo_names
from coachloop.demo.coaching import sentences as demo_sentences
from coachloop.frameworks import loader as framework_loader
from coachloop.frameworks import services as framework_services
from coachloop.frameworks.models import ReferenceFramework, Step
from coachloop.people.models import (
    AcademicYear,
    Membership,
    Role,
    School,
    StaffGroup,
    Term,
    Trust,
    User,
)
from coachloop.policy.models import FrameworkPolicy, SchoolModel, TrustPolicy
from coachloop.rollout.models import CoachTraining, CoverageTarget, RolloutPhase

__all__ = [
    "BENCH_DOMAIN",
    "ONE_X",
    "TOP_END",
    "GenerateError",
    "KeyPeople",
    "Sizes",
    "generate",
    "key_people",
    "wipe",
]

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
COURSES = (
    "Instructional coaching: the foundations",
    "Coaching conversations that stick",
    "Deliberate practice for coaches",
    "Mentoring early-career teachers",
    "Leading coaching in a school",
)
PROVIDERS = (
    "The trust's teaching school hub",
    "The school's coaching lead",
    "A national coaching programme",
    "A local teaching school alliance",
)
MINUTES = (10, 12, 15, 15, 15, 20, 20, 25, 30)
FOLLOWUPS = DropIn.FollowUp


def _secondary_class(rng):
    year = rng.randint(7, 13)
    subject = rng.choice(demo_names.SUBJECTS)
    return f"{year}{rng.choice(demo_names.SECONDARY_FORM_LETTERS)} {subject}"


def _primary_class(rng):
    year = rng.choice(demo_names.PRIMARY_YEARS)
    if rng.random() < 0.2:
        return rng.choice(demo_names.PRIMARY_GROUPS).format(year=year)
    return f"{year} {rng.choice(demo_names.PRIMARY_FORMS)}"


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
# Rows: explicit primary keys, buffered per table, written with COPY or bulk_create.
# ---------------------------------------------------------------------------------------------

TABLES = (
    Trust,
    School,
    User,
    Membership,
    AcademicYear,
    Term,
    TrustPolicy,
    SchoolModel,
    Relationship,
    ActionStep,
    DropIn,
    CoverageTarget,
    RolloutPhase,
    CoachTraining,
)


class Rows:
    """Rows for each table, as dicts of column values, with ids handed out here."""

    def __init__(self):
        self.next_id = {model: self._max_id(model) + 1 for model in TABLES}
        self.pending = defaultdict(list)

    @staticmethod
    def _max_id(model):
        return model._base_manager.aggregate(top=Max("id"))["top"] or 0

    def add(self, model, **values):
        values["id"] = self.next_id[model]
        self.next_id[model] += 1
        self.pending[model].append(values)
        return values

    def flush(self):
        """Write what is pending, parents first."""
        written = {}
        for model in TABLES:
            rows = self.pending.pop(model, None)
            if rows:
                _insert(model, rows)
                written[model] = len(rows)
        return written


REQUIRED = object()


def _columns(model):
    """Each concrete column, with the value to use when a row does not give one."""
    columns = []
    for f in model._meta.concrete_fields:
        if f.has_default() or f.null or f.empty_strings_allowed:
            # The database's own form of the default: COPY cannot write a dict as JSON.
            default = f.get_db_prep_save(f.get_default(), connection)
            columns.append((f.attname, f.column, default))
        else:
            columns.append((f.attname, f.column, REQUIRED))
    return columns


def _values(row, columns):
    try:
        return [
            row[name] if default is REQUIRED or name in row else default
            for name, _column, default in columns
        ]
    except KeyError as missing:
        raise GenerateError(f"A row has no value for {missing}, which has no default.") from None


def _insert(model, rows):
    columns = _columns(model)
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for _a, column, _d in columns)
        raw = connection.cursor().cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(_values(row, columns))
    else:
        names = [name for name, _column, _default in columns]
        model._base_manager.bulk_create(
            [model(**dict(zip(names, _values(row, columns), strict=True))) for row in rows],
            batch_size=BATCH_SIZE,
        )


def _reset_sequences():
    for sql in connection.ops.sequence_reset_sql(no_style(), list(TABLES)):
        with connection.cursor() as cursor:
            cursor.execute(sql)


# ---------------------------------------------------------------------------------------------
# The school calendar
# ---------------------------------------------------------------------------------------------


def school_days(today: dt.date) -> list[dt.date]:
    """The school days in the 52 weeks up to ``today``, oldest first (England's calendar)."""
    start = today - dt.timedelta(days=YEAR_DAYS - 1)
    days = [start + dt.timedelta(days=n) for n in range(YEAR_DAYS)]
    return [d for d in days if demo_calendar.is_school_day(d)]


# ---------------------------------------------------------------------------------------------
# One trust
# ---------------------------------------------------------------------------------------------


@dataclass
class Segment:
    """A coaching relationship and the school days on which its coach could visit."""

    relationship: dict
    days: list
    cadence: int
    weight: float
    teacher: dict
    ends: bool  # whether the relationship finishes (its last step closes with it)
    dropins: int = 0


class TrustBuilder:
    def __init__(self, *, trust_plan, rows, rng, today, days, password_hash):
        self.plan = trust_plan
        self.rows = rows
        self.rng = rng
        self.today = today
        self.days = days
        self.start = days[0]
        self.password_hash = password_hash
        self.stamp = dt.datetime.combine(today, dt.time(18, 0), tzinfo=dt.UTC)

    def person(self, name=None, email=None):
        rng = self.rng
        name = name or f"{rng.choice(demo_names.FIRST_NAMES)} {rng.choice(demo_names.SURNAMES)}"
        user = self.rows.add(
            User,
            password=self.password_hash,
            email="",
            full_name=name,
            is_active=True,
            is_superuser=False,
            last_login=None,
            date_joined=self.stamp,
        )
        user["email"] = email or f"person-{user['id']}@{self.plan.slug}.{BENCH_DOMAIN}"
        return user

    def member(self, user, role, school=None, *, started_on, finished_on=None, group=None):
        return self.rows.add(
            Membership,
            trust_id=self.trust_id,
            user_id=user["id"],
            school_id=school["id"] if school else None,
            role=role,
            staff_group=group or StaffGroup.TEACHER,
            started_on=started_on,
            finished_on=finished_on,
        )

    def build(self, trust_id, steps, framework_id):
        """Every row of the trust but the trust and its framework (already written)."""
        self.trust_id = trust_id
        self.steps = steps
        rng = self.rng
        long_ago = dt.date(self.start.year - 3, 9, 1)
        self.trust_lead = self.person(email=f"trust-lead@{self.plan.slug}.{BENCH_DOMAIN}")
        self.member(self.trust_lead, Role.TRUST_LEAD, started_on=long_ago)
        if rng.random() < 0.5:
            self.member(self.person(), Role.TRUST_LEAD, started_on=long_ago)
        self.member(
            self.person(email=f"admin@{self.plan.slug}.{BENCH_DOMAIN}"),
            Role.ADMINISTRATOR,
            started_on=long_ago,
        )
        self.rows.add(
            TrustPolicy,
            trust_id=trust_id,
            framework_id=framework_id,
            version=1,
            updated_at=self.stamp,
        )
        self._academic_years()
        for school_plan in self.plan.schools:
            self._school(school_plan)

    def _academic_years(self):
        first = demo_calendar.academic_start_year(self.start)
        for year in range(first, demo_calendar.academic_start_year(self.today) + 1):
            calendar = demo_calendar.school_year(year)
            academic = self.rows.add(
                AcademicYear,
                trust_id=self.trust_id,
                name=calendar.name,
                starts_on=calendar.starts_on,
                ends_on=calendar.ends_on,
            )
            for name, starts_on, ends_on in calendar.terms:
                self.rows.add(
                    Term,
                    trust_id=self.trust_id,
                    academic_year_id=academic["id"],
                    name=name,
                    starts_on=starts_on,
                    ends_on=ends_on,
                )

    # -- a school -------------------------------------------------------------------------------

    def _school(self, sp: SchoolPlan):
        rng = self.rng
        school = self.rows.add(
            School,
            trust_id=self.trust_id,
            name=sp.name,
            slug=sp.slug,
            urn=str(100000 + sp.number),
            phase=sp.phase,
        )
        cadence = {
            StaffGroup.EARLY_CAREER: 7,
            StaffGroup.TEACHER: 14 if sp.fortnightly else 7,
            StaffGroup.LEADER: 14,
        }
        if sp.has_model:
            self.rows.add(
                SchoolModel,
                trust_id=self.trust_id,
                school_id=school["id"],
                cadence_early_career=cadence[StaffGroup.EARLY_CAREER],
                cadence_teachers=cadence[StaffGroup.TEACHER],
                cadence_leaders=cadence[StaffGroup.LEADER],
                framework_policy=FrameworkPolicy.ADAPT
                if rng.random() < 0.2
                else FrameworkPolicy.TRUST,
                caseload_limit=sp.caseload_limit,
                version=1,
                updated_at=self.stamp,
            )
        head = self.person(email=f"head.{sp.slug}@{self.plan.slug}.{BENCH_DOMAIN}")
        self.member(head, Role.HEADTEACHER, school, started_on=dt.date(self.start.year - 4, 9, 1))

        # Teachers: a few early-career teachers and leaders; some joined this year, a few left.
        teachers = []
        classes = _primary_class if sp.phase == School.Phase.PRIMARY else _secondary_class
        for _ in range(sp.teachers):
            r = rng.random()
            group = (
                StaffGroup.EARLY_CAREER
                if r < 0.15
                else StaffGroup.LEADER
                if r < 0.27
                else StaffGroup.TEACHER
            )
            joined = rng.random() < 0.05
            started_on = (
                self.days[rng.randrange(len(self.days) * 7 // 10)]
                if joined
                else dt.date(self.start.year - rng.randint(1, 9), 9, 1)
            )
            teacher = {
                "user": self.person(),
                "group": group,
                "started_on": started_on,
                "finished_on": None,
                "joined": joined,
                "classes": [classes(rng) for _ in range(rng.randint(3, 5))],
            }
            teachers.append(teacher)

        # Coaches: leaders first, then experienced teachers; the first one leads coaching.
        ranked = sorted(
            (t for t in teachers if not t["joined"]),
            key=lambda t: (t["group"] != StaffGroup.LEADER, t["group"] == StaffGroup.EARLY_CAREER),
        ) or list(teachers)
        coaches = ranked[: sp.coaches]
        coach_ids = {c["user"]["id"] for c in coaches}
        for t in teachers:
            if t["user"]["id"] not in coach_ids and not t["joined"] and rng.random() < 0.03:
                t["finished_on"] = self.days[rng.randrange(len(self.days) // 2, len(self.days))]
        for t in teachers:
            self.member(
                t["user"],
                Role.TEACHER,
                school,
                started_on=t["started_on"],
                finished_on=t["finished_on"],
                group=t["group"],
            )
        for c in coaches:
            self.member(c["user"], Role.COACH, school, started_on=c["started_on"])
        lead = coaches[0]
        self.member(lead["user"], Role.COACHING_LEAD, school, started_on=lead["started_on"])

        self._rollout(sp, school, coaches, lead)
        segments = self._relationships(sp, school, teachers, coaches, cadence)
        self._dropins(sp, school, segments)

    def _rollout(self, sp, school, coaches, lead):
        rng, days = self.rng, self.days
        for coach in coaches:
            if rng.random() < 0.8:
                for _ in range(1 if rng.random() < 0.85 else 2):
                    within = rng.random() < 0.4
                    completed_on = (
                        days[rng.randrange(len(days) - 1)]
                        if within
                        else self.start - dt.timedelta(days=rng.randint(1, 700))
                    )
                    self.rows.add(
                        CoachTraining,
                        trust_id=self.trust_id,
                        coach_id=coach["user"]["id"],
                        course=rng.choice(COURSES),
                        completed_on=completed_on,
                        delivered_by=rng.choice(PROVIDERS),
                        recorded_by_id=lead["user"]["id"],
                    )
        year_end = dt.date(self.today.year + (1 if self.today.month >= 8 else 0), 7, 31)
        for due_by in (days[len(days) // 2], year_end):
            self.rows.add(
                CoverageTarget,
                trust_id=self.trust_id,
                school_id=school["id"],
                trained_coaches=max(1, sp.coaches + rng.randint(-1, 2)),
                coached_percent=rng.choice((60, 70, 75, 80, 90, 100)),
                due_by=due_by,
                set_by_id=self.trust_lead["id"],
                created_at=dt.datetime.combine(self.start, dt.time(9, 0), tzinfo=dt.UTC),
            )
        soft_end = days[len(days) // 5]
        self.rows.add(
            RolloutPhase,
            trust_id=self.trust_id,
            school_id=school["id"],
            kind=RolloutPhase.Kind.SOFT_LAUNCH,
            starts_on=self.start,
            ends_on=soft_end,
            notes="A first team of coaches and volunteers.",
        )
        every = rng.random() < 0.3
        scale_end = days[len(days) * 7 // 10] if every else None
        self.rows.add(
            RolloutPhase,
            trust_id=self.trust_id,
            school_id=school["id"],
            kind=RolloutPhase.Kind.SCALE_UP,
            starts_on=soft_end + dt.timedelta(days=1),
            ends_on=scale_end,
        )
        if every:
            self.rows.add(
                RolloutPhase,
                trust_id=self.trust_id,
                school_id=school["id"],
                kind=RolloutPhase.Kind.EVERY_TEACHER,
                starts_on=scale_end + dt.timedelta(days=1),
            )

    def _relationships(self, sp, school, teachers, coaches, cadence) -> list[Segment]:
        """Who is coached by whom, from when: a first team at the start, the rest through
        the first half of the year; some handovers to another coach; leavers' coaching ends."""
        rng, days = self.rng, self.days
        capacity = {c["user"]["id"]: rng.uniform(0.5, 1.6) for c in coaches}
        candidates = [
            t for t in teachers if not (len(coaches) == 1 and t["user"]["id"] in capacity)
        ]
        coached = rng.sample(candidates, min(sp.coached, len(candidates)))
        segments = []
        for t in coached:
            uid = t["user"]["id"]
            choices = [c for c in coaches if c["user"]["id"] != uid]
            if not choices:
                continue
            weights = [capacity[c["user"]["id"]] for c in choices]
            first = 0 if rng.random() < 0.5 else rng.randrange(len(days) * 4 // 10)
            first = max(first, bisect.bisect_left(days, t["started_on"]))
            last = len(days) - 1
            if t["finished_on"]:
                last = bisect.bisect_right(days, t["finished_on"]) - 1
            if last - first < 2:
                continue
            spans = [(first, last, rng.choices(choices, weights)[0])]
            if len(choices) > 1 and last - first > 30 and rng.random() < 0.05:
                split = rng.randrange(first + (last - first) // 3, first + 2 * (last - first) // 3)
                old = spans[0][2]
                new = rng.choice([c for c in choices if c is not old])
                spans = [(first, split - 1, old), (split, last, new)]
            engagement = rng.uniform(0.4, 1.2)
            for n, (a, b, coach) in enumerate(spans):
                ends = n < len(spans) - 1 or t["finished_on"] is not None
                relationship = self.rows.add(
                    Relationship,
                    trust_id=self.trust_id,
                    school_id=school["id"],
                    coach_id=coach["user"]["id"],
                    teacher_id=uid,
                    kind=Relationship.Kind.INSTRUCTIONAL,
                    started_on=days[a],
                    finished_on=days[b] if ends else None,
                    # Recorded the day it began, as a lead records coaching.
                    created_at=dt.datetime.combine(days[a], dt.time(9, 0), tzinfo=dt.UTC),
                )
                window = days[a : b + 1]
                days_between = cadence[t["group"]]
                segments.append(
                    Segment(
                        relationship=relationship,
                        days=window,
                        cadence=days_between,
                        weight=len(window)
                        * engagement
                        * capacity[coach["user"]["id"]]
                        / days_between,
                        teacher=t,
                        ends=ends,
                    )
                )
        return segments

    def _dropins(self, sp, school, segments):
        if not segments:
            if sp.dropins:
                raise GenerateError(f"{sp.name} has drop-ins to place and nobody coached.")
            return
        _allocate(sp.dropins, segments)
        rng = self.rng
        strands = sorted({s["strand_id"] for s in self.steps})
        focus = rng.choice(strands)
        weights_by_focus = [3 if s["strand_id"] == focus else 1 for s in self.steps]
        strengths = demo_sentences.STRENGTHS + demo_sentences.STRENGTHS_BY_PHASE.get(sp.phase, ())
        for seg in segments:
            n = seg.dropins
            if not n:
                continue
            window, count = seg.days, len(seg.days)
            dates = [window[rng.randrange(i * count // n, (i + 1) * count // n)] for i in range(n)]
            self._visits(seg, dates, weights_by_focus, strengths)

    def _visits(self, seg, dates, weights, strengths):
        """The drop-ins of one relationship, each following up the step current before it,
        and the steps: set at a visit, embedded after being seen as habit twice, or moved on."""
        rng, rows = self.rng, self.rows
        relationship = seg.relationship
        rid, coach_id = relationship["id"], relationship["coach_id"]
        teacher_id = relationship["teacher_id"]
        trust_id = self.trust_id
        classes = seg.teacher["classes"]
        current, visits, habits, steps_set = None, 0, 0, 0
        for day in dates:
            followup = ""
            if current is not None:
                visits += 1
                r = rng.random()
                habit = min(0.55, 0.08 * visits)
                if r < 0.06:
                    followup = FOLLOWUPS.NO_CHANCE
                elif r < 0.06 + habit:
                    followup = FOLLOWUPS.HABIT
                    habits += 1
                elif r < 0.51 + habit:
                    followup = FOLLOWUPS.EMERGING
                else:
                    followup = FOLLOWUPS.NOT_YET
                current["status"] = ActionStep.Status.PRACTISING
            at = dt.datetime.combine(day, dt.time(9 + rng.randrange(7), rng.randrange(60)), dt.UTC)
            rows.add(
                DropIn,
                trust_id=trust_id,
                uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                relationship_id=rid,
                visited_on=day,
                class_or_group=rng.choice(classes),
                minutes=rng.choice(MINUTES),
                strengths=rng.choice(strengths),
                noticed=rng.choice(demo_sentences.NOTICED) if rng.random() < 0.6 else "",
                evidence=rng.choice(demo_sentences.EVIDENCE) if rng.random() < 0.5 else "",
                followup_step_id=current["id"] if current else None,
                followup=followup,
                is_draft=False,
                version=1,
                created_at=at,
                updated_at=at,
            )
            if current is not None:
                if habits >= 2:
                    current.update(
                        closed_on=day,
                        status=ActionStep.Status.EMBEDDED,
                        outcome=ActionStep.Outcome.EMBEDDED,
                    )
                    current = None
                elif visits >= 8 and rng.random() < 0.25:
                    current.update(closed_on=day, outcome=ActionStep.Outcome.MOVED_ON)
                    current = None
            if current is None:
                step = rng.choices(self.steps, weights)[0]
                # Self-direction grows: the more steps a teacher has worked on, the likelier
                # they are to propose the next one themselves.
                by_teacher = rng.random() < min(0.5, 0.06 * steps_set)
                steps_set += 1
                current = rows.add(
                    ActionStep,
                    trust_id=trust_id,
                    relationship_id=rid,
                    framework_step_id=step["id"],
                    title=step["title"],
                    success_looks_like=step["looks_like"],
                    status=ActionStep.Status.SET,
                    set_on=day,
                    closed_on=None,
                    outcome="",
                    proposed_by_id=teacher_id if by_teacher else coach_id,
                )
                visits, habits = 0, 0
        if seg.ends and current is not None:
            current.update(
                closed_on=relationship["finished_on"], outcome=ActionStep.Outcome.COACHING_ENDED
            )


def _allocate(total, segments):
    """Share a school's drop-ins between its relationships by weight, at most one a day."""
    shares = _apportion(total, [s.weight for s in segments], [len(s.days) for s in segments])
    for segment, share in zip(segments, shares, strict=True):
        segment.dropins = share


# ---------------------------------------------------------------------------------------------
# The framework of each trust
# ---------------------------------------------------------------------------------------------


def _framework(trust):
    """Load the starter framework for the trust (with England's ECF mappings when the shared
    reference data is there) and return its current steps."""
    with trust_scope(trust):
        if _reference_ready():
            version = framework_services.starter_framework_load(trust=trust)
        else:
            data = framework_loader.starter_framework_data()
            for strand in data.get("strands", []):
                for step in strand.get("steps", []):
                    step.pop("maps_to", None)
            version = framework_services.framework_load(trust=trust, data=data)
        steps = list(
            Step.objects.filter(strand__version=version)
            .order_by("strand__position", "position")
            .values("id", "title", "looks_like", "strand_id")
        )
    return version.framework_id, steps


_REFERENCE = {}


def _reference_ready():
    if "ready" not in _REFERENCE:
        from django.conf import settings

        ready = ReferenceFramework.objects.filter(slug=ECF_SLUG).exists()
        path = settings.COACHLOOP_ECF_FILE
        if not ready and path.exists():
            framework_services.reference_framework_import_ecf(path=path)
            ready = True
        _REFERENCE["ready"] = ready
    return _REFERENCE["ready"]


# ---------------------------------------------------------------------------------------------
# The whole data set
# ---------------------------------------------------------------------------------------------


def generate(
    sizes: Sizes,
    *,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    large_trust: int = LARGE_TRUST_SCHOOLS,
    log=None,
) -> dict:
    """Generate the data set in one transaction and return what was written, with timings.

    Refuses when benchmark data is already in the database (``wipe`` it first).
    """
    log = log or (lambda message: None)
    today = today or timezone.localdate()
    days = school_days(today)
    trust_plans = plan(sizes, seed=seed, large_trust=large_trust, school_days=len(days))
    began = time.monotonic()
    _REFERENCE.clear()
    counts = defaultdict(int)
    with transaction.atomic(), scopes_disabled():
        if Trust.objects.filter(slug__startswith=TRUST_SLUG_PREFIX).exists():
            raise GenerateError("Benchmark data is already here: wipe it first (--replace).")
        rows = Rows()
        password_hash = make_password(PASSWORD)
        for trust_plan in trust_plans:
            trust_row = rows.add(Trust, name=trust_plan.name, slug=trust_plan.slug)
            rows.flush()
            trust = Trust.objects.get(pk=trust_row["id"])
            framework_id, steps = _framework(trust)
            builder = TrustBuilder(
                trust_plan=trust_plan,
                rows=rows,
                rng=random.Random(f"{seed}:trust:{trust_plan.number - 1}:rows"),
                today=today,
                days=days,
                password_hash=password_hash,
            )
            builder.build(trust.pk, steps, framework_id)
            for model, n in rows.flush().items():
                counts[model._meta.label] += n
            counts["people.Trust"] += 1
            log(
                f"{trust_plan.slug}: {len(trust_plan.schools)} schools, "
                f"{counts['coaching.DropIn']} drop-ins so far "
                f"({time.monotonic() - began:.0f} s)"
            )
        _reset_sequences()
    written = time.monotonic() - began
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    return {
        "sizes": sizes.as_dict(),
        "seed": seed,
        "today": today.isoformat(),
        "trusts": len(trust_plans),
        "large_trust_schools": len(trust_plans[0].schools),
        "rows": dict(sorted(counts.items())),
        "seconds_to_write": round(written, 1),
        "seconds_with_vacuum": round(time.monotonic() - began, 1),
    }


@dataclass(frozen=True)
class KeyPeople:
    """Whom and what the benchmark measures: a trust with its trust lead, and its busiest
    school with that school's headteacher."""

    trust: Trust
    trust_lead: User
    school: School
    head: User
    trust_school_ids: tuple


def key_people(trust_slug: str | None = None) -> KeyPeople:
    """The large trust (or the one named) and its busiest school (the most drop-ins)."""
    with scopes_disabled():
        trust = Trust.objects.get(slug=trust_slug or f"{TRUST_SLUG_PREFIX}001")
        trust_lead = User.objects.get(email=f"trust-lead@{trust.slug}.{BENCH_DOMAIN}")
        school_ids = tuple(
            School.objects.filter(trust=trust).order_by("pk").values_list("pk", flat=True)
        )
        busiest = (
            DropIn.objects.filter(trust=trust)
            .values("relationship__school_id")
            .annotate(n=Count("id"))
            .order_by("-n", "relationship__school_id")
            .first()
        )
        school = School.objects.get(
            pk=busiest["relationship__school_id"] if busiest else school_ids[0]
        )
        head = User.objects.get(email=f"head.{school.slug}@{trust.slug}.{BENCH_DOMAIN}")
    return KeyPeople(trust, trust_lead, school, head, school_ids)


def only_benchmark_data() -> bool:
    """Whether every trust and person in the database is the benchmark's own."""
    with scopes_disabled():
        return not (
            Trust.objects.exclude(slug__startswith=TRUST_SLUG_PREFIX).exists()
            or User.objects.exclude(email__endswith=f".{BENCH_DOMAIN}").exists()
        )


def wipe():
    """Empty a benchmark database (PostgreSQL only). Refuses if it holds anything else."""
    if connection.vendor != "postgresql":
        raise GenerateError("Wiping is for a PostgreSQL benchmark database: start from a new one.")
    if not only_benchmark_data():
        raise GenerateError(
            "This database holds trusts or people that are not the benchmark's: the benchmark "
            "needs a database of its own (set DATABASE_URL to an empty one)."
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE people_trust, people_user, django_session RESTART IDENTITY CASCADE"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--scale", type=float, default=1.0, help="1 is 1x, 10 the top end")
    parser.add_argument("--schools", type=int, help="schools (overrides the scale)")
    parser.add_argument("--teachers", type=int, help="teachers (overrides the scale)")
    parser.add_argument("--dropins", type=int, help="drop-ins (overrides the scale)")
    parser.add_argument("--large-trust", type=int, default=LARGE_TRUST_SCHOOLS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--today", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    parser.add_argument("--replace", action="store_true", help="wipe benchmark data first")
    args = parser.parse_args(argv)
    scaled = Sizes.scaled(args.scale)
    sizes = Sizes(
        schools=args.schools or scaled.schools,
        teachers=args.teachers or scaled.teachers,
        dropins=scaled.dropins if args.dropins is None else args.dropins,
    )
    try:
        if args.replace:
            wipe()
        summary = generate(
            sizes,
            seed=args.seed,
            today=args.today,
            large_trust=args.large_trust,
            log=lambda message: print(message, file=sys.stderr),
        )
    except GenerateError as error:
        parser.exit(2, f"{error}\n")
    for name, count in summary["rows"].items():
        print(f"{name:28} {count:>10,}")
    print(
        f"{summary['trusts']} trusts; written in {summary['seconds_to_write']} s "
        f"({summary['seconds_with_vacuum']} s with VACUUM ANALYZE)"
    )
    return summary


if __name__ == "__main__":
    main()
