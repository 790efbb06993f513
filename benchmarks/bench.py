"""Each dashboard's server time against the raw SQL behind it, at 1x and at 10x data, in one run.

    make bench                               # PostgreSQL 15, rewrites its part of RESULTS.md
    make bench BENCH_ARGS="--scale 0.1"      # a quick run: a tenth of the usual sizes
    make bench BENCH_ARGS="--national"       # one data set, all of England (benchmarks.national)
    python -m benchmarks.bench --help        # in the PostgreSQL database DATABASE_URL names

Each size gets a PostgreSQL schema of its own in the database (``bench_1x``, ``bench_10x``,
dropped at the end unless ``--keep``; nothing outside them is touched): migrate, generate the
data set (``benchmarks.generate``), fill every trust's rollups
(``insights.rollups.rollups_update``), VACUUM ANALYZE. Then, in rounds, each dashboard at each
size is timed: a full request through ``django.test.Client`` signed in as the person the page
is for, then ``benchmarks.dashboards.raw_figures`` (the same figures computed live with SQL
from the raw tables). Interleaving the sizes means both are measured under the same conditions.
After the warm-up rounds, the medians give ``ratio_to_sql`` (dashboard time over raw SQL time,
the larger of the two sizes) and ``growth_10x`` (dashboard time at 10x over 1x). The measured
trust and school are the same at both sizes: the 10x data set has ten times as many schools,
people and drop-ins around them.
"""

import argparse
import contextlib
import functools
import gc
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import django
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.backends.signals import connection_created
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from benchmarks import national, results
from benchmarks.dashboards import DASHBOARDS, figures_match, raw_figures
from benchmarks.generate import (
    DEFAULT_SEED,
    LARGE_TRUST_SCHOOLS,
    GenerateError,
    Sizes,
    generate,
    key_people,
)
from coachloop.coaching.models import DropIn, Relationship
from coachloop.common.tenancy import scopes_disabled
from coachloop.insights.rollups import rollups_update
from coachloop.people.models import Membership, Role, Trust

HERE = Path(__file__).resolve().parent
RUNS = 20
WARMUP = 20  # a fresh process takes some twenty requests to settle to its steady speed
FACTOR = 10
BARS = {"ratio_to_sql": 1.2, "growth_10x": 1.3}  # the issues' "done when" (issue 20: 1.2)


class BenchError(Exception):
    pass


def _log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _ms(seconds):
    return round(seconds * 1000, 2)


def _no_switch():
    pass


def _with_two_step(leader):
    """A leader who has set up two-step sign-in, as leaders must (people.two_step), so the
    dashboard answers rather than sending them to set it up."""
    if not Authenticator.objects.filter(user=leader, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(leader, generate_totp_secret())
    return leader


def measure(data_sets, *, today, runs=RUNS, warmup=WARMUP, dashboards=DASHBOARDS):
    """Median server time of each dashboard and of the raw SQL behind it, in each data set.

    ``data_sets`` maps a label to a function that points the database connection at that data
    set. Every round times each dashboard in each data set once, the page then its raw SQL, so
    the sizes are compared under the same conditions; the first ``warmup`` rounds are not
    counted. Returns, per label, one dict per dashboard: ``name``, ``url``, ``dashboard_ms``,
    ``sql_ms``, ``ratio_to_sql``, ``schools`` (how many the figures cover), ``figures_match``
    (the raw figures equal what the rollups hold) and ``differences`` (the first few where not).
    """
    timings = []
    with override_settings(DEBUG=False), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="No directory at")
        for label, switch in data_sets.items():
            switch()
            people = key_people()
            for dashboard in dashboards:
                client = Client()
                client.force_login(_with_two_step(dashboard.user(people)))
                timings.append(
                    {
                        "label": label,
                        "switch": switch,
                        "dashboard": dashboard,
                        "client": client,
                        "url": dashboard.url(people),
                        "trust_id": people.trust.pk,
                        "school_ids": dashboard.school_ids(people),
                        "page": [],
                        "sql": [],
                    }
                )
        gc.collect()
        for round_ in range(warmup + runs):
            for t in timings:
                t["switch"]()
                began = time.perf_counter()
                response = t["client"].get(t["url"])
                page = time.perf_counter() - began
                if response.status_code != 200:
                    raise BenchError(f"{t['url']} answered {response.status_code}")
                began = time.perf_counter()
                t["raw"] = raw_figures(
                    trust_id=t["trust_id"], school_ids=t["school_ids"], today=today
                )
                sql = time.perf_counter() - began
                if round_ >= warmup:
                    t["page"].append(page)
                    t["sql"].append(sql)
    results = {label: [] for label in data_sets}
    for t in timings:
        t["switch"]()
        differences = figures_match(
            t["raw"], trust_id=t["trust_id"], school_ids=t["school_ids"], today=today
        )
        page_ms, sql_ms = statistics.median(t["page"]), statistics.median(t["sql"])
        results[t["label"]].append(
            {
                "name": t["dashboard"].name,
                "url": t["url"],
                "signed_in_as": t["dashboard"].who,
                "schools": len(t["school_ids"]),
                "dashboard_ms": _ms(page_ms),
                "sql_ms": _ms(sql_ms),
                "ratio_to_sql": round(page_ms / sql_ms, 3),
                "dashboard_ms_range": [_ms(min(t["page"])), _ms(max(t["page"]))],
                "sql_ms_range": [_ms(min(t["sql"])), _ms(max(t["sql"]))],
                "figures_match": not differences,
                "differences": differences[:5],
            }
        )
    return results


