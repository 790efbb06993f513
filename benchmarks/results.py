"""``benchmarks/RESULTS.md`` and ``results.json`` hold the results of more than one benchmark;
each benchmark rewrites only its own part of them, so running one keeps the others' figures.

In RESULTS.md a benchmark's part is its section, between the markers
``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` (added at the end of the file the first
time). In results.json the dashboard benchmark's report is the top level, as it always was,
and every other benchmark's report sits under a key of its own (``KEYS``).
"""

import json
from pathlib import Path

TITLE = (
    "# Benchmark results\n\n"
    "Each section below is rewritten by the benchmark it names, and only that section: "
    "running one benchmark keeps the others' figures, here and in `benchmarks/results.json`."
)
# The keys of results.json that benchmarks other than the dashboards' own.
KEYS = ("roster_import", "record_pdf", "national")


def number(value):
    """A count as RESULTS.md writes it: 10,000."""
    return f"{value:,}"


def measured_by(report):
    """The lines under a section's heading that say when it was measured and by what."""
    return [f"Measured on {report['date']} by one run of:", "", "```", report["command"], "```", ""]


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
