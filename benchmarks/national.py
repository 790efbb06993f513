"""All of England in one data set: generate it, fill every trust's rollups from empty, and time
each dashboard against its raw SQL at that size (``make bench BENCH_ARGS="--national"``).

    make bench BENCH_ARGS="--national"                  # 10,000 schools, 500k teachers, 20M
    make bench BENCH_ARGS="--national --scale 1"        # the same steps at 1x, to try them
    make bench BENCH_ARGS="--national --fill-limit 20"  # fill 20 trusts only (measured first)

One size only (``--scale``, 100 unless given; there is no 10x of it): the data set is built in
a PostgreSQL schema of its own, ``bench_national`` (dropped at the end unless ``--keep``), with
``benchmarks.generate``, in ``--generate-workers`` processes (2 by default; the same rows as
one). The rollups are then filled from empty by ``--fill-workers``
processes (2 by default), each taking every other trust and calling
``insights.rollups.rollups_update`` for each, and the time from the first starting to the last
finishing is ``fill_s``. ``--fill-limit`` fills only that many trusts, the measured one first,
and says so in the results (``fill_trusts``, and ``fill_s_all_estimated`` in proportion).
Then each dashboard is timed against its raw SQL as in ``benchmarks.bench`` (fewer rounds).

The results go in ``benchmarks/results.json`` under ``national`` and in the ``national``
section of ``benchmarks/RESULTS.md``.
"""

import contextlib
import datetime as dt
import os
import subprocess  # noqa: S404 (the fill's worker processes: this same Python, this module)
import sys
import time

from django.db import DatabaseError, connection
from django.utils import timezone

from benchmarks import results
from benchmarks.generate import LARGE_TRUST_SCHOOLS, Sizes, generate, key_people
from coachloop.common.tenancy import scopes_disabled
from coachloop.insights.rollups import rollups_update
from coachloop.people.models import Trust

SCALE = 100
SCHEMA = "bench_national"
RUNS = 5
WARMUP = 5
FILL_WORKERS = 2
GENERATE_WORKERS = 2  # the trusts' rows made in two processes (benchmarks.generate.job)
BAR_MS = 100  # the "every dashboard under 100 ms" at national scale
BAR_SECONDS = 600  # generation and the fill, each under ten minutes


def _log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fill_order(trust_ids, measured_id, limit=None):
    """The trusts to fill, the measured one first, then the rest by id; ``limit`` of them."""
    ordered = [measured_id] + [t for t in sorted(trust_ids) if t != measured_id]
    return ordered if limit is None else ordered[:limit]


def fill_part(trust_ids, part, parts, today):
    """Fill the rollups of every ``parts``-th trust from ``part`` (0-based) of ``trust_ids``."""
    with scopes_disabled():
        for trust in Trust.objects.filter(pk__in=trust_ids[part::parts]).order_by("pk"):
            rollups_update(trust=trust, today=today)


def fill(trust_ids, *, today, workers, schema):
    """Fill the rollups of ``trust_ids`` in ``workers`` processes (in this one if 1) and
    return the seconds from the first starting to the last finishing."""
    began = time.monotonic()
    if workers <= 1:
        fill_part(trust_ids, 0, 1, today)
        return round(time.monotonic() - began, 1)
    ids = ",".join(str(t) for t in trust_ids)
    processes = [
        subprocess.Popen(  # noqa: S603 (this Python, this module, our own arguments)
            [
                sys.executable,
                "-m",
                "benchmarks.national",
                "--fill-part",
                f"{part}/{workers}",
                "--trusts",
                ids,
                "--today",
                today.isoformat(),
                "--schema",
                schema,
            ],
            env=os.environ.copy(),
        )
        for part in range(workers)
    ]
    failed = [p.args[4] for p in processes if p.wait() != 0]
    if failed:
        raise RuntimeError(f"Filling the rollups failed in part {', '.join(failed)}.")
    return round(time.monotonic() - began, 1)