def measure_dashboards(*, today, runs=RUNS, warmup=WARMUP, dashboards=DASHBOARDS):
    """``measure`` on the data set the connection points at now."""
    data_sets = {"now": _no_switch}
    return measure(data_sets, today=today, runs=runs, warmup=warmup, dashboards=dashboards)["now"]


def measured_sizes(people) -> dict:
    """How much data the measured trust and school hold."""
    with scopes_disabled():
        teachers = Membership.objects.filter(trust=people.trust, role=Role.TEACHER)
        school_teachers = teachers.filter(school=people.school).count()
        return {
            "trust": {
                "schools": len(people.trust_school_ids),
                "teachers": teachers.count(),
                "relationships": Relationship.objects.filter(trust=people.trust).count(),
                "dropins": DropIn.objects.filter(trust=people.trust).count(),
            },
            "school": {
                "teachers": school_teachers,
                "relationships": Relationship.objects.filter(school=people.school).count(),
                "dropins": DropIn.objects.filter(relationship__school=people.school).count(),
            },
        }


def fill_rollups(today) -> float:
    began = time.monotonic()
    with scopes_disabled():
        trusts = list(Trust.objects.order_by("pk"))
    for trust in trusts:
        rollups_update(trust=trust, today=today)
    return round(time.monotonic() - began, 1)


# ---------------------------------------------------------------------------------------------
# Each size in a PostgreSQL schema of its own, so both can be measured side by side
# ---------------------------------------------------------------------------------------------

_SCHEMA = {}


def _set_search_path(sender=None, connection=connection, **kwargs):
    if _SCHEMA.get("name") and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET search_path TO {connection.ops.quote_name(_SCHEMA['name'])}")


connection_created.connect(_set_search_path, dispatch_uid="benchmarks.search_path")


def use_schema(name):
    """Point the connection (and any it reopens) at one schema: that size's data set."""
    _SCHEMA["name"] = name
    _set_search_path(connection=connection)


def schema_for(label) -> str:
    return f"bench_{label}"


def new_schema(name):
    """An empty schema with every table, replacing any left from an earlier run."""
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {quoted} CASCADE")
        cursor.execute(f"CREATE SCHEMA {quoted}")
    use_schema(name)
    call_command("migrate", interactive=False, verbosity=0)


def drop_schemas(names):
    _SCHEMA.clear()
    with connection.cursor() as cursor:
        cursor.execute("RESET search_path")
        for name in names:
            cursor.execute(f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(name)} CASCADE")


def build(label, sizes, *, seed, today, large_trust):
    """Generate one size's data set in its own schema and fill its rollups."""
    _log(f"{label}: migrating schema {schema_for(label)}")
    new_schema(schema_for(label))
    _log(
        f"{label}: generating {sizes.schools} schools, {sizes.teachers} teachers, "
        f"{sizes.dropins} drop-ins"
    )
    summary = generate(sizes, seed=seed, today=today, large_trust=large_trust, log=_log)
    _log(f"{label}: generated in {summary['seconds_with_vacuum']} s; filling the rollups")
    rollup_seconds = fill_rollups(today)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
        # So no background writing competes with the timings (it needs a superuser).
        with contextlib.suppress(DatabaseError):
            cursor.execute("CHECKPOINT")
    _log(f"{label}: rollups filled in {rollup_seconds} s")
    people = key_people()
    return {
        "sizes": sizes.as_dict(),
        "rows": summary["rows"],
        "trusts": summary["trusts"],
        "seconds_to_generate": summary["seconds_with_vacuum"],
        "seconds_to_fill_rollups": rollup_seconds,
        "measured": measured_sizes(people),
        "measured_school": people.school.name,
        "measured_trust": people.trust.name,
    }


