"""Importing a trust's staff from a OneRoster export of 10,000 staff: how long each phase takes
and how much memory it needs, in one run, against the time to merely read the file.

    make bench-roster                                # PostgreSQL 15, then SQLite for comparison
    make bench-roster BENCH_ARGS="--staff 1000 --students 10000 --rounds 2"   # a quick run
    python -m benchmarks.roster_import --help        # in the database DATABASE_URL names

A trust of 40 schools (each with a URN) receives a OneRoster 1.1 export (``benchmarks.
roster_export``) of 10,000 staff (teachers, and three administrators a school) and 100,000
students, whose rows the reader skips unread. In every round a new trust is made and each
phase is timed as the import page and ``manage.py import_roster`` run it:

- the baseline: reading users.csv out of the zip with Python's csv module, doing nothing else;
- the first import (10,000 people new): reading the export (``readers.read_bundle``), keeping
  its staff rows (``services.staff_import_start``), checking it (``staff_import_check``, which
  works out what applying would do) and applying it (``staff_import_mark_applying`` and
  ``staff_import_apply``: one transaction);
- the same export imported again, which changes nothing;
- a later export without 5% of the staff, each of them coached: their roles and their
  coaching end.

Every phase checks its work (10,000 added; nothing changed the second time; 500 leaving and
their coaching ended), so a run that did the wrong thing fails instead of reporting a time.
The rounds run one after another, every phase in each, so that each phase's median can be
given as a ratio to the baseline's measured in the same run. One more round, not timed, runs
under ``tracemalloc`` for the memory each phase of the first import needs.

On PostgreSQL the benchmark works in a schema of its own (``bench_roster``, dropped at the
end); on SQLite in a database file of its own in a temporary folder. Each round's trust and
people stay until the end, so the last round imports into a database holding the others'.
"""

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import sqlite3
import statistics
import subprocess  # nosec B404: runs this same module again, on SQLite
import sys
import tempfile
import time
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from benchmarks import results
from benchmarks.bench import _load, database, drop_schemas, machine, new_schema
from benchmarks.roster_export import count_users, plan_roster, write_export
from coachloop.coaching.models import Relationship
from coachloop.common.tenancy import scopes_disabled
from coachloop.demo import names as demo_names
from coachloop.people.models import ExternalId, Membership, Role, School, Trust, User
from coachloop.rosters import services
from coachloop.rosters.models import RosterImport
from coachloop.rosters.readers import read_bundle

HERE = Path(__file__).resolve().parent
SCHEMA = "bench_roster"
KEY = "roster_import"
ROUNDS = 5
WARMUP = 1
SEED = 2026
MB = 1024 * 1024

# (key, what is timed, which rows it covers): "users" for every row of users.csv, staff and
# students; "staff" for the staff rows only.
PHASES = (
    ("baseline", "Baseline: reading users.csv with Python's csv module", "users"),
    ("first.read", "First import: reading the export (`read_bundle`)", "users"),
    ("first.start", "First import: keeping its staff rows (`staff_import_start`)", "staff"),
    ("first.check", "First import: checking it (`staff_import_check`)", "staff"),
    ("first.apply", "First import: applying it, everyone new (`staff_import_apply`)", "staff"),
    ("again.read", "Same export again: reading", "users"),
    ("again.start", "Same export again: keeping its staff rows", "staff"),
    ("again.check", "Same export again: checking, nothing to do", "staff"),
    ("again.apply", "Same export again: applying, nothing changes", "staff"),
    ("later.read", "Later export, 5% gone: reading", "users"),
    ("later.start", "Later export, 5% gone: keeping its staff rows", "staff"),
    ("later.check", "Later export, 5% gone: checking", "staff"),
    ("later.apply", "Later export, 5% gone: applying, roles and coaching ended", "staff"),
)
IMPORTS = (
    ("first", "First import, read to applied"),
    ("again", "Same export again, read to applied"),
    ("later", "Later export, read to applied"),
)


class BenchError(Exception):
    pass


