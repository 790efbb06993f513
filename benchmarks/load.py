"""The page benchmark's load side: a production-like server on loopback and wrk against it.

``Server`` runs gunicorn (the ``prod`` dependency group) with Coachloop's production settings,
debugging off and two workers, on 127.0.0.1 and a free port, over one PostgreSQL schema (its
``search_path``), and stops it when done. ``wrk`` runs the load tool (Debian's ``wrk``: C, light
on the cores the server needs) and ``parse_wrk`` reads its requests per second. ``fetch`` asks
for a page once, to check it answers 200 and to weigh its body.
"""

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess  # nosec B404
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
WRK_MISSING = (
    "wrk is not installed: the page benchmark loads the server with it. Install it with\n"
    "  sudo apt-get install -y wrk\n"
    "(Debian 12 and Ubuntu 24.04 have it), or as root `scripts/check-system --bench --install`."
)
GUNICORN_MISSING = (
    "gunicorn is not installed in the virtual environment: run `make install` (it syncs the "
    "prod dependency group)."
)
HEADERS = {"X-Forwarded-Proto": "https"}  # production sits behind one TLS proxy


class LoadError(Exception):
    pass


def require_tools():
    """wrk and gunicorn, or a LoadError saying exactly how to install what is missing."""
    if shutil.which("wrk") is None:
        raise LoadError(WRK_MISSING)
    if not (VENV_BIN / "gunicorn").exists():
        raise LoadError(GUNICORN_MISSING)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(settings_dict, schema) -> str:
    """A DATABASE_URL for the server: the benchmark's own database, in one schema."""
    user = urllib.parse.quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{urllib.parse.quote(password)}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    options = urllib.parse.quote(f"-c search_path={schema}")
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}?options={options}"


class Server:
    """gunicorn serving Coachloop as production does, on 127.0.0.1, over one schema."""

    def __init__(self, *, database_url, secret_key, static_root, workers=2, timeout=60):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "COACHLOOP_ENV": "production",
            "COACHLOOP_DEBUG": "0",
            # The benchmark signs people in itself (their sessions in the database), so the
            # server must sign with the same key.
            "COACHLOOP_SECRET_KEY": secret_key,
            "COACHLOOP_ALLOWED_HOSTS": "127.0.0.1",
            "COACHLOOP_DB_CONN_MAX_AGE": "60",
            "COACHLOOP_STATIC_ROOT": str(static_root),
            "DATABASE_URL": database_url,
        }
        self.env.pop("SENTRY_DSN", None)
        self.command = [
            str(VENV_BIN / "gunicorn"),
            "coachloop.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{self.port}",
            f"--timeout={timeout}",
            "--log-level=warning",
        ]
        self.process = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__)

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603  # nosec B603
            self.command, env=self.env, cwd=REPO, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LoadError(f"gunicorn stopped as it started:\n{self.output()}")
            try:
                status, _body = fetch(self.base, "/healthz")
                if status:
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise LoadError(f"gunicorn did not answer within a minute:\n{self.output()}")

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __exit__(self, *exc):
        self.stop()
        self.log.close()


def collect_static(target: Path, secret_key):
    """Start collecting the static files a production server serves (hashed names,
    compressed) into target: it takes minutes, so it runs while the data is built. Returns
    the process; ``wait_for`` it before starting a server."""
    env = {
        **os.environ,
        "COACHLOOP_ENV": "production",
        "COACHLOOP_SECRET_KEY": secret_key,
        "COACHLOOP_STATIC_ROOT": str(target),
    }
    return subprocess.Popen(  # noqa: S603  # nosec B603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        env=env,
        cwd=REPO,
    )


def wait_for(process, what):
    if process.wait(timeout=1800) != 0:
        raise LoadError(f"{what} failed (exit {process.returncode}).")


def random_secret():
    return secrets.token_urlsafe(50)


def cookie_header(session_key):
    return {"Cookie": f"sessionid={session_key}"} if session_key else {}


def fetch(base, path, *, session_key=None):
    """One GET: (status, body bytes). Redirects are not followed: a redirect is a failure."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request("GET", path, headers={**HEADERS, **cookie_header(session_key)})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wrk(base, path, *, seconds, session_key=None, connections=2, threads=1) -> dict:
    """wrk against one page: its parsed summary (``parse_wrk``)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in {**HEADERS, **cookie_header(session_key)}.items():
        command += ["-H", f"{name}: {value}"]
    command.append(base + path)
    finished = subprocess.run(  # noqa: S603  # nosec B603
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if finished.returncode != 0:
        raise LoadError(f"wrk failed on {path}: {finished.stderr or finished.stdout}")
    return parse_wrk(finished.stdout, path=path)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * _UNITS[unit], 3)


def parse_wrk(output, *, path=""):
    """wrk's report: ``req_s``, ``requests``, ``latency_ms`` (50%, 99%) and ``errors`` (non-2xx
    or 3xx answers, socket errors). A page that answered anything but 2xx even once fails: its
    rate would measure an error page."""
    found = re.search(r"Requests/sec:\s*([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if not found or not total:
        raise LoadError(f"wrk's output has no request rate for {path}:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    socket_errors = re.search(r"Socket errors:(.*)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"(\d+)", socket_errors.group(1)))
    if non_2xx:
        raise LoadError(f"{path} answered {non_2xx.group(1)} times with neither 2xx nor 3xx")
    latency = dict(re.findall(r"^\s*(50|99)%\s+(\S+)$", output, flags=re.M))
    return {
        "req_s": float(found.group(1)),
        "requests": int(total.group(1)),
        "latency_ms": {f"p{k}": _ms(v) for k, v in latency.items()},
        "errors": errors,
    }
