"""How soon the demo teacher sees something after asking for their record as a PDF, and how
long the task worker then takes to make it.

    make bench-pdf                           # rewrites its part of RESULTS.md
    python -m benchmarks.record_pdf --help

It builds the demo (``manage.py load_demo``, as ``make demo`` does) in a new SQLite database
in a temporary folder, then, in a fresh process of its own (``DEBUG`` off), signs in as the
demo teacher and times:

- the process's first request (the "Download my record" page): it loads the URLs and views,
  as a worker's first request of any page does;
- **asking**: the POST of "Download my record as a PDF" (saving the download, its audit
  events and queueing the task) plus the GET of the page it leads to, which follows the file
  being made: what the teacher waits for before seeing anything. The first time in the
  process, then the median of the rounds after it;
- **making**: ``common.downloads.download_build`` as the worker runs it (reading the record,
  drawing the tagged PDF with WeasyPrint): the first time in the process (WeasyPrint imported
  and its fonts found), then the median of the rounds after it.

The goal: the teacher's page appears within 1 s, the first time too.
"""

import argparse
import io
import json
import os
import platform
import statistics
import subprocess  # nosec B404
import sys
import tempfile
import time
import warnings
from pathlib import Path

import django

from benchmarks import results

HERE = Path(__file__).resolve().parent
KEY = "record_pdf"
SECTION = "record-pdf"
GOAL_SECONDS = 1.0
TEACHER = "teacher@riverside.example.org"


def _log(message):
    print(f"[bench-pdf] {message}", file=sys.stderr, flush=True)


def _measure(rounds):
    """In the child process, on the demo database DATABASE_URL names: the timings."""
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse
    from pypdf import PdfReader

    from coachloop.common import downloads
    from coachloop.common.models import PreparedDownload
    from coachloop.common.tenancy import scopes_disabled
    from coachloop.people.models import User

    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    call_command("load_demo", "--replace", stdout=open(os.devnull, "w"))  # noqa: SIM115
    demo_seconds = time.perf_counter() - started
    teacher = User.objects.get(email=TEACHER)
    asking, making, pages = [], [], None
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="No directory at")
        client = Client()
        client.force_login(teacher)
        # The process's first request loads the URLs and views, whatever the page: a worker
        # that has served anything has done this already.
        began = time.perf_counter()
        assert client.get(reverse("coaching:portability_download")).status_code == 200
        first_request = time.perf_counter() - began
        for _ in range(rounds + 1):
            began = time.perf_counter()
            asked = client.post(reverse("coaching:portability_pdf"))
            page = client.get(asked["Location"])
            asking.append(time.perf_counter() - began)
            assert page.status_code == 200 and b"Your file is being made" in page.content
            with scopes_disabled():
                download = PreparedDownload.objects.filter(owner=teacher).latest("pk")
            began = time.perf_counter()
            status = downloads.download_build(download.pk)
            making.append(time.perf_counter() - began)
            assert status == PreparedDownload.Status.READY, status
            if pages is None:
                with scopes_disabled():
                    body = bytes(PreparedDownload.objects.get(pk=download.pk).body)
                pages, size = len(PdfReader(io.BytesIO(body)).pages), len(body)
    return {
        "demo_seconds": round(demo_seconds, 1),
        "first_request": first_request,
        "asking_first": asking[0],
        "asking_median": statistics.median(asking[1:]),
        "making_first": making[0],
        "making_median": statistics.median(making[1:]),
        "pdf_bytes": size,
        "pdf_pages": pages,
        "rounds": rounds,
    }


