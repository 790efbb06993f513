"""RESULTS.md and results.json hold more than one benchmark's results: each benchmark rewrites
its own part and keeps the others'."""

import datetime as dt
import json
import subprocess

from benchmarks import bench, results, roster_import
from benchmarks.results import replace_section

SIZE = {
    "sizes": {"schools": 2, "teachers": 24, "dropins": 500},
    "rows": {"coaching.DropIn": 500},
    "trusts": 1,
    "seconds_to_generate": 1,
    "seconds_to_fill_rollups": 1,
    "measured": {
        "trust": {"schools": 2, "teachers": 24, "dropins": 500},
        "school": {"teachers": 12, "dropins": 300},
    },
    "measured_trust": "A trust",
    "measured_school": "A school",
}
MACHINE = dict.fromkeys(("cpu", "cores", "memory_gb", "os", "python", "django"), "")
DATABASE = {"engine": "SQLite", "where": "local", "settings": {}}


def dashboards_report(school_ms):
    at = {"url": "/insights/trust/", "signed_in_as": "trust_lead"}
    at |= {"dashboard_ms": school_ms, "sql_ms": 2.0}
    return {
        "command": "make bench",
        "date": "a day",
        "runs": 1,
        "warmup": 0,
        "machine": MACHINE,
        "database": DATABASE,
        "sizes": {"1x": SIZE, "10x": SIZE},
        "dashboards": [
            {
                "name": "trust",
                "ratio_to_sql": 0.5,
                "growth_10x": 1.0,
                "sql_growth_10x": 1.0,
                "figures_match": True,
                "at": {"1x": at, "10x": at},
            }
        ],
    }


def roster_report(median):
    phases = [
        {
            "key": key,
            "phase": label,
            "rows": 10,
            "rows_are": "staff rows",
            "median_s": median,
            "range_s": [median, median],
            "rows_per_s": 10,
            "ratio_to_baseline": 1.0,
        }
        for key, label, _rows in roster_import.PHASES
    ]
    totals = [{**phases[0], "key": key, "phase": label} for key, label in roster_import.IMPORTS]
    sizes = dict.fromkeys(
        ("staff", "teachers", "administrators", "roles", "students", "leaving", "users_rows"), 10
    )
    measured = {
        "database": DATABASE,
        "sizes": sizes,
        "phases": phases,
        "totals": totals,
        "memory": {
            "tracemalloc_peak_mb": {f"first.{p}": 1.0 for p in ("read", "start", "check", "apply")},
            "first_import_peak_mb": 1.0,
            "rss_mb": {"before": 100.0, "peak": 150.0, "most_growth": 50.0},
        },
    }
    return roster_import.report_of(
        {"sqlite": measured},
        command="make bench-roster",
        today=dt.date(2026, 9, 1),
        seed=1,
        rounds=1,
        warmup=0,
        sizes=roster_import.Sizes(),
        load={},
        seconds=1,
    )


def test_each_benchmark_rewrites_its_own_results_and_keeps_the_others(tmp_path):
    bench.write_results(dashboards_report(1.25), tmp_path)
    roster_import.write_results(roster_report(7.5), tmp_path)
    bench.write_results(dashboards_report(3.75), tmp_path)

    text = (tmp_path / "RESULTS.md").read_text()
    results = json.loads((tmp_path / "results.json").read_text())
    assert text.startswith("# Benchmark results")
    assert text.count("## Dashboards") == 1 and text.count("## Staff import") == 1
    assert "3.75 ms" in text and "1.25 ms" not in text  # the dashboards' own, rewritten
    assert "make bench-roster" in text and "7.50 s" in text  # the roster's, kept
    assert results["dashboards"][0]["at"]["1x"]["dashboard_ms"] == 3.75
    assert results["roster_import"]["databases"]["sqlite"]["phases"][0]["median_s"] == 7.5

    roster_import.write_results(roster_report(2.5), tmp_path)

    text = (tmp_path / "RESULTS.md").read_text()
    results = json.loads((tmp_path / "results.json").read_text())
    assert text.count("## Staff import") == 1 and "7.50 s" not in text and "2.50 s" in text
    assert "3.75 ms" in text  # the dashboards', kept
    assert results["dashboards"][0]["at"]["1x"]["dashboard_ms"] == 3.75
    assert results["roster_import"]["databases"]["sqlite"]["phases"][0]["median_s"] == 2.5


def test_a_section_is_replaced_where_it_is_and_added_at_the_end_when_new():
    text = "# Benchmark results\n\n<!-- a:start -->\nold\n<!-- a:end -->\n\nafter\n"

    replaced = replace_section(text, "a", "new")
    added = replace_section(replaced, "b", "more")

    assert replaced == "# Benchmark results\n\n<!-- a:start -->\nnew\n<!-- a:end -->\n\nafter\n"
    assert added.endswith("after\n\n<!-- b:start -->\nmore\n<!-- b:end -->\n")
    assert replace_section("", "a", "first").startswith("# Benchmark results")


def test_results_say_which_commit_was_measured_and_whether_the_code_differed(tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "bench@example.org")
    git("config", "user.name", "Bench")
    (tmp_path / "benchmarks").mkdir()
    for name in ("code.py", "benchmarks/RESULTS.md"):
        (tmp_path / name).write_text("one\n")
    git("add", "-A")
    git("commit", "-qm", "first")
    commit = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], cwd=tmp_path, capture_output=True, text=True
    ).stdout.strip()

    (tmp_path / "benchmarks/RESULTS.md").write_text("rewritten by a benchmark\n")
    assert results.revision(tmp_path) == commit
    (tmp_path / "code.py").write_text("changed\n")
    assert results.revision(tmp_path) == f"{commit} and uncommitted changes"
    assert results.revision(tmp_path / "nowhere") is None

    report = {"date": "2026-12-07 23:00 UTC", "revision": commit, "command": "make bench"}
    assert results.measured_by(report)[0] == (
        f"Measured on 2026-12-07 23:00 UTC on commit {commit} by one run of:"
    )
    assert results.measured_by({**report, "revision": None})[0] == (
        "Measured on 2026-12-07 23:00 UTC by one run of:"
    )
