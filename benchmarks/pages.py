"""Each main page of each role against a trivial page, served as production serves it, at the
demo's size and at ten times its staff.

    make bench-pages                                   # PostgreSQL 15, rewrites its results
    make bench-pages BENCH_ARGS="--quick"              # a smoke run: one short round
    python -m benchmarks.pages --help                  # in the database DATABASE_URL names

The data is the demo exactly as ``-m queries`` builds it (``load_demo --replace``, then with
``--teachers-per-school 210``: the same three schools with ten times the staff), each size in a
PostgreSQL schema of its own (``bench_pages_1x``, ``bench_pages_10x``, dropped at the end unless
``--keep``). The trivial page is the sign-in page, anonymous.

Two figures per page, both "higher is better", both against the trivial page:

- ``ratio_to_trivial``: requests per second of the page over those of the sign-in page, from
  wrk against gunicorn (production settings, debugging off, two workers, on 127.0.0.1). Each
  round measures the trivial page, then the page at 1x, then at 10x; the median of the rounds;
  the lower of the two sizes is the page's figure.
- ``cpu_ratio``: the same in CPU time, measured in this process (``time.process_time`` around a
  request through ``django.test.Client``, debugging off): CPU per request of the trivial page
  over that of the page, so it excludes PostgreSQL's work and the machine's other load. Pages
  and sizes are interleaved, after warm-up rounds; medians; the lower of the two sizes.

And ``cpu_growth_10x``: CPU per request of the page at 10x over at 1x (lower is better: 1.0 is
flat), ``bytes_1x``/``bytes_10x`` (the page's size as served) and ``queries`` (SQL queries per
request, at 1x; ``queries_10x`` at 10x).
"""

import argparse
import contextlib
import functools
import gc
import io
import os
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from benchmarks import load, results
from benchmarks.bench import _load, database, drop_schemas, machine, new_schema, use_schema
from coachloop.coaching.models import Relationship
from coachloop.common.tenancy import scopes_disabled
from coachloop.insights.rollups import rollups_update
from coachloop.people.models import Role, Trust, User
from coachloop.programmes.models import Assignment, Enrolment, Programme, Submission

HERE = Path(__file__).resolve().parent
SIZES = {"1x": [], "10x": ["--teachers-per-school", "210"]}  # as tests/queries builds them
ROUNDS = 3
SECONDS = 3
CPU_RUNS = 20
CPU_WARMUP = 10
QUICK = {"rounds": 1, "seconds": 1, "cpu_runs": 3, "cpu_warmup": 1}
BARS = {"ratio_to_trivial": 0.15, "aim": 0.25, "signed_in_static": 0.6, "cpu_growth_10x": 1.2}
TRIVIAL = "trivial"
STATIC = "signed_in_static"


class BenchError(Exception):
    pass


def _log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    who: User | None  # None: anonymous
    url: str


def _user(email):
    return User.objects.get(email=email)