def combine(at: dict) -> list[dict]:
    """Per dashboard: the figures at each size, ``ratio_to_sql`` (the larger of the two)
    and ``growth_10x``."""
    small, large = at["1x"], at["10x"]
    combined = []
    for first, second in zip(small["dashboards"], large["dashboards"], strict=True):
        combined.append(
            {
                "name": first["name"],
                "ratio_to_sql": max(first["ratio_to_sql"], second["ratio_to_sql"]),
                "growth_10x": round(second["dashboard_ms"] / first["dashboard_ms"], 3),
                "sql_growth_10x": round(second["sql_ms"] / first["sql_ms"], 3),
                "figures_match": first["figures_match"] and second["figures_match"],
                "data_sizes": {
                    "1x": {**small["sizes"], "measured": small["measured"]},
                    "10x": {**large["sizes"], "measured": large["measured"]},
                },
                "at": {
                    label: {key: value for key, value in row.items() if key != "name"}
                    for label, row in (("1x", first), ("10x", second))
                },
            }
        )
    return combined


# ---------------------------------------------------------------------------------------------
# The machine and the database
# ---------------------------------------------------------------------------------------------


def _cpu():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb():
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _load():
    """The one-minute load average: how busy the machine was besides the benchmark."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def machine() -> dict:
    return {
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def database() -> dict:
    host = connection.settings_dict.get("HOST") or "local"
    port = connection.settings_dict.get("PORT") or ""
    where = f"{host}:{port}" if port else host
    if connection.vendor != "postgresql":
        return {"engine": connection.display_name, "where": where, "settings": {}}
    settings = {}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        for name in ("shared_buffers", "work_mem", "fsync", "synchronous_commit", "jit"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    return {"engine": f"PostgreSQL {version}", "where": where, "settings": settings}


# ---------------------------------------------------------------------------------------------
# RESULTS.md
# ---------------------------------------------------------------------------------------------


_n = results.number


def _verdict(value, bar):
    return f"{value:.2f} ({'meets' if value <= bar else 'misses'} ≤ {bar})"


def results_markdown(report: dict) -> str:
    at = report["sizes"]
    lines = [
        "## Dashboards",
        "",
        *results.measured_by(report),
        "which rewrites this section and the dashboards' part of `benchmarks/results.json` (its "
        "top level). Each size's data set is built in a PostgreSQL schema of its own; the two "
        "are then measured in alternation, round by round, so both are timed under the same "
        f"conditions. Figures are medians of {report['runs']} timed rounds after "
        f"{report['warmup']} warm-up rounds.",
        "",
        "| Dashboard | Signed in as | Page 1x | Raw SQL 1x | Page 10x | Raw SQL 10x "
        "| `ratio_to_sql` | `growth_10x` | Raw SQL growth 10x | Figures match |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for d in report["dashboards"]:
        one, ten = d["at"]["1x"], d["at"]["10x"]
        lines.append(
            f"| {d['name']} (`{one['url']}`) | {one['signed_in_as'].replace('_', ' ')} "
            f"| {one['dashboard_ms']} ms | {one['sql_ms']} ms "
            f"| {ten['dashboard_ms']} ms | {ten['sql_ms']} ms "
            f"| {_verdict(d['ratio_to_sql'], BARS['ratio_to_sql'])} "
            f"| {_verdict(d['growth_10x'], BARS['growth_10x'])} "
            f"| {d['sql_growth_10x']:.2f} "
            f"| {'yes' if d['figures_match'] else 'no'} |"
        )
    lines += [
        "",
        "What each figure means:",
        "",
        "- **Page**: the server time of the whole request, through `django.test.Client` in "
        "the benchmark's process (URL routing, sessions, authentication, the trust scope, "
        "the page's queries on the rollup tables, the template), signed in as the person the "
        "page is for: the busiest school's headteacher for the school dashboard, the trust "
        "lead for the trust dashboard. No network and no connection set-up are included: the "
        "database connection stays open, as it does in production (`COACHLOOP_DB_CONN_MAX_AGE`).",
        "- **Raw SQL**: the time to compute the same figures live from the raw tables "
        "(`coaching_relationship`, `coaching_dropin`, `coaching_actionstep`, "
        "`people_membership`, `rollout_*`) with hand-written SQL run through a database cursor "
        "(`benchmarks/dashboards.py`): week by week since the school year began, teachers, "
        "teachers coached, trained coaches, visits due and kept under each school's coaching "
        "model, drop-ins; each coach's caseload and rhythm this week; steps set and embedded "
        "per framework step; days to embed; targets. The school dashboard's covers its school, "
        "the trust dashboard's every school of the trust.",
        "- **`ratio_to_sql`**: page time divided by raw SQL time, the larger of the two sizes. "
        "Below 1, the page is faster than computing its figures live.",
        "- **`growth_10x`**: page time at 10x divided by page time at 1x. The measured trust "
        "and school are identical at both sizes (same seed, same schools, people and "
        "drop-ins); the 10x database holds ten times as much around them, so this shows "
        "whether a dashboard slows down as the whole database grows.",
        "- **Raw SQL growth 10x**: the same for the raw SQL, for comparison.",
        "- **Figures match**: the raw SQL's figures equal what the rollup tables hold for the "
        "same schools and weeks (a check that the dashboards show what the raw data says).",
        "",
        "### Data sizes",
        "",
        "| | 1x | 10x |",
        "|---|---:|---:|",
    ]
    one, ten = at["1x"], at["10x"]
    lines.append(f"| Trusts | {_n(one['trusts'])} | {_n(ten['trusts'])} |")
    for label in sorted(set(one["rows"]) | set(ten["rows"])):
        lines.append(
            f"| {label} | {_n(one['rows'].get(label, 0))} | {_n(ten['rows'].get(label, 0))} |"
        )
    teachers = (one["sizes"]["teachers"], ten["sizes"]["teachers"])
    lines += [
        f"| Teachers (teacher roles) | {_n(teachers[0])} | {_n(teachers[1])} |",
        f"| Time to generate (with VACUUM ANALYZE) | {one['seconds_to_generate']} s "
        f"| {ten['seconds_to_generate']} s |",
        f"| Time to fill every trust's rollups from empty | {one['seconds_to_fill_rollups']} s "
        f"| {ten['seconds_to_fill_rollups']} s |",
        "",
        f"Measured at both sizes: **{one['measured_trust']}** "
        f"({_n(one['measured']['trust']['schools'])} schools, "
        f"{_n(one['measured']['trust']['teachers'])} teachers, "
        f"{_n(one['measured']['trust']['dropins'])} drop-ins) and its busiest school, "
        f"**{one['measured_school']}** ({_n(one['measured']['school']['teachers'])} teachers, "
        f"{_n(one['measured']['school']['dropins'])} drop-ins in the year).",
        "",
        "### Machine and database",
        "",
        f"- Machine: {report['machine']['cpu']}, {report['machine']['cores']} cores, "
        f"{report['machine']['memory_gb']} GB memory; {report['machine']['os']}",
        f"- Python {report['machine']['python']}, Django {report['machine']['django']}",
        f"- Database: {report['database']['engine']} on {report['database']['where']}"
        + "".join(f", {k}={v}" for k, v in report["database"]["settings"].items()),
        "- The benchmark process and the database share the machine's cores (with whatever "
        "else runs on it): the one-minute load average was "
        f"{report['machine'].get('load_average', {}).get('before')} when the timing began and "
        f"{report['machine'].get('load_average', {}).get('after')} when it ended.",
        "",
    ]
    return "\n".join(lines)


def write_results(report: dict, output: Path):
    """Rewrite the dashboards' section of RESULTS.md and their part of results.json, keeping
    the other benchmarks' (``benchmarks.results``)."""
    results.write_results(
        output, section="dashboards", body=results_markdown(report), report=report
    )


