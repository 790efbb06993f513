"""Servers the tests start (the OpenID Connect provider, clamd): stopping one."""

import subprocess  # noqa: S404 — the tests' own helper servers


def stop(process, *, seconds=10):
    """Ask the process to end, and end it if it has not within ``seconds``."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