def pages() -> list[Page]:
    """The pages measured, in the data set the connection points at: the trivial page first,
    then each role's main pages, on the same records ``tests/queries`` opens."""
    with scopes_disabled():
        coach = _user("coach@riverside.example.org")
        teacher = _user("teacher@riverside.example.org")
        lead = _user("lead@riverside.example.org")
        head = _user("head@riverside.example.org")
        trust_lead = _user("trustlead@riverside.example.org")
        tutor = _user("tutor@wessex.example.ac.uk")
        programme_lead = _user("programme-lead@wessex.example.ac.uk")
        relationship = Relationship.objects.filter(coach=coach, teacher=teacher).latest("pk")
        lead_school = lead.memberships.filter(role=Role.COACHING_LEAD).first().school.slug
        head_school = head.memberships.filter(role=Role.HEADTEACHER).first().school.slug
        programme = Programme.objects.get(title="MA Education (Instructional Coaching)")
        assignment = (
            Assignment.objects.filter(
                module__programme=programme, submissions__status=Submission.Status.RELEASED
            )
            .distinct()
            .first()
        )
        cohort = (
            Enrolment.objects.filter(cohort__programme=programme, coach=coach).first().cohort_id
        )
    return [
        Page(TRIVIAL, "anonymous", None, reverse("login")),
        Page(STATIC, "teacher", teacher, reverse("privacy")),
        Page("coach_home", "coach", coach, reverse("coaching:coach_home")),
        Page("coachee", "coach", coach, reverse("coaching:coachee", args=[relationship.pk])),
        Page("teacher_home", "teacher", teacher, reverse("coaching:teacher_home")),
        Page("my_audit", "teacher", teacher, reverse("coaching:my_audit")),
        Page("lead_home", "coaching lead", lead, reverse("coaching:lead_home", args=[lead_school])),
        Page(
            "rollout_team",
            "coaching lead",
            lead,
            reverse("rollout:team_coaches", args=[lead_school]),
        ),
        Page("leader_home", "headteacher", head, reverse("home")),
        Page(
            "school_dashboard", "headteacher", head, reverse("insights:school", args=[head_school])
        ),
        Page("trust_dashboard", "trust lead", trust_lead, reverse("insights:trust")),
        Page("marking_queue", "tutor", tutor, reverse("programmes:marking")),
        Page(
            "programme_page",
            "programme lead",
            programme_lead,
            reverse("programmes:programme", args=[programme.pk]),
        ),
        Page(
            "assignment_page",
            "programme lead",
            programme_lead,
            reverse("programmes:assignment", args=[assignment.pk]),
        ),
        Page(
            "cohort_page",
            "programme lead",
            programme_lead,
            reverse("programmes:cohort", args=[cohort]),
        ),
        Page("framework_library", "coach", coach, reverse("frameworks:library")),
    ]


def build(label, options):
    """One size of the demo in its own schema, with its rollups filled, as tests/queries has it."""
    schema = schema_for(label)
    _log(f"{label}: migrating schema {schema}")
    new_schema(schema)
    _log(f"{label}: load_demo --replace {' '.join(options)}")
    call_command("load_demo", "--replace", *options, stdout=io.StringIO())
    with scopes_disabled():
        for trust in Trust.objects.order_by("pk"):
            rollups_update(trust=trust)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def schema_for(label):
    return f"bench_pages_{label}"


# ---------------------------------------------------------------------------------------------
# In process: CPU time per request
# ---------------------------------------------------------------------------------------------


def _check(response, page, label):
    if response.status_code != 200:
        where = response.get("Location", "")
        raise BenchError(
            f"{page.name} ({page.url}) at {label} answered {response.status_code} {where}".strip()
            + ", not 200: the benchmark measures pages, not redirects or errors."
        )


def signed_in(data_sets):
    """Per label: the pages there, each with a Client signed in as its person (the session
    saved in that data set, so the server can use its cookie too)."""
    opened = {}
    for label, switch in data_sets.items():
        switch()
        opened[label] = []
        for page in pages():
            client = Client()
            if page.who is not None:
                client.force_login(page.who)
            opened[label].append((page, client))
    return opened


def measure_cpu(data_sets, opened, *, runs=CPU_RUNS, warmup=CPU_WARMUP):
    """CPU seconds per request of each page at each size, in this process, interleaved: every
    round opens every page at every size once; the first ``warmup`` rounds are not counted.
    Returns per label a list (in page order) of {name, cpu_ms, queries}; a page that answers
    anything but 200 stops the run (BenchError)."""
    times = {label: [[] for _ in opened[label]] for label in data_sets}
    queries = {label: [] for label in data_sets}
    with override_settings(DEBUG=False), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="No directory at")
        for label, switch in data_sets.items():
            switch()
            for page, client in opened[label]:
                # The first request may do once-a-session work: count the second's queries.
                _check(client.get(page.url, headers=load.HEADERS), page, label)
                with CaptureQueriesContext(connection) as captured:
                    client.get(page.url, headers=load.HEADERS)
                queries[label].append(len(captured))
        gc.collect()
        first = next(iter(data_sets))
        for round_ in range(warmup + runs):
            for index in range(len(opened[first])):
                for label, switch in data_sets.items():
                    switch()
                    page, client = opened[label][index]
                    began = time.process_time()
                    response = client.get(page.url, headers=load.HEADERS)
                    spent = time.process_time() - began
                    _check(response, page, label)
                    if round_ >= warmup:
                        times[label][index].append(spent)
    return {
        label: [
            {
                "name": page.name,
                "cpu_ms": round(statistics.median(times[label][i]) * 1000, 3),
                "queries": queries[label][i],
            }
            for i, (page, _client) in enumerate(opened[label])
        ]
        for label in data_sets
    }


