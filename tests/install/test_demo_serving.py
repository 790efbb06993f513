"""`make demo` serves as a server would, with debugging off: an address that leads nowhere is
Coachloop's own "Page not found" (not Django's debug page listing every address), and
WhiteNoise serves the static files. The tests read the demo's command line from `make -n demo`,
so they run what the Makefile runs."""

import os
import shlex
import shutil
import socket
import subprocess  # noqa: S404 — the demo's own command line
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.processes import stop

REPO = Path(__file__).resolve().parents[2]
PRODUCT_404 = "There is nothing here, or it is not yours to see."


def demo_command_line():
    """The environment and arguments of the demo's runserver line, as make would run it."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry_run = subprocess.run(  # noqa: S603
        ["make", "-n", "demo"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,  # noqa: S607
    ).stdout
    line = next(line for line in dry_run.splitlines() if " runserver " in line)
    words = shlex.split(line)
    env = dict(word.split("=", 1) for word in words if "=" in word and not word.startswith("-"))
    command = [word for word in words if word not in {f"{k}={v}" for k, v in env.items()}]
    return env, command


def demo_environment(tmp_path, extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACHLOOP_")}
    env.pop("DATABASE_URL", None)
    env.update(extra)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    env["COACHLOOP_STATIC_ROOT"] = str(tmp_path / "staticfiles")
    return env


def test_the_demo_runs_with_debugging_off():
    env, command = demo_command_line()
    assert env.get("COACHLOOP_DEBUG") == "0"
    assert command[-2] == "runserver"


def test_the_demo_starts_a_task_worker_beside_the_server_and_stops_it_with_the_server():
    """The record's PDF and the imports are made by the task worker: without one the demo
    teacher's PDF page would wait for ever."""
    dry_run = subprocess.run(  # noqa: S603
        ["make", "-n", "demo"],  # noqa: S607
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    worker = next(line for line in dry_run.splitlines() if " db_worker " in line)
    assert "COACHLOOP_DEBUG=0" in worker
    assert worker.rstrip(" \\").endswith("&")
    assert "trap 'kill $! 2>/dev/null' EXIT INT TERM" in dry_run


def test_the_demos_settings_have_debug_off_and_answer_an_unknown_address_with_the_product_404(
    tmp_path,
):
    env, _command = demo_command_line()
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "response = Client().get('/no-such-page/')\n"
        "print(settings.DEBUG, response.status_code)\n"
        "print(response.content.decode())\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=REPO,
        env={**demo_environment(tmp_path, env), "DJANGO_SETTINGS_MODULE": "coachloop.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    first, page = result.stdout.split("\n", 1)
    assert first == "False 404"
    assert PRODUCT_404 in page
    assert "URLconf" not in page


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def test_the_demo_server_serves_its_static_files_and_its_own_page_not_found(tmp_path):
    env, command = demo_command_line()
    environment = demo_environment(tmp_path, env)
    python, manage = command[0], command[1]
    subprocess.run(  # noqa: S603
        [python, manage, "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=REPO,
        env=environment,
        check=True,
        timeout=300,
    )
    address = f"127.0.0.1:{_free_port()}"
    server = subprocess.Popen(  # noqa: S603
        [*command[:-1], address, "--noreload"],
        cwd=REPO,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, page = _get(f"http://{address}/no-such-page/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        assert status == 404
        assert PRODUCT_404 in page and "URLconf" not in page
        css_status, css = _get(f"http://{address}/static/coachloop/coachloop.css")
        assert css_status == 200 and ".govuk-" in css
    finally:
        stop(server)