def _in_child(args):
    with tempfile.TemporaryDirectory(prefix="coachloop-pdf-bench-") as folder:
        out = Path(folder) / "report.json"
        command = [sys.executable, "-m", "benchmarks.record_pdf", "--child", str(out)]
        command += ["--rounds", str(args.rounds)]
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "DATABASE_URL": f"sqlite:///{folder}/pdf-bench.sqlite3",
            "COACHLOOP_DEBUG": "0",
            "COACHLOOP_MEDIA_ROOT": str(Path(folder) / "media"),
        }
        # Compiled as an installed server's are: otherwise the first request pays for it.
        compile_all = [sys.executable, "-m", "compileall", "-q", "-j", "0", "src", sys.prefix]
        subprocess.run(compile_all, cwd=HERE.parent, check=False, timeout=1800)  # noqa: S603  # nosec B603
        subprocess.run(command, env=env, cwd=HERE.parent, check=True, timeout=1800)  # noqa: S603  # nosec B603
        return json.loads(out.read_text())


def _seconds(value):
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _body(report):
    figures = report["figures"]
    meets = "meets" if figures["asking_first"] <= GOAL_SECONDS else "misses"
    return "\n".join(
        [
            "## The demo teacher's record as a PDF",
            "",
            *results.measured_by(report),
            "which rewrites this section and the `record_pdf` part of `benchmarks/results.json`. "
            "The demo is built (`load_demo`, as `make demo` does: "
            f"{figures['demo_seconds']} s) in a new SQLite database; then, in a fresh process "
            "with `DEBUG` off and Python's bytecode compiled beforehand (as an installed "
            'server\'s is), the demo teacher opens "Download my record" and asks for their '
            "record as a PDF, through `django.test.Client`; the task worker's step is run in the "
            "same process. "
            f"Medians are of {figures['rounds']} rounds after the first.",
            "",
            "| What | First time in the worker | Median after |",
            "|---|---:|---:|",
            "| The worker's first request, any page (here the teacher's \"Download my record\": "
            "it loads the URLs and views) "
            f"| {_seconds(figures['first_request'])} | |",
            "| Asking: the POST and the page that follows the file being made (what the "
            f"teacher waits for) | **{_seconds(figures['asking_first'])}** ({meets} ≤ 1 s) "
            f"| {_seconds(figures['asking_median'])} |",
            "| Making: the worker reads the record and draws the tagged PDF "
            f"({figures['pdf_pages']} pages, {figures['pdf_bytes'] // 1024} KB) "
            f"| {_seconds(figures['making_first'])} | {_seconds(figures['making_median'])} |",
            "",
            "Making the PDF takes seconds, and a longer record takes longer (the time grows with "
            "its pages), which is why the task worker makes it while the teacher's page follows "
            "it, rather than the request. The first request a worker serves, of any page, loads "
            "the URLs and views; every request after it is as quick as the median.",
            "",
            "### Machine",
            "",
            f"- {report['machine']['cpu']}, {report['machine']['cores']} cores; "
            f"{report['machine']['os']}",
            f"- Python {report['machine']['python']}, Django {report['machine']['django']}",
            "- The one-minute load average was "
            f"{report['load_before']} when the timing began and {report['load_after']} when it "
            "ended (the machine is shared).",
        ]
    )


def _cpu():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds after the first")
    parser.add_argument("--output", type=Path, default=HERE, help="where RESULTS.md is")
    parser.add_argument(
        "--command",
        default=os.environ.get("BENCH_COMMAND", "make bench-pdf"),
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.child.write_text(json.dumps(_measure(args.rounds)))
        return
    load_before = round(os.getloadavg()[0], 2)
    _log("building the demo and timing the PDF in a process of its own")
    figures = _in_child(args)
    report = {
        **results.stamp(),
        "command": args.command,
        "figures": figures,
        "goal_seconds": GOAL_SECONDS,
        "load_before": load_before,
        "load_after": round(os.getloadavg()[0], 2),
        "machine": {
            "cpu": _cpu(),
            "cores": os.cpu_count(),
            "os": platform.platform(),
            "python": platform.python_version(),
            "django": django.get_version(),
        },
    }
    results.write_results(args.output, section=SECTION, body=_body(report), report=report, key=KEY)
    _log(
        f"asking: {_seconds(figures['asking_first'])} first, making: "
        f"{_seconds(figures['making_first'])} first; updated {args.output / 'RESULTS.md'}"
    )


if __name__ == "__main__":
    main()
