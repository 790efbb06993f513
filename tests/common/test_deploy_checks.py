"""Production settings pass Django's deployment checks, and bandit finds nothing serious."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "COACHLOOP_ENV": "production",
    "COACHLOOP_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-" + "y" * 20,
    "COACHLOOP_ALLOWED_HOSTS": "coaching.example.org",
    "DATABASE_URL": "sqlite:///" + str(REPO / "coachloop.sqlite3"),
}


def test_check_deploy_is_clean_with_production_settings():
    env = {**os.environ, **PRODUCTION_ENV}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # a test-only switch, never set in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, **PRODUCTION_ENV}
    env.pop("COACHLOOP_SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "COACHLOOP_SECRET_KEY must be set in production" in result.stderr


def test_bandit_reports_nothing_of_medium_severity_or_above():
    bandit = Path(sys.executable).parent / "bandit"
    result = subprocess.run(
        [str(bandit), "-q", "-r", "src", "--severity-level", "medium", "-f", "txt"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
