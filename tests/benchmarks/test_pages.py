"""The page benchmark (`make bench-pages`): its in-process part measures every page it names
on the demo, a page that does not answer 200 stops the run, wrk's report is read, and the
results land in their own section and keys without losing the other benchmarks'. Neither wrk
nor gunicorn is needed here: the load side runs only in `make bench-pages`."""

import io
import json

import pytest
from django.core.management import call_command

from benchmarks import bench, load, pages
from coachloop.demo.build import MIN_STAFF_PER_SCHOOL
from tests.benchmarks.test_results import dashboards_report

pytestmark = pytest.mark.django_db

# wrk 4.1.0's report, captured (a page that answered, then one that did not).
WRK_OK = """\
Running 1s test @ http://127.0.0.1:18765/index.html
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.98ms    2.92ms  22.31ms   89.29%
    Req/Sec     1.51k   331.78     2.08k    70.00%
  Latency Distribution
     50%  830.00us
     75%    2.05ms
     90%    5.05ms
     99%   15.55ms
  1502 requests in 1.00s, 274.29KB read
Requests/sec:   1501.53
Transfer/sec:    274.21KB
"""
WRK_NOT_FOUND = """\
Running 1s test @ http://127.0.0.1:18765/missing
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.51ms    3.33ms  22.84ms   87.36%
    Req/Sec     1.19k   205.32     1.59k    63.64%
  Latency Distribution
     50%    0.94ms
     75%    3.30ms
     90%    6.79ms
     99%   16.64ms
  1305 requests in 1.10s, 662.88KB read
  Non-2xx or 3xx responses: 1305
Requests/sec:   1186.10
Transfer/sec:    602.48KB
"""
NAMES = [
    "trivial",
    "signed_in_static",
    "coach_home",
    "coachee",
    "teacher_home",
    "my_audit",
    "lead_home",
    "rollout_team",
    "leader_home",
    "school_dashboard",
    "trust_dashboard",
    "marking_queue",
    "programme_page",
    "assignment_page",
    "cohort_page",
    "framework_library",
]


def _same_data():
    """Both sizes in the one SQLite database: the test checks the measuring, not the sizes."""


DATA_SETS = {"1x": _same_data, "10x": _same_data}


@pytest.fixture
def demo():
    """The demo with the fewest staff it allows: every role and page, quickly."""
    teachers = str(MIN_STAFF_PER_SCHOOL)
    call_command("load_demo", "--replace", "--teachers-per-school", teachers, stdout=io.StringIO())


def _report(rows):
    return pages.report_of(
        rows,
        command="make bench-pages",
        rounds=0,
        seconds=0,
        cpu_runs=1,
        cpu_warmup=0,
        load_average={"before": None, "after": None},
        began=0,
    )


def test_every_page_answers_200_and_its_figures_go_under_pages_keeping_the_other_keys(
    demo, tmp_path
):
    earlier = {"roster_import": {"kept": 1}, "record_pdf": {"kept": 2}, "national": {"kept": 3}}
    (tmp_path / "results.json").write_text(json.dumps(earlier))

    opened = pages.signed_in(DATA_SETS)
    cpu = pages.measure_cpu(DATA_SETS, opened, runs=1, warmup=0)
    rows = pages.combine(opened, cpu)
    pages.write_results(_report(rows), tmp_path)

    assert [row["name"] for row in rows] == NAMES
    assert all(row["at"]["1x"]["cpu_ms"] > 0 and row["queries"] > 0 for row in rows[1:])
    assert rows[0]["cpu_ratio"] == 1.0  # the trivial page against itself
    results = json.loads((tmp_path / "results.json").read_text())
    assert [row["name"] for row in results["pages"]] == NAMES
    assert {"cpu_ratio", "cpu_growth_10x", "ratio_to_trivial", "url", "role"} <= set(
        results["pages"][2]
    )
    assert results["pages_meta"]["command"] == "make bench-pages"
    assert {k: results[k] for k in earlier} == earlier
    text = (tmp_path / "RESULTS.md").read_text()
    assert "## Pages against a trivial page" in text and "| coach_home | coach |" in text

    # `make bench` rewrites the top level and keeps the pages' keys and the national one.
    bench.write_results(dashboards_report(1.0), tmp_path)
    results = json.loads((tmp_path / "results.json").read_text())
    assert {"pages", "pages_meta", "national", "roster_import"} <= set(results)


@pytest.mark.parametrize(("url", "status"), [("/", 302), ("/no-such-page/", 404)])
def test_a_page_that_does_not_answer_200_stops_the_run(monkeypatch, url, status):
    monkeypatch.setattr(pages, "pages", lambda: [pages.Page("bad", "anonymous", None, url)])
    opened = pages.signed_in({"1x": _same_data})

    with pytest.raises(pages.BenchError, match=f"bad \\({url}\\) at 1x answered {status}"):
        pages.measure_cpu({"1x": _same_data}, opened, runs=1, warmup=0)


def test_wrk_report_gives_requests_per_second_and_latency():
    found = load.parse_wrk(WRK_OK, path="/index.html")

    assert found == {
        "req_s": 1501.53,
        "requests": 1502,
        "latency_ms": {"p50": 0.83, "p99": 15.55},
        "errors": 0,
    }


def test_a_page_wrk_saw_fail_stops_the_run_rather_than_timing_an_error_page():
    with pytest.raises(load.LoadError, match="answered 1305 times"):
        load.parse_wrk(WRK_NOT_FOUND, path="/missing")


def test_without_wrk_the_benchmark_says_which_apt_line_installs_it(monkeypatch):
    monkeypatch.setattr(load.shutil, "which", lambda name: None)

    with pytest.raises(load.LoadError, match="apt-get install -y wrk"):
        load.require_tools()


def test_the_server_reads_its_size_from_the_search_path_in_its_database_url():
    url = load.database_url(
        {"USER": "postgres", "HOST": "127.0.0.1", "PORT": 54341, "NAME": "coachloop_bench"},
        "bench_pages_10x",
    )

    assert url == (
        "postgres://postgres@127.0.0.1:54341/coachloop_bench"
        "?options=-c%20search_path%3Dbench_pages_10x"
    )