def _log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _rss_mb(field="VmRSS"):
    """The process's resident set now (``VmRSS``) or at its highest since the mark was last
    reset (``VmHWM``), in MB; ``None`` where Linux's /proc is not to be had."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _reset_peak_rss():
    """Start the resident set's high-water mark again from now (Linux 4.0 and later), so that
    it tells the peak of what follows, not of migrating the database. Whether it could."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _expect(what, actual, expected):
    if actual != expected:
        raise BenchError(f"{what}: {actual!r}, where {expected!r} was expected")


@dataclass(frozen=True)
class Sizes:
    schools: int = 40
    staff: int = 10_000
    students: int = 100_000
    leaving: float = 0.05


class Clock:
    """Each phase's time in one round; with ``trace``, the most memory Python held during it
    (``tracemalloc``), from which what it held before the first phase is taken away."""

    def __init__(self, *, trace=False):
        self.times = {}
        self.peaks = {}
        self.trace = trace
        self.before = tracemalloc.get_traced_memory()[0] if trace else 0

    @contextlib.contextmanager
    def phase(self, key):
        gc.collect()
        if self.trace:
            tracemalloc.reset_peak()
        began = time.perf_counter()
        yield
        self.times[key] = time.perf_counter() - began
        if self.trace:
            self.peaks[key] = tracemalloc.get_traced_memory()[1] - self.before


# ---------------------------------------------------------------------------------------------
# One round: a new trust, three imports
# ---------------------------------------------------------------------------------------------


def new_trust(number, sizes):
    """A trust of ``sizes.schools`` schools with URNs of this round's own, and its
    administrator, who imports the files."""
    places, suffixes = demo_names.PLACES, demo_names.SECONDARY_SUFFIXES
    with scopes_disabled():
        trust = Trust.objects.create(name=f"Roster Trust {number}", slug=f"roster-{number}")
        School.objects.bulk_create(
            School(
                trust=trust,
                name=f"{places[i % len(places)]} {suffixes[i % len(suffixes)]} {i + 1}",
                slug=f"school-{i + 1}",
                urn=str(100_000 + number * 1000 + i),
                phase=School.Phase.SECONDARY,
            )
            for i in range(sizes.schools)
        )
        schools = list(School.objects.filter(trust=trust).order_by("urn"))
        admin = User(email=f"admin@roster-{number}.example.org", full_name="Ada Administrator")
        admin.set_unusable_password()
        admin.save()
        Membership.objects.create(trust=trust, user=admin, role=Role.ADMINISTRATOR)
    return trust, admin, schools


def add_coaching(trust, roster, *, first_on, started_on):
    """A coach in each school (a teacher who stays) and coaching for every teacher who will
    be missing from the later export. Returns how many relationships were made."""
    with scopes_disabled():
        person_of = dict(
            ExternalId.objects.filter(trust=trust, kind=ExternalId.Kind.ONEROSTER).values_list(
                "value", "person_id"
            )
        )
        school_of = {
            org.source_id: school_id
            for org in roster.schools
            for school_id in School.objects.filter(trust=trust, urn=org.urn).values_list(
                "pk", flat=True
            )
        }
        coach_of = {}
        for member in roster.staff:
            org = member.orgs[0]
            if member.role == "teacher" and member.source_id not in roster.leavers:
                coach_of.setdefault(org, person_of[member.source_id])
        Membership.objects.bulk_create(
            Membership(
                trust=trust,
                user_id=coach,
                school_id=school_of[org],
                role=Role.COACH,
                started_on=first_on,
            )
            for org, coach in coach_of.items()
        )
        made = Relationship.objects.bulk_create(
            Relationship(
                trust=trust,
                school_id=school_of[member.orgs[0]],
                coach_id=coach_of[member.orgs[0]],
                teacher_id=person_of[member.source_id],
                kind=Relationship.Kind.INSTRUCTIONAL,
                started_on=started_on,
                created_at=timezone.now(),
            )
            for member in roster.staff
            if member.source_id in roster.leavers
        )
    return len(made)