def run(args, *, bench) -> dict:
    """Build, fill and measure the national data set; ``bench`` is ``benchmarks.bench``."""
    today = timezone.localdate()
    scale = SCALE if args.scale is None else args.scale
    sizes = Sizes.scaled(scale)
    large_trust = min(LARGE_TRUST_SCHOOLS, sizes.schools)
    began = time.monotonic()
    try:
        _log(f"national: migrating schema {SCHEMA}")
        bench.new_schema(SCHEMA)
        _log(
            f"national: generating {sizes.schools} schools, {sizes.teachers} teachers, "
            f"{sizes.dropins} drop-ins"
        )
        summary = generate(
            sizes,
            seed=args.seed,
            today=today,
            large_trust=large_trust,
            workers=args.generate_workers,
            log=_log,
        )
        _log(f"national: generated in {summary['seconds_with_vacuum']} s")
        people = key_people()
        with scopes_disabled():
            all_trusts = list(Trust.objects.values_list("pk", flat=True))
        trust_ids = fill_order(all_trusts, people.trust.pk, args.fill_limit)
        _log(
            f"national: filling the rollups of {len(trust_ids)} of {len(all_trusts)} trusts "
            f"in {args.fill_workers} processes"
        )
        fill_s = fill(trust_ids, today=today, workers=args.fill_workers, schema=SCHEMA)
        _log(f"national: rollups filled in {fill_s} s")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
                with contextlib.suppress(DatabaseError):
                    cursor.execute("CHECKPOINT")
        load = {"before": bench._load()}
        measured = bench.measure_dashboards(today=today, runs=args.runs, warmup=args.warmup)
        load["after"] = bench._load()
        report = {
            "command": args.command.strip(),
            **results.stamp(),
            "today": today.isoformat(),
            "seed": args.seed,
            "scale": scale,
            "runs": args.runs,
            "warmup": args.warmup,
            "sizes": sizes.as_dict(),
            "trusts": summary["trusts"],
            "rows": summary["rows"],
            "generate_s": summary["seconds_with_vacuum"],
            "generate": {k: v for k, v in summary.items() if "seconds" in k},
            "fill_s": fill_s,
            "fill_workers": args.fill_workers,
            "generate_workers": summary["workers"],
            "fill_trusts": len(trust_ids),
            "fill_s_all_estimated": round(fill_s * len(all_trusts) / len(trust_ids), 1),
            "dashboards": [
                {
                    "name": d["name"],
                    "url": d["url"],
                    "schools": d["schools"],
                    "ms": d["dashboard_ms"],
                    "sql_ms": d["sql_ms"],
                    "ratio_to_sql": d["ratio_to_sql"],
                    "figures_match": d["figures_match"],
                    "differences": d["differences"],
                }
                for d in measured
            ],
            "measured": bench.measured_sizes(people),
            "measured_trust": people.trust.name,
            "measured_school": people.school.name,
            "bars": {"ms": BAR_MS, "seconds": BAR_SECONDS},
            "machine": {**bench.machine(), "load_average": load},
            "database": bench.database(),
            "seconds": round(time.monotonic() - began),
        }
    finally:
        if not args.keep:
            bench.drop_schemas([SCHEMA])
    write_results(report, args.output)
    return report


def write_results(report, output):
    results.write_results(
        output, section="national", body=markdown(report), report=report, key="national"
    )


def _meets(value, bar, unit):
    return f"{value} {unit} ({'meets' if value < bar else 'misses'} < {bar} {unit})"


