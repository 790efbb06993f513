"""Logs an operator can use: text or JSON lines on the console, server errors mailed to
ADMINS (tests/common/test_error_pages.py), an optional Sentry hook, and database connections
that are tested before they are reused."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from coachloop.settings import env_admins

REPO = Path(__file__).resolve().parents[2]
LOG_SOME_LINES = """
import logging, django
django.setup()
logging.getLogger("coachloop.rollout.tasks").info("Sent %s reminders", 3)
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("django.request").exception("Internal Server Error: /somewhere/")
"""


def _run(code, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "coachloop.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_json_logging_writes_one_parseable_object_a_line():
    result = _run(LOG_SOME_LINES, COACHLOOP_LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert records[0]["message"] == "Sent 3 reminders"
    assert records[0]["level"] == "INFO"
    assert records[0]["logger"] == "coachloop.rollout.tasks"
    assert "time" in records[0]
    assert records[1]["level"] == "ERROR"
    assert "ZeroDivisionError" in records[1]["exc_info"]


def test_text_logging_is_the_default():
    result = _run(LOG_SOME_LINES)
    assert result.returncode == 0, result.stderr
    assert "INFO coachloop.rollout.tasks: Sent 3 reminders" in result.stderr


def test_an_unknown_log_format_is_refused_clearly():
    result = _run("import django; django.setup()", COACHLOOP_LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "COACHLOOP_LOG_FORMAT must be text or json" in result.stderr


def test_admins_are_read_as_names_and_addresses(monkeypatch):
    monkeypatch.setenv(
        "COACHLOOP_ADMINS", "Sam Patel <sam@example.org>, ops@example.org,  Jo Li <jo@example.org>"
    )
    assert env_admins("COACHLOOP_ADMINS") == [
        ("Sam Patel", "sam@example.org"),
        ("ops@example.org", "ops@example.org"),
        ("Jo Li", "jo@example.org"),
    ]


def test_no_admins_when_the_variable_is_not_set(monkeypatch):
    monkeypatch.delenv("COACHLOOP_ADMINS", raising=False)
    assert env_admins("COACHLOOP_ADMINS") == []


@pytest.mark.parametrize("blank", ["", "  "])
def test_no_admins_when_the_variable_is_blank_whatever_the_python(monkeypatch, blank):
    """Python 3.11.2's email parser (Debian 12's) reads "" as one empty address, which was
    refused, and so `make demo` failed on a clean Debian 12; the blank value is read first."""
    monkeypatch.setenv("COACHLOOP_ADMINS", blank)
    monkeypatch.setattr("coachloop.settings.getaddresses", lambda values: [("", "")])
    assert env_admins("COACHLOOP_ADMINS") == []


def test_an_admin_without_an_email_address_is_refused(monkeypatch):
    monkeypatch.setenv("COACHLOOP_ADMINS", "Sam Patel")
    with pytest.raises(ImproperlyConfigured, match="without an email address"):
        env_admins("COACHLOOP_ADMINS")


SENTRY_OPTIONS = """
import django, json
django.setup()
import sentry_sdk
options = sentry_sdk.get_client().options
print(json.dumps({"max_request_body_size": options["max_request_body_size"],
    **{key: options["data_collection"][key] for key in (
        "user_info", "cookies", "url_query_params", "http_bodies", "database_query_data",
        "queues", "stack_frame_variables")}}))
"""


# A server without the prod group: the import fails as it would with sentry-sdk absent.
WITHOUT_SENTRY = "import sys\nsys.modules['sentry_sdk'] = None\n"


def test_a_sentry_dsn_without_sentry_sdk_installed_says_what_to_install():
    result = _run(
        WITHOUT_SENTRY + SENTRY_OPTIONS, COACHLOOP_SENTRY_DSN="https://key@sentry.example.org/1"
    )
    assert result.returncode != 0
    assert "COACHLOOP_SENTRY_DSN is set but sentry-sdk is not installed" in result.stderr
    assert "make install-server" in result.stderr


def test_sentry_is_sent_no_person_cookies_request_bodies_or_variables():
    result = _run(SENTRY_OPTIONS, COACHLOOP_SENTRY_DSN="https://key@sentry.example.org/1")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "max_request_body_size": "never",
        "user_info": False,
        "cookies": {"mode": "off"},
        "url_query_params": {"mode": "off"},
        "http_bodies": [],
        "database_query_data": False,
        "queues": False,
        "stack_frame_variables": False,
    }


def test_database_connections_are_checked_before_they_are_reused():
    assert django_settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