def import_file(clock, name, path, *, trust, admin, exported_on):
    """One import as the command runs it, each phase timed under ``name``. Returns the
    import, applied, and the bundle's figures."""
    with clock.phase(f"{name}.read"):
        bundle = read_bundle(path, file_name=path.name, exported_on=exported_on)
    _expect(f"{name}: problems reading", [p.as_dict() for p in bundle.problems], [])
    read = {"staff": len(bundle.staff), "students_skipped": bundle.students_skipped}
    with clock.phase(f"{name}.start"):
        roster_import = services.staff_import_start(
            actor=admin, trust=trust, bundle=bundle, file_name=path.name
        )
    del bundle  # the page and the command let it go here: checking reads the import's rows
    with clock.phase(f"{name}.check"):
        services.staff_import_check(roster_import=roster_import)
    _expect(f"{name}: problems checking", roster_import.problems, [])
    _expect(f"{name}: status after checking", roster_import.status, RosterImport.Status.READY)
    planned = dict(roster_import.counts)
    with clock.phase(f"{name}.apply"):
        services.staff_import_mark_applying(roster_import=roster_import)
        services.staff_import_apply(actor=admin, roster_import=roster_import)
    _expect(f"{name}: status", roster_import.status, RosterImport.Status.APPLIED)
    return roster_import, read, planned


def one_round(number, sizes, workdir, *, today, seed, trace=False):
    """Make a trust and import its export, the same again, and a later one. Returns the
    ``Clock`` and what was imported."""
    first_on = today - dt.timedelta(days=60)
    later_on = today - dt.timedelta(days=1)
    trust, admin, schools = new_trust(number, sizes)
    roster = plan_roster(
        [(s.name, s.urn) for s in schools],
        staff=sizes.staff,
        students=sizes.students,
        tag=f"r{number}",
        seed=seed + number,
        leaving=sizes.leaving,
    )
    first, later = workdir / f"round-{number}.zip", workdir / f"round-{number}-later.zip"
    rows = write_export(roster, first, on=first_on)
    later_rows = write_export(roster, later, on=later_on, leaving=roster.leavers)
    staff, leavers = len(roster.staff), len(roster.leavers)
    clock = Clock(trace=trace)

    with clock.phase("baseline"):
        counted = count_users(first)
    _expect("rows of users.csv", counted, rows)

    rss_before = _rss_mb()
    rss_reset = _reset_peak_rss()
    applied, read, planned = import_file(
        clock, "first", first, trust=trust, admin=admin, exported_on=first_on
    )
    rss = {"before": rss_before, "peak": _rss_mb("VmHWM") if rss_reset else None}
    _expect("first: staff read", read, {"staff": staff, "students_skipped": sizes.students})
    _expect("first: planned", _counts(planned), _plan(new=staff))
    done = applied.counts
    _expect("first: added", (done["added"], done["roles_started"]), (staff, roster.roles))
    with scopes_disabled():
        held = Membership.objects.filter(trust=trust, school__isnull=False)
        _expect("first: roles held", held.count(), roster.roles)
        _expect("first: identifiers", ExternalId.objects.filter(trust=trust).count(), staff)

    applied, read, planned = import_file(
        clock, "again", first, trust=trust, admin=admin, exported_on=first_on
    )
    _expect("again: planned", _counts(planned), _plan(unchanged=staff))
    done = applied.counts
    _expect("again: applied", _applied(done), (0, 0, 0, 0, 0, 0))

    coached = add_coaching(trust, roster, first_on=first_on, started_on=today - dt.timedelta(30))
    _expect("coaching for the leavers", coached, leavers)
    applied, read, planned = import_file(
        clock, "later", later, trust=trust, admin=admin, exported_on=later_on
    )
    _expect("later: staff read", read["staff"], staff - leavers)
    _expect(
        "later: planned",
        _counts(planned),
        _plan(unchanged=staff - leavers, leaving=leavers, coaching_ending=coached),
    )
    done = applied.counts
    _expect("later: applied", _applied(done), (0, 0, leavers, 0, leavers, coached))
    with scopes_disabled():
        ended = Membership.objects.filter(trust=trust, finished_on=later_on).count()
        _expect("later: roles ended on the export's date", ended, leavers)
        finished = Relationship.objects.filter(trust=trust, finished_on__isnull=False).count()
        _expect("later: coaching ended", finished, coached)
    first.unlink()
    later.unlink()
    figures = {
        "users_rows": rows,
        "later_users_rows": later_rows,
        "staff": staff,
        "teachers": roster.teachers,
        "administrators": staff - roster.teachers,
        "roles": roster.roles,
        "students": sizes.students,
        "leaving": leavers,
        "coaching_ended": coached,
    }
    return clock, figures, rss