def markdown(report) -> str:
    n = results.number
    g = report["generate"]
    partial = report["fill_trusts"] < report["trusts"]
    lines = [
        "## National scale",
        "",
        *results.measured_by(report),
        "which rewrites this section and `national` in `benchmarks/results.json`. One data set "
        f"at scale {report['scale']} ({n(report['sizes']['schools'])} schools, "
        f"{n(report['sizes']['teachers'])} teachers, {n(report['sizes']['dropins'])} drop-ins "
        f"in {n(report['trusts'])} {'trust' if report['trusts'] == 1 else 'trusts'}), "
        "generated, its rollups filled from empty, then "
        f"each dashboard timed against its raw SQL: medians of {report['runs']} rounds after "
        f"{report['warmup']} warm-up rounds.",
        "",
        "| Step | Time |",
        "|---|---:|",
        f"| Generate (with VACUUM ANALYZE), {report.get('generate_workers', 1)} processes "
        f"| {_meets(report['generate_s'], BAR_SECONDS, 's')} |",
        f"| Fill the rollups from empty, {report['fill_workers']} processes "
        f"| {_meets(report['fill_s'], BAR_SECONDS, 's') if not partial else ''}"
        + (
            f"{report['fill_s']} s for {n(report['fill_trusts'])} of {n(report['trusts'])} "
            f"trusts (about {report['fill_s_all_estimated']} s for all, in proportion)"
            if partial
            else ""
        )
        + " |",
        "",
        "Where generating went (seconds of the clock, then of CPU): "
        f"making rows in Python {g['seconds_python']}, COPY text {g['seconds_formatting']}, "
        f"waiting for the database to take rows in {g['seconds_copy_waiting']}, indexes and "
        f"constraints made again {g['seconds_indexes']}, commit {g['seconds_commit']}, "
        f"VACUUM ANALYZE {g['seconds_vacuum']}; CPU: Python {g['cpu_seconds_python']}, the "
        f"database taking rows in {g['cpu_seconds_database_copy']}, then indexes, constraints, "
        f"commit and VACUUM {g['cpu_seconds_database_after']}.",
        "",
        "| Dashboard | Schools | Page | Raw SQL | Page / raw SQL | Figures match |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for d in report["dashboards"]:
        lines.append(
            f"| {d['name']} (`{d['url']}`) | {d['schools']} | {_meets(d['ms'], BAR_MS, 'ms')} "
            f"| {d['sql_ms']} ms | {d['ratio_to_sql']:.2f} | "
            f"{'yes' if d['figures_match'] else 'no'} |"
        )
    m = report["measured"]
    machine = report["machine"]
    lines += [
        "",
        f"Measured: **{report['measured_trust']}** ({n(m['trust']['schools'])} schools, "
        f"{n(m['trust']['dropins'])} drop-ins) and its busiest school, "
        f"**{report['measured_school']}** ({n(m['school']['dropins'])} drop-ins): the large "
        "trust, which is the same at every size once the data set has room for its 50 schools "
        "(so the same as in the dashboards section).",
        "",
        "| Rows | |",
        "|---|---:|",
        *(f"| {label} | {n(count)} |" for label, count in report["rows"].items()),
        "",
        f"- Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB "
        f"memory; load average {machine['load_average']['before']} before the timing and "
        f"{machine['load_average']['after']} after (the machine is shared).",
        f"- Database: {report['database']['engine']} on {report['database']['where']}"
        + "".join(f", {k}={v}" for k, v in report["database"]["settings"].items()),
        "",
    ]
    return "\n".join(lines)


def main(argv=None):
    """A fill worker: ``--fill-part i/n --trusts 1,2,3 --today D --schema S``."""
    import argparse

    from benchmarks import bench

    parser = argparse.ArgumentParser(prog="python -m benchmarks.national")
    parser.add_argument("--fill-part", required=True)
    parser.add_argument("--trusts", required=True)
    parser.add_argument("--today", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--schema", required=True)
    args = parser.parse_args(argv)
    part, parts = (int(x) for x in args.fill_part.split("/"))
    bench.use_schema(args.schema)
    trust_ids = [int(t) for t in args.trusts.split(",")]
    fill_part(trust_ids, part, parts, args.today)


if __name__ == "__main__":
    main()
