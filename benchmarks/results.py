"""``benchmarks/RESULTS.md`` and ``results.json`` hold the results of more than one benchmark;
each benchmark rewrites only its own part of them, so running one keeps the others' figures.

In RESULTS.md a benchmark's part is its section, between the markers
``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` (added at the end of the file the first
time). In results.json the dashboard benchmark's report is the top level, as it always was,
and every other benchmark's report sits under a key of its own (``KEYS``).
"""

import datetime as dt
import json
import subprocess  # noqa: S404 (git, for the commit measured)
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A benchmark rewrites these itself: they do not make the code measured differ from its commit.
OWN_FILES = ("benchmarks/RESULTS.md", "benchmarks/results.json")

TITLE = (
    "# Benchmark results\n\n"
    "Each section below is rewritten by the benchmark it names, and only that section: "
    "running one benchmark keeps the others' figures, here and in `benchmarks/results.json`."
)
# The keys of results.json that benchmarks other than the dashboards' own.
KEYS = ("roster_import", "record_pdf", "pages", "pages_meta", "national")


def number(value):
    """A count as RESULTS.md writes it: 10,000."""
    return f"{value:,}"


def revision(root=ROOT):
    """The commit measured, short, with " and uncommitted changes" when the code differs from
    it; None outside a git checkout."""

    def git(*args):
        return subprocess.run(  # noqa: S603 (fixed arguments)
            ["git", *args],  # noqa: S607 (git from the PATH, as make runs it)
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.rstrip("\n")

    try:
        commit = git("rev-parse", "--short=12", "HEAD")
        changed = [
            line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()
        ]
    except (OSError, subprocess.SubprocessError):
        return None
    dirty = any(path not in OWN_FILES for path in changed)
    return commit + (" and uncommitted changes" if dirty else "")


def stamp():
    """When a benchmark ran and on which commit: for its report's ``date`` and ``revision``."""
    return {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "revision": revision()}


def measured_by(report):
    """The lines under a section's heading that say when it was measured, on which commit and
    by what."""
    at = f" on commit {report['revision']}" if report.get("revision") else ""
    return [
        f"Measured on {report['date']}{at} by one run of:",
        "",
        "```",
        report["command"],
        "```",
        "",
    ]


def markers(name):
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def replace_section(text, name, body):
    """``text`` (a RESULTS.md) with the section ``name`` holding ``body``: in place when the
    section is there already, otherwise at the end."""
    start, end = markers(name)
    block = f"{start}\n{body.strip()}\n{end}"
    begins = text.find(start)
    ends = text.find(end, begins) if begins >= 0 else -1
    if begins >= 0 and ends >= 0:
        return text[:begins] + block + text[ends + len(end) :]
    return (text.rstrip() or TITLE) + "\n\n" + block + "\n"


def write_markdown(output: Path, name, body):
    path = output / "RESULTS.md"
    text = path.read_text() if path.exists() else ""
    path.write_text(replace_section(text, name, body))


def write_json(output: Path, report, *, key=None):
    """Keep ``report`` in results.json: under ``key``, or, with no key (the dashboards), as
    the top level, keeping the other benchmarks' keys."""
    path = output / "results.json"
    try:
        results = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        results = {}
    if key is None:
        results = {**report, **{k: results[k] for k in KEYS if k in results}}
    else:
        results[key] = report
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")


def write_results(output: Path, *, section, body, report, key=None):
    """Rewrite one benchmark's part of RESULTS.md (``section``) and of results.json."""
    output.mkdir(parents=True, exist_ok=True)
    write_json(output, report, key=key)
    write_markdown(output, section, body)