# ---------------------------------------------------------------------------------------------
# Over the wire: requests per second from gunicorn, with wrk
# ---------------------------------------------------------------------------------------------


def measure_load(servers, opened, *, rounds=ROUNDS, seconds=SECONDS):
    """Requests per second of each page at each size, against the trivial page in the same
    round. ``servers`` maps a label to a running ``load.Server`` over that size's schema.
    Returns {label: [{name, bytes, req_s, ratio_to_trivial, rounds}]} and the trivial page's
    median rate."""
    session = {
        label: [client.cookies["sessionid"].value if page.who else None for page, client in rows]
        for label, rows in opened.items()
    }
    found = {label: [] for label in servers}
    for label, server in servers.items():
        for index, (page, _client) in enumerate(opened[label]):
            status, body = load.fetch(server.base, page.url, session_key=session[label][index])
            if status != 200:
                raise BenchError(
                    f"{page.name} ({page.url}) at {label} answered {status} from gunicorn, not 200."
                )
            # A short warm-up, so each worker has the page's templates and queries ready.
            load.wrk(server.base, page.url, seconds=1, session_key=session[label][index])
            found[label].append({"name": page.name, "bytes": len(body), "rates": [], "ratios": []})
    trivial_rates = []
    first = next(iter(servers))
    for round_ in range(rounds):
        _log(f"round {round_ + 1} of {rounds}")
        for index in range(1, len(opened[first])):
            trivial = load.wrk(servers[first].base, opened[first][0][0].url, seconds=seconds)
            trivial_rates.append(trivial["req_s"])
            for label, server in servers.items():
                page = opened[label][index][0]
                rate = load.wrk(
                    server.base, page.url, seconds=seconds, session_key=session[label][index]
                )["req_s"]
                found[label][index]["rates"].append(rate)
                found[label][index]["ratios"].append(rate / trivial["req_s"])
    trivial_median = statistics.median(trivial_rates) if trivial_rates else None
    for label in servers:
        found[label][0]["rates"] = trivial_rates
        found[label][0]["ratios"] = [1.0] * len(trivial_rates)
        for row in found[label]:
            row["req_s"] = round(statistics.median(row["rates"]), 1) if row["rates"] else None
            ratio = statistics.median(row["ratios"]) if row["ratios"] else None
            row["ratio_to_trivial"] = round(ratio, 3) if ratio is not None else None
    return found, trivial_median


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


def combine(opened, cpu, served=None) -> list[dict]:
    """One row per page: the issue's {name, role, url, req_s, ratio_to_trivial, cpu_ratio,
    cpu_growth_10x, bytes_1x, bytes_10x, queries}, and each size's own figures under ``at``.
    Without ``served`` (no server run), the req/s figures are None."""
    labels = list(cpu)
    trivial_cpu = {label: cpu[label][0]["cpu_ms"] for label in labels}
    rows = []
    for index, (page, _client) in enumerate(opened[labels[0]]):
        at = {}
        for label in labels:
            mine = cpu[label][index]
            at[label] = {
                "cpu_ms": mine["cpu_ms"],
                "cpu_ratio": round(trivial_cpu[label] / mine["cpu_ms"], 3),
                "queries": mine["queries"],
            }
            if served:
                wire = served[label][index]
                at[label] |= {
                    "req_s": wire["req_s"],
                    "ratio_to_trivial": wire["ratio_to_trivial"],
                    "bytes": wire["bytes"],
                    "req_s_rounds": wire["rates"],
                }
        first, last = at[labels[0]], at[labels[-1]]
        ratios = [a["ratio_to_trivial"] for a in at.values() if a.get("ratio_to_trivial")]
        rows.append(
            {
                "name": page.name,
                "role": page.role,
                "url": page.url,
                "req_s": first.get("req_s"),
                "ratio_to_trivial": min(ratios) if ratios else None,
                "cpu_ratio": min(a["cpu_ratio"] for a in at.values()),
                "cpu_growth_10x": round(last["cpu_ms"] / first["cpu_ms"], 3),
                "bytes_1x": first.get("bytes"),
                "bytes_10x": last.get("bytes"),
                "queries": first["queries"],
                "queries_10x": last["queries"],
                "at": at,
            }
        )
    return rows