def _counts(counts):
    keys = ("new", "changed", "leaving", "unchanged", "coaching_ending")
    return {key: counts.get(key) for key in keys}


def _plan(*, new=0, changed=0, leaving=0, unchanged=0, coaching_ending=0):
    return {
        "new": new,
        "changed": changed,
        "leaving": leaving,
        "unchanged": unchanged,
        "coaching_ending": coaching_ending,
    }


def _applied(done):
    keys = ("added", "changed", "left", "roles_started", "roles_ended", "coaching_ended")
    return tuple(done[key] for key in keys)


# ---------------------------------------------------------------------------------------------
# Rounds, medians, memory
# ---------------------------------------------------------------------------------------------


def measure(sizes, *, rounds=ROUNDS, warmup=WARMUP, seed=SEED, today=None, memory=True):
    """Time every phase over ``warmup`` + ``rounds`` rounds (the warm-up ones not counted),
    then, with ``memory``, run one more under ``tracemalloc``. Returns the report of this
    database."""
    today = today or timezone.localdate()
    times = {key: [] for key, _label, _rows in PHASES}
    rss = []
    with tempfile.TemporaryDirectory(prefix="coachloop-roster-bench-") as folder:
        workdir = Path(folder)
        for number in range(1, warmup + rounds + 1):
            counted = number > warmup
            _log(f"round {number} of {warmup + rounds}{'' if counted else ' (warm-up)'}")
            clock, figures, round_rss = one_round(number, sizes, workdir, today=today, seed=seed)
            if counted:
                rss.append(round_rss)
                for key, seconds in clock.times.items():
                    times[key].append(seconds)
            _log("  " + ", ".join(f"{key} {seconds:.2f} s" for key, seconds in clock.times.items()))
        peaks = {}
        if memory:
            _log("one more round under tracemalloc, for the memory each phase needs")
            tracemalloc.start()
            try:
                clock, _figures, _rss = one_round(
                    warmup + rounds + 1, sizes, workdir, today=today, seed=seed, trace=True
                )
            finally:
                tracemalloc.stop()
            peaks = {key: round(peak / MB, 1) for key, peak in clock.peaks.items()}
    return summarise(times, figures, peaks=peaks, rss=rss)


def _database():
    if connection.vendor == "sqlite":
        return {
            "engine": f"SQLite {sqlite3.sqlite_version}",
            "where": "a new file in a temporary folder",
            "settings": {},
        }
    return database()


