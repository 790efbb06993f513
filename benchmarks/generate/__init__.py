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
large batches otherwise (SQLite, for the tests), school by school, all in one transaction; on
PostgreSQL a writer thread sends one school while the next is made, and the largest tables are
filled without their secondary indexes and constraints, made again at the end exactly as they
were (``rows``). Primary keys are given explicitly, from a block of ids per trust and table,
so rows can point at each other before they are written and a trust's rows do not depend on
which process makes them: with ``--workers 2`` (PostgreSQL) two processes share the trusts,
each in its own transaction, and the data is the same as with one. The sequences are moved on
afterwards. The only rows written through the application are each trust's framework, loaded
with ``frameworks.services`` before any other row.

The package: ``plan`` (sizes, trusts and schools), ``trust`` (one trust's rows), ``rows``
(writing them), ``job`` (trusts in one process or several), and here ``generate``,
``key_people`` and ``wipe``.

The data set: for every trust a trust lead and an administrator, the starter framework, a
coaching policy, academic years and terms; for every school a headteacher and its teachers
(some early-career, some leaders), coaches drawn from its teachers, one of them the coaching
lead; a coaching model (some schools fortnightly), coverage targets, rollout phases and coach
training; coaching relationships starting through the year (a first team, then scale-up), with
some handovers and leavers; drop-ins on school days at each teacher's rhythm, each following up
the current action step; steps embedded (or moved on) and replaced.
"""

import argparse
import datetime as dt
import sys
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from coachloop.coaching.models import DropIn
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import School, Trust, User

from .job import Job, in_processes
from .plan import (
    BENCH_DOMAIN,
    DEFAULT_SEED,
    LARGE_TRUST_SCHOOLS,
    ONE_X,
    PASSWORD,
    TOP_END,
    TRUST_SLUG_PREFIX,
    GenerateError,
    Sizes,
    plan,
    school_days,
)
from .rows import BIG_TABLES, database_cpu_seconds, id_bases, reset_sequences, without_constraints
from .trust import REFERENCE

__all__ = [
    "BENCH_DOMAIN",
    "DEFAULT_SEED",
    "LARGE_TRUST_SCHOOLS",
    "ONE_X",
    "TOP_END",
    "GenerateError",
    "KeyPeople",
    "Sizes",
    "generate",
    "key_people",
    "plan",
    "school_days",
    "wipe",
]


# ---------------------------------------------------------------------------------------------
# The whole data set
# ---------------------------------------------------------------------------------------------


def generate(
    sizes: Sizes,
    *,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    large_trust: int = LARGE_TRUST_SCHOOLS,
    workers: int = 1,
    log=None,
) -> dict:
    """Generate the data set and return what was written, with timings.

    With one worker (or on SQLite) everything is written in one transaction. With more, on
    PostgreSQL, the trusts and their frameworks are written and committed first, then the
    trusts' rows are made in ``workers`` processes, each committing its own, and the indexes
    and constraints are made again once they have all finished; the rows are the same either
    way. Refuses when benchmark data is already in the database (``wipe`` it first).
    """
    log = log or (lambda message: None)
    today = today or timezone.localdate()
    days = school_days(today)
    trust_plans = plan(sizes, seed=seed, large_trust=large_trust, school_days=len(days))
    if connection.vendor != "postgresql":
        workers = 1
    workers = max(1, min(workers, len(trust_plans)))
    began, cpu = time.monotonic(), time.process_time()
    REFERENCE.clear()
    timings = {}
    job = Job(
        trust_plans=trust_plans,
        seed=seed,
        today=today,
        days=days,
        password_hash=make_password(PASSWORD),
        log=log,
        began=began,
    )
    with scopes_disabled():
        if workers == 1:
            with transaction.atomic():
                with without_constraints(BIG_TABLES, timings):
                    trusts = _start(job, timings)
                    made = [job.build(trust_plans)]
                reset_sequences()
                committing = time.monotonic()
        else:
            with transaction.atomic():
                trusts = _start(job, timings)
            with without_constraints(BIG_TABLES, timings):
                made = in_processes(job, workers)
            with transaction.atomic():
                reset_sequences()
            committing = time.monotonic()
    written = time.monotonic() - began
    vacuuming = time.monotonic()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    rows = {Trust._meta.label: trusts}
    for figures in made:
        for label, n in figures["rows"].items():
            rows[label] = rows.get(label, 0) + n
    total = {key: _sum(m[key] for m in made) for key in made[0] if key != "rows"}
    database_copy = total["cpu_seconds_database_copy"]
    return {
        "sizes": sizes.as_dict(),
        "seed": seed,
        "today": today.isoformat(),
        "trusts": len(trust_plans),
        "workers": workers,
        "large_trust_schools": len(trust_plans[0].schools),
        "rows": dict(sorted(rows.items())),
        "seconds_to_write": round(written, 1),
        "seconds_with_vacuum": round(time.monotonic() - began, 1),
        # Where the time went (summed over the processes when there are several): making
        # rows in Python, turning them into COPY's text, waiting for the database to take
        # them in, making the indexes and constraints again, committing (checking what is
        # left deferred), VACUUM ANALYZE.
        "seconds_start": timings.get("seconds_start", 0.0),
        "seconds_python": round(total["seconds_python"], 1),
        "seconds_formatting": round(total["seconds_formatting"], 1),
        "seconds_copy_waiting": round(total["seconds_copy_waiting"], 1),
        "seconds_indexes": timings.get("seconds_indexes", 0.0),
        "seconds_commit": round(vacuuming - committing, 1),
        "seconds_vacuum": round(time.monotonic() - vacuuming, 1),
        # CPU time (the clock on a busy machine counts others' work too): the processes while
        # making and sending rows, and the database's backends while taking them in (with the
        # trusts and frameworks written first), then for everything after (indexes,
        # constraints, commit, VACUUM) on this process's connection.
        "cpu_seconds_python": round(
            time.process_time() - cpu + (total["cpu_seconds_python"] if workers > 1 else 0), 1
        ),
        "cpu_seconds_database_copy": _round(
            None
            if database_copy is None or timings.get("database_cpu_start") is None
            else database_copy + timings["database_cpu_start"]
        ),
        "cpu_seconds_database_after": _difference(
            database_cpu_seconds(), timings.get("database_cpu_after")
        ),
    }


def _start(job, timings):
    """The trusts and their frameworks, first."""
    began, database_cpu = time.monotonic(), database_cpu_seconds()
    if Trust.objects.filter(slug__startswith=TRUST_SLUG_PREFIX).exists():
        raise GenerateError("Benchmark data is already here: wipe it first (--replace).")
    job.bases = id_bases()
    trusts = job.start()
    timings["seconds_start"] = round(time.monotonic() - began, 1)
    timings["database_cpu_start"] = _difference(database_cpu_seconds(), database_cpu)
    return trusts


def _sum(values):
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def _round(value):
    return None if value is None else round(value, 1)


def _difference(later, earlier):
    return None if later is None or earlier is None else round(later - earlier, 1)


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
    parser.add_argument(
        "--workers", type=int, default=1, help="processes making rows (PostgreSQL; 1)"
    )
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
            workers=args.workers,
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