def verdicts(row):
    """Which of the issue's bars a page misses (the trivial page has none)."""
    if row["name"] == TRIVIAL:
        return []
    missed = []
    floor = BARS["signed_in_static"] if row["name"] == STATIC else BARS["ratio_to_trivial"]
    for figure in ("ratio_to_trivial", "cpu_ratio"):
        if row[figure] is not None and row[figure] < floor:
            missed.append(f"{figure} < {floor}")
    if row["cpu_growth_10x"] > BARS["cpu_growth_10x"]:
        missed.append(f"growth > {BARS['cpu_growth_10x']}")
    return missed


def _figure(value, digits=2):
    return "–" if value is None else f"{value:.{digits}f}"


def _kb(value):
    return "–" if value is None else f"{value / 1024:.1f}"


def results_markdown(report) -> str:
    meta = report["meta"]
    lines = [
        "## Pages against a trivial page",
        "",
        *results.measured_by(meta),
        "Each main page of each role against the sign-in page (anonymous), on the demo as "
        "`-m queries` builds it: 1x (`load_demo --replace`) and 10x (`--teachers-per-school "
        "210`, the same three schools with ten times the staff), each in its own PostgreSQL "
        "schema. Every figure is *higher is better* except growth:",
        "",
        "- **ratio** = req/s of the page ÷ req/s of the sign-in page, from `wrk "
        f"-t1 -c2 -d{meta['seconds']}s` against gunicorn (production settings, DEBUG off, 2 "
        f"workers, 127.0.0.1); per round the trivial page, then the page at 1x, then at 10x; "
        f"median of {meta['rounds']} rounds; the lower of the two sizes.",
        "- **CPU ratio** = CPU per request of the sign-in page ÷ CPU per request of the page "
        "(`time.process_time` around `django.test.Client` in one process, DEBUG off, pages and "
        f"sizes interleaved, {meta['cpu_warmup']} warm-up + {meta['cpu_runs']} timed rounds, "
        "medians; the lower of the two sizes). It excludes PostgreSQL and the machine's other "
        "load, so it is the steadier figure; same direction as the ratio.",
        "- **growth** = CPU per request at 10x ÷ at 1x (1.00 is flat).",
        "",
        f"Bars (issue 20): every list page and dashboard ratio ≥ {BARS['ratio_to_trivial']} "
        f"(aim {BARS['aim']}), the signed-in static page ≥ {BARS['signed_in_static']}, "
        f"growth ≤ {BARS['cpu_growth_10x']}. The sign-in page served "
        f"{_figure(meta['trivial_req_s'], 1)} req/s and took "
        f"{_figure(meta['trivial_cpu_ms'])} ms of CPU per request. Load average "
        f"{meta['machine']['load_average']['before']} before, "
        f"{meta['machine']['load_average']['after']} after, on {meta['machine']['cores']} cores "
        "(ratios hold within one run; compare runs by ratio, not req/s).",
        "",
        "| page | role | req/s | ratio | CPU ratio | growth | KB 1x | KB 10x | queries | misses |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in report["pages"]:
        queries = str(row["queries"])
        if row["queries_10x"] != row["queries"]:
            queries += f" / {row['queries_10x']}"
        lines.append(
            f"| {row['name']} | {row['role']} | {_figure(row['req_s'], 1)} "
            f"| {_figure(row['ratio_to_trivial'], 3)} | {_figure(row['cpu_ratio'], 3)} "
            f"| {_figure(row['cpu_growth_10x'])} | {_kb(row['bytes_1x'])} "
            f"| {_kb(row['bytes_10x'])} | {queries} | {', '.join(verdicts(row)) or '–'} |"
        )
    lines += ["", f"The whole run took {meta['seconds_total']} s."]
    return "\n".join(lines)


def write_results(report, output: Path):
    """The ``pages`` section of RESULTS.md, and ``pages`` and ``pages_meta`` in results.json."""
    results.write_results(
        output, section="pages", body=results_markdown(report), report=report["pages"], key="pages"
    )
    results.write_json(output, report["meta"], key="pages_meta")


def report_of(rows, *, command, rounds, seconds, cpu_runs, cpu_warmup, load_average, began,
              trivial_req_s=None, server=None):  # fmt: skip
    return {
        "pages": rows,
        "meta": {
            "command": command,
            **results.stamp(),
            "rounds": rounds,
            "seconds": seconds,
            "cpu_runs": cpu_runs,
            "cpu_warmup": cpu_warmup,
            "bars": BARS,
            "trivial_req_s": trivial_req_s,
            "trivial_cpu_ms": rows[0]["at"][next(iter(rows[0]["at"]))]["cpu_ms"],
            "machine": {**machine(), "load_average": load_average},
            "database": database(),
            "server": server,
            "sizes": {label: " ".join(["load_demo --replace", *o]) for label, o in SIZES.items()},
            "seconds_total": round(time.monotonic() - began),
        },
    }


# ---------------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.pages", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="wrk rounds (3)")
    parser.add_argument("--seconds", type=int, default=SECONDS, help="seconds per wrk run (3)")
    parser.add_argument("--cpu-runs", type=int, default=CPU_RUNS)
    parser.add_argument("--cpu-warmup", type=int, default=CPU_WARMUP)
    parser.add_argument("--quick", action="store_true", help="a smoke run: " + str(QUICK))
    parser.add_argument("--output", type=Path, default=HERE, help="where to write the results")
    parser.add_argument("--keep", action="store_true", help="keep the schemas bench_pages_*")
    parser.add_argument(
        "--command",
        default=os.environ.get("BENCH_COMMAND")
        or "python -m benchmarks.pages " + " ".join(argv if argv is not None else sys.argv[1:]),
    )
    args = parser.parse_args(argv)
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    if connection.vendor != "postgresql":
        parser.exit(2, "The page benchmark needs PostgreSQL: run `make bench-pages`.\n")
    try:
        load.require_tools()
    except load.LoadError as error:
        parser.exit(2, f"{error}\n")
    began = time.monotonic()
    data_sets = {label: functools.partial(use_schema, schema_for(label)) for label in SIZES}
    secret = settings.SECRET_KEY
    try:
        with contextlib.ExitStack() as stack:
            static_root = stack.enter_context(
                tempfile.TemporaryDirectory(prefix="coachloop-bench-static-")
            )
            _log("collecting the static files (beside building the data)")
            collecting = load.collect_static(Path(static_root), secret)
            stack.callback(collecting.kill)
            for label, options in SIZES.items():
                build(label, options)
            load.wait_for(collecting, "collectstatic")
            opened = signed_in(data_sets)
            load_average = {"before": _load()}
            _log(f"CPU in process: {args.cpu_warmup} warm-up rounds, {args.cpu_runs} timed")
            cpu = measure_cpu(data_sets, opened, runs=args.cpu_runs, warmup=args.cpu_warmup)
            _log("starting gunicorn per size")
            servers = {
                label: stack.enter_context(
                    load.Server(
                        database_url=load.database_url(connection.settings_dict, schema_for(label)),
                        secret_key=secret,
                        static_root=static_root,
                    )
                )
                for label in SIZES
            }
            _log(f"wrk: {args.rounds} rounds of {args.seconds} s per page and size")
            served, trivial_req_s = measure_load(
                servers, opened, rounds=args.rounds, seconds=args.seconds
            )
        load_average["after"] = _load()
    except (BenchError, load.LoadError) as error:
        parser.exit(2, f"{error}\n")
    finally:
        if not args.keep:
            drop_schemas(schema_for(label) for label in SIZES)
    rows = combine(opened, cpu, served)
    report = report_of(
        rows,
        command=args.command.strip(),
        rounds=args.rounds,
        seconds=args.seconds,
        cpu_runs=args.cpu_runs,
        cpu_warmup=args.cpu_warmup,
        load_average=load_average,
        began=began,
        trivial_req_s=trivial_req_s,
        server="gunicorn, 2 workers, COACHLOOP_ENV=production, DEBUG off, 127.0.0.1",
    )
    write_results(report, args.output)
    for row in rows:
        print(
            f"{row['name']:18} ratio {_figure(row['ratio_to_trivial'], 3)}  "
            f"cpu_ratio {row['cpu_ratio']:.3f}  growth {row['cpu_growth_10x']:.2f}  "
            f"KB {_kb(row['bytes_1x'])}/{_kb(row['bytes_10x'])}  {', '.join(verdicts(row))}"
        )
    _log(f"done in {report['meta']['seconds_total']} s")
    return report


if __name__ == "__main__":
    main()