def summarise(times, figures, *, peaks, rss):
    baseline = statistics.median(times["baseline"])
    rows_of = {"users": figures["users_rows"], "staff": figures["staff"]}
    # The later export is without the leavers.
    later_rows_of = {
        "users": figures["later_users_rows"],
        "staff": figures["staff"] - figures["leaving"],
    }
    phases = []
    for key, label, rows_kind in PHASES:
        median = statistics.median(times[key])
        rows = (later_rows_of if key.startswith("later.") else rows_of)[rows_kind]
        phases.append(
            {
                "key": key,
                "phase": label,
                "rows": rows,
                "rows_are": "users.csv rows" if rows_kind == "users" else "staff rows",
                "median_s": round(median, 3),
                "range_s": [round(min(times[key]), 3), round(max(times[key]), 3)],
                "rows_per_s": round(rows / median),
                "ratio_to_baseline": round(median / baseline, 2),
            }
        )
    totals = []
    for name, label in IMPORTS:
        sums = [
            sum(times[f"{name}.{part}"][i] for part in ("read", "start", "check", "apply"))
            for i in range(len(times["baseline"]))
        ]
        median = statistics.median(sums)
        totals.append(
            {
                "key": name,
                "phase": label,
                "median_s": round(median, 3),
                "range_s": [round(min(sums), 3), round(max(sums), 3)],
                "ratio_to_baseline": round(median / baseline, 2),
            }
        )
    first = [peaks.get(f"first.{part}") for part in ("read", "start", "check", "apply")]
    peak_rss = [r for r in rss if r["peak"] is not None]
    return {
        "database": _database(),
        "sizes": figures,
        "rounds": len(times["baseline"]),
        "phases": phases,
        "totals": totals,
        "memory": {
            "tracemalloc_peak_mb": peaks,
            "first_import_peak_mb": max(first) if peaks else None,
            # The resident set before each timed round's first import and at its highest
            # during it: the median before, and the round that grew most.
            "rss_mb": (
                {
                    "before": statistics.median(r["before"] for r in peak_rss),
                    "peak": max(r["peak"] for r in peak_rss),
                    "most_growth": max(round(r["peak"] - r["before"], 1) for r in peak_rss),
                }
                if peak_rss
                else None
            ),
        },
        "seconds": {key: [round(s, 3) for s in values] for key, values in times.items()},
    }


# ---------------------------------------------------------------------------------------------
# RESULTS.md
# ---------------------------------------------------------------------------------------------

NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


_n = results.number


def _s(seconds):
    return f"{seconds:.2f} s" if seconds >= 0.1 else f"{seconds * 1000:.0f} ms"


