"""Production settings pass Django's deployment checks, and bandit finds nothing serious;
a production server that trusts no proxy behind its TLS proxy is warned."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coachloop.people.checks import NO_TRUSTED_PROXY, sign_in_limits_see_past_the_proxy

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


def _production(*command, **changes):
    env = {**os.environ, **PRODUCTION_ENV, **changes}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_trusts_the_one_tls_proxy_it_assumes_by_default():
    show = "from django.conf import settings; print(settings.COACHLOOP_TRUSTED_PROXIES)"
    result = _production("shell", "--no-imports", "-c", show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"


def test_check_deploy_warns_when_production_is_told_to_trust_no_proxy():
    result = _production(
        "check", "--deploy", "--fail-level", "WARNING", COACHLOOP_TRUSTED_PROXIES="0"
    )
    assert result.returncode != 0
    assert NO_TRUSTED_PROXY in result.stderr + result.stdout
    assert "COACHLOOP_TRUSTED_PROXIES is 0" in result.stderr + result.stdout


def test_development_trusts_no_proxy_and_is_not_warned(settings):
    assert settings.COACHLOOP_TRUSTED_PROXIES == 0
    assert settings.SECURE_PROXY_SSL_HEADER is None
    assert sign_in_limits_see_past_the_proxy() == []


@pytest.mark.parametrize("proxies, warned", [(0, True), (1, False), (2, False)])
def test_a_proxy_header_with_no_trusted_proxy_is_warned(settings, proxies, warned):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.COACHLOOP_TRUSTED_PROXIES = proxies
    found = [warning.id for warning in sign_in_limits_see_past_the_proxy()]
    assert found == ([NO_TRUSTED_PROXY] if warned else [])


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
