"""A real ClamAV daemon for the virus-check tests, started once per test session when
``clamd`` is installed (Debian's ``clamav-daemon``; ``.ci/run`` installs it), and stopped at the
end. It loads no downloaded signatures, only one of its own: ``tests.upload_files.TEST_VIRUS``,
so it starts in a second and finds exactly what the tests plant."""

import shutil
import subprocess  # noqa: S404 — starting the daemon the tests talk to
import tempfile
import time
from pathlib import Path

import pytest

from tests.processes import stop
from tests.upload_files import TEST_VIRUS

SIGNATURE = "Coachloop.Test.Signature"


def _clamd():
    return shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin")


@pytest.fixture(scope="session")
def clamd_socket():
    """The path of a running clamd's local socket; the test is skipped without clamd."""
    binary = _clamd()
    if binary is None:
        pytest.skip("clamd is not installed (apt-get install clamav-daemon)")
    folder = Path(tempfile.mkdtemp(prefix="coachloop-clamd-"))
    (folder / "db").mkdir()
    (folder / "db" / "coachloop.ndb").write_text(f"{SIGNATURE}:0:*:{TEST_VIRUS.hex()}\n")
    socket_path = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        f"LocalSocket {socket_path}\n"
        f"DatabaseDirectory {folder / 'db'}\n"
        "Foreground yes\n"
        f"LogFile {folder / 'clamd.log'}\n"
        "StreamMaxLength 20M\n"
    )
    process = subprocess.Popen(  # noqa: S603 — a fixed command, our own config
        [binary, "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not socket_path.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start:\n{log[-2000:]}")
            time.sleep(0.1)
        yield str(socket_path)
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def virus_check(settings, clamd_socket):
    """Every upload in the test goes through the real clamd."""
    settings.COACHLOOP_CLAMD_SOCKET = clamd_socket
    settings.COACHLOOP_CLAMD_ADDRESS = ""
    return clamd_socket