def results_markdown(report):
    databases = report["databases"]
    first = next(iter(databases.values()))
    sizes = first["sizes"]
    header = "| Phase | Rows |"
    rule = "|---|---:|"
    for name in databases:
        header += f" {NAMES[name]}: median | range | rows/s | × baseline |"
        rule += "---:|---:|---:|---:|"
    lines = [
        f"## Staff import ({_n(sizes['staff'])} staff)",
        "",
        *results.measured_by(report),
        f"which rewrites this section and the `{KEY}` part of `benchmarks/results.json`. A trust "
        f"of {report['sizes']['schools']} schools imports a OneRoster 1.1 export (a zip, as "
        f"`benchmarks/roster_export.py` writes it) of {_n(sizes['staff'])} staff "
        f"({_n(sizes['teachers'])} teachers and {_n(sizes['administrators'])} administrators, "
        f"holding {_n(sizes['roles'])} roles: some teach in two schools) and "
        f"{_n(sizes['students'])} students, whose rows are skipped unread; then the same export "
        f"again, which changes nothing; then a later export without {_n(sizes['leaving'])} of "
        "the teachers, each of them coached, whose roles and coaching end. Each phase runs as "
        "`manage.py import_roster` runs it, on a new trust in every round, and checks its work "
        "(people added, changed and leaving, roles held and ended, coaching ended). Figures are "
        f"medians of {report['rounds']} rounds after {report['warmup']} warm-up "
        f"round{'s' if report['warmup'] != 1 else ''}; the range is the fastest and slowest "
        "round. **× baseline** is the phase's median over the baseline's, both measured in the "
        "same run: how many times as long the phase takes as merely reading users.csv "
        f"({_n(sizes['users_rows'])} rows) with Python's csv module.",
        "",
        header,
        rule,
    ]
    for i, phase in enumerate(first["phases"]):
        row = f"| {phase['phase']} | {_n(phase['rows'])} {phase['rows_are']} |"
        for result in databases.values():
            p = result["phases"][i]
            row += (
                f" {_s(p['median_s'])} | {_s(p['range_s'][0])} – {_s(p['range_s'][1])} "
                f"| {_n(p['rows_per_s'])} | {p['ratio_to_baseline']:.2f} |"
            )
        lines.append(row)
    for i, total in enumerate(first["totals"]):
        row = f"| **{total['phase']}** | |"
        for result in databases.values():
            t = result["totals"][i]
            row += (
                f" **{_s(t['median_s'])}** | {_s(t['range_s'][0])} – {_s(t['range_s'][1])} "
                f"| | {t['ratio_to_baseline']:.2f} |"
            )
        lines.append(row)
    lines += ["", "### Memory", ""]
    for name, result in databases.items():
        memory = result["memory"]
        peaks = memory["tracemalloc_peak_mb"]
        rss = memory["rss_mb"]
        if peaks:
            parts = ", ".join(
                f"{part} {peaks[f'first.{part}']} MB"
                for part in ("read", "start", "check", "apply")
            )
            lines.append(
                f"- {NAMES[name]}: the first import needs at most "
                f"**{memory['first_import_peak_mb']} MB** of Python memory above what the "
                f"process held before it (`tracemalloc` peak, by phase: {parts})."
                + (
                    f" The process's resident set was {rss['before']} MB before it and at "
                    f"most **{rss['peak']} MB** during it (the most it grew in a round: "
                    f"{rss['most_growth']} MB)."
                    if rss
                    else ""
                )
            )
    lines += [
        "",
        "`tracemalloc` counts what Python allocates, in one more round run under it (and so "
        "slower, not timed). The resident set is the whole process's in RAM (Django, the "
        "database driver and, on SQLite, the database's own cache included), read from "
        "`/proc/self/status` in each timed round: its high-water mark is reset just before "
        "the first import is read and read again once it is applied. It grows less than "
        "`tracemalloc`'s figure because Python reuses the memory the earlier rounds freed.",
        "",
        "### Machine and databases",
        "",
        f"- Machine: {report['machine']['cpu']}, {report['machine']['cores']} cores, "
        f"{report['machine']['memory_gb']} GB memory; {report['machine']['os']}",
        f"- Python {report['machine']['python']}, Django {report['machine']['django']}",
    ]
    for name, result in databases.items():
        db = result["database"]
        lines.append(
            f"- {NAMES[name]}: {db['engine']} on {db['where']}"
            + "".join(f", {k}={v}" for k, v in db["settings"].items())
        )
    load = report["machine"].get("load_average", {})
    lines += [
        "- The benchmark and the database share the machine's cores (with whatever else runs "
        f"on it): the one-minute load average was {load.get('before')} when the timing began "
        f"and {load.get('after')} when it ended. The whole run took {report['seconds']} s.",
        "",
    ]
    return "\n".join(lines)


def report_of(databases, *, command, today, seed, rounds, warmup, sizes, load, seconds):
    """What results.json keeps under ``KEY``: ``databases`` maps "postgresql" and "sqlite"
    to what ``measure`` found in each."""
    return {
        "command": command.strip(),
        **results.stamp(),
        "today": today.isoformat(),
        "seed": seed,
        "rounds": rounds,
        "warmup": warmup,
        "sizes": asdict(sizes),
        "machine": {**machine(), "load_average": load},
        "seconds": seconds,
        "databases": databases,
    }


def write_results(report, output: Path):
    """Rewrite this benchmark's section of RESULTS.md and its key of results.json, keeping
    the other benchmarks' (``benchmarks.results``)."""
    results.write_results(
        output, section="roster-import", body=results_markdown(report), report=report, key=KEY
    )


# ---------------------------------------------------------------------------------------------


def _own_sqlite(folder):
    """Point the connection at a new SQLite database in ``folder``, never at the developer's
    own, and migrate it."""
    connection.close()
    connection.settings_dict["NAME"] = str(Path(folder) / "roster-bench.sqlite3")
    _log(f"migrating a new SQLite database in {folder}")
    call_command("migrate", interactive=False, verbosity=0)