# ---------------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--scale",
        type=float,
        help="1x, as a scale of the generator (default 1); with --national, the one size "
        "(default 100)",
    )
    parser.add_argument(
        "--national",
        action="store_true",
        help="one data set only, all of England unless --scale says otherwise: generate, fill "
        "the rollups in --fill-workers processes, time the dashboards (benchmarks.national)",
    )
    parser.add_argument("--fill-workers", type=int, default=national.FILL_WORKERS)
    parser.add_argument(
        "--generate-workers",
        type=int,
        default=national.GENERATE_WORKERS,
        help="with --national: processes generating the data set",
    )
    parser.add_argument(
        "--fill-limit", type=int, help="with --national: fill only this many trusts"
    )
    parser.add_argument("--factor", type=int, default=FACTOR, help="the larger size (10)")
    parser.add_argument("--runs", type=int, help=f"timed rounds ({RUNS}; {national.RUNS} national)")
    parser.add_argument(
        "--warmup", type=int, help=f"warm-up rounds ({WARMUP}; {national.WARMUP} national)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--output", type=Path, default=HERE, help="where to write the results")
    parser.add_argument(
        "--keep", action="store_true", help="keep the data sets (schemas bench_1x, bench_10x)"
    )
    parser.add_argument(
        "--command",
        default=os.environ.get("BENCH_COMMAND")
        or "python -m benchmarks.bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        help="the command recorded in RESULTS.md as the one that reproduces it",
    )
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        parser.exit(2, "The benchmark needs PostgreSQL: run `make bench`, or set DATABASE_URL.\n")
    if args.national:
        args.runs = national.RUNS if args.runs is None else args.runs
        args.warmup = national.WARMUP if args.warmup is None else args.warmup
        try:
            report = national.run(args, bench=sys.modules[__name__])
        except (GenerateError, BenchError) as error:
            parser.exit(2, f"{error}\n")
        for d in report["dashboards"]:
            print(f"{d['name']:8} {d['ms']} ms (raw SQL {d['sql_ms']} ms)")
        print(f"generate {report['generate_s']} s, fill {report['fill_s']} s")
        return report
    args.scale = 1.0 if args.scale is None else args.scale
    args.runs = RUNS if args.runs is None else args.runs
    args.warmup = WARMUP if args.warmup is None else args.warmup
    today = timezone.localdate()
    small = Sizes.scaled(args.scale)
    sizes = {"1x": small, "10x": Sizes.scaled(args.scale * args.factor)}
    large_trust = min(LARGE_TRUST_SCHOOLS, small.schools)
    began = time.monotonic()
    try:
        at = {
            label: build(label, size, seed=args.seed, today=today, large_trust=large_trust)
            for label, size in sizes.items()
        }
        _log(f"measuring: {args.warmup} rounds of warm-up, {args.runs} timed")
        load = {"before": _load()}
        measured = measure(
            {label: functools.partial(use_schema, schema_for(label)) for label in sizes},
            today=today,
            runs=args.runs,
            warmup=args.warmup,
        )
        load["after"] = _load()
        for label, dashboards in measured.items():
            at[label]["dashboards"] = dashboards
            for d in dashboards:
                _log(
                    f"{label}: {d['name']}: {d['dashboard_ms']} ms against {d['sql_ms']} ms "
                    f"of SQL (x{d['ratio_to_sql']})"
                    + ("" if d["figures_match"] else " FIGURES DIFFER")
                )
    except (GenerateError, BenchError) as error:
        parser.exit(2, f"{error}\n")
    finally:
        if not args.keep:
            drop_schemas(schema_for(label) for label in sizes)
    report = {
        "command": args.command.strip(),
        **results.stamp(),
        "today": today.isoformat(),
        "seed": args.seed,
        "runs": args.runs,
        "warmup": args.warmup,
        "bars": BARS,
        "machine": {**machine(), "load_average": load},
        "database": database(),
        "seconds": round(time.monotonic() - began),
        "dashboards": combine(at),
        "sizes": {
            label: {key: value for key, value in row.items() if key != "dashboards"}
            for label, row in at.items()
        },
    }
    write_results(report, args.output)
    _log(f"done in {report['seconds']} s; updated {args.output / 'RESULTS.md'} and results.json")
    for d in report["dashboards"]:
        print(
            f"{d['name']:8} ratio_to_sql {d['ratio_to_sql']:.2f}  growth_10x {d['growth_10x']:.2f}"
            f"  figures {'match' if d['figures_match'] else 'DIFFER'}"
        )
    return report


if __name__ == "__main__":
    main()