def _on_sqlite(args, timeout):
    """This benchmark again, in a process of its own on SQLite; its report."""
    with tempfile.TemporaryDirectory(prefix="coachloop-roster-sqlite-") as folder:
        out = Path(folder) / "report.json"
        command = [sys.executable, "-m", "benchmarks.roster_import", "--json-out", str(out)]
        for option in ("schools", "staff", "students", "rounds", "warmup", "seed"):
            command += [f"--{option}", str(getattr(args, option))]
        if not args.memory:
            command.append("--no-memory")
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/roster-bench.sqlite3"}
        _log("the same on SQLite, in a process of its own")
        subprocess.run(command, env=env, cwd=HERE.parent, check=True, timeout=timeout)  # noqa: S603  # nosec B603
        return json.loads(out.read_text())


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.roster_import", description=__doc__.split("\n\n")[0]
    )
    defaults = Sizes()
    parser.add_argument("--schools", type=int, default=defaults.schools)
    parser.add_argument("--staff", type=int, default=defaults.staff)
    parser.add_argument("--students", type=int, default=defaults.students)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--warmup", type=int, default=WARMUP)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=Path, default=HERE, help="where to write the results")
    parser.add_argument(
        "--no-sqlite",
        dest="sqlite",
        action="store_false",
        help="on PostgreSQL, do not run the benchmark on SQLite afterwards for comparison",
    )
    parser.add_argument(
        "--sqlite-timeout", type=int, default=3600, help="seconds the SQLite run may take"
    )
    parser.add_argument(
        "--no-memory", dest="memory", action="store_false", help="skip the tracemalloc round"
    )
    parser.add_argument("--keep", action="store_true", help=f"keep the schema {SCHEMA}")
    parser.add_argument("--json-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--command",
        default=os.environ.get("BENCH_COMMAND")
        or "python -m benchmarks.roster_import "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        help="the command recorded in RESULTS.md as the one that reproduces it",
    )
    args = parser.parse_args(argv)
    sizes = Sizes(schools=args.schools, staff=args.staff, students=args.students)
    vendor = connection.vendor
    if vendor not in NAMES:
        parser.exit(2, "The benchmark runs on PostgreSQL or SQLite.\n")
    began = time.monotonic()
    today = timezone.localdate()
    with tempfile.TemporaryDirectory(prefix="coachloop-roster-db-") as folder:
        if vendor == "sqlite":
            _own_sqlite(folder)
        else:
            _log(f"migrating schema {SCHEMA}")
            new_schema(SCHEMA)
        load = {"before": _load()}
        try:
            measured = measure(
                sizes,
                rounds=args.rounds,
                warmup=args.warmup,
                seed=args.seed,
                today=today,
                memory=args.memory,
            )
        except BenchError as error:
            parser.exit(2, f"The import did not do what it should: {error}\n")
        finally:
            if vendor == "postgresql" and not args.keep:
                drop_schemas([SCHEMA])
            connection.close()
    load["after"] = _load()
    if args.json_out:
        args.json_out.write_text(json.dumps(measured, default=str))
        return measured
    databases = {vendor: measured}
    if vendor == "postgresql" and args.sqlite:
        databases["sqlite"] = _on_sqlite(args, args.sqlite_timeout)
        load["after"] = _load()
    report = report_of(
        databases,
        command=args.command,
        today=today,
        seed=args.seed,
        rounds=args.rounds,
        warmup=args.warmup,
        sizes=sizes,
        load=load,
        seconds=round(time.monotonic() - began),
    )
    write_results(report, args.output)
    _log(f"done in {report['seconds']} s; updated {args.output / 'RESULTS.md'} and results.json")
    for name, result in databases.items():
        for phase in result["phases"] + result["totals"]:
            print(
                f"{NAMES[name]:10} {phase['phase'][:60]:60} {phase['median_s']:8.2f} s"
                f"  x{phase['ratio_to_baseline']:.1f}"
            )
    return report


if __name__ == "__main__":
    main()
