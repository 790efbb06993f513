"""/healthz: 200 when the database, the storage and the task queue are well; 503 naming the
check that failed; plain, personal-data-free and never cached."""

import datetime as dt
import socket

import pytest
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, TaskResultStatus
from health_check import checks as library_checks

from coachloop.rollout.tasks import send_due_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _storage_in_a_temporary_folder(media):
    return media


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_down(monkeypatch, tmp_path):
    """The check's database is one that cannot be reached: a fresh connection with the test
    database's settings but a closed port (PostgreSQL) or a file that cannot be opened
    (SQLite). The test's own connection is untouched."""
    unreachable = connections["default"].copy()
    if unreachable.vendor == "sqlite":
        unreachable.settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    else:
        unreachable.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    monkeypatch.setattr(library_checks, "connections", {"default": unreachable})
    yield
    unreachable.close()


def _queued(*, minutes_ago, status=TaskResultStatus.READY):
    result = send_due_reminders.enqueue(1)
    when = timezone.now() - dt.timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=when, status=status, started_at=when if status != "READY" else None
    )


def test_it_answers_200_when_the_database_storage_and_queue_are_well(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode() == "database: OK\nstorage: OK\ntask queue: OK\n"
    assert "no-store" in response["Cache-Control"]


def test_it_answers_without_signing_in_and_sets_no_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert not response.cookies


def test_it_answers_json_when_asked(client):
    response = client.get("/healthz", HTTP_ACCEPT="application/json")
    assert response.json() == {"database": "OK", "storage": "OK", "task queue": "OK"}


def test_it_answers_503_naming_the_database_when_the_database_cannot_be_reached(
    client, database_down
):
    response = client.get("/healthz")
    assert response.status_code == 503
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("database: Unavailable")
    assert lines[1:] == ["storage: OK", "task queue: OK"]


def test_it_leaves_no_file_behind_in_the_storage(client, media):
    client.get("/healthz")
    assert not media.exists() or not any(media.iterdir())


def test_it_answers_503_when_a_task_has_waited_too_long_to_start(client, settings):
    settings.COACHLOOP_HEALTH_QUEUE_MAX_MINUTES = 30
    _queued(minutes_ago=31)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert (
        "task queue: Unavailable: 1 task(s) waiting more than 30 minutes to start"
        in response.content.decode()
    )


def test_a_task_queued_a_moment_ago_or_finished_long_ago_is_healthy(client, settings):
    settings.COACHLOOP_HEALTH_QUEUE_MAX_MINUTES = 30
    _queued(minutes_ago=1)
    _queued(minutes_ago=600, status=TaskResultStatus.SUCCESSFUL)
    assert client.get("/healthz").status_code == 200


def test_a_task_to_run_later_is_not_waiting_until_its_time(client, settings):
    settings.COACHLOOP_HEALTH_QUEUE_MAX_MINUTES = 30
    later = timezone.now() + dt.timedelta(hours=1)
    result = send_due_reminders.using(run_after=later).enqueue(1)
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(hours=2)
    )
    assert client.get("/healthz").status_code == 200


def test_it_answers_503_when_a_task_has_been_running_far_too_long(client, settings):
    settings.COACHLOOP_HEALTH_TASK_RUNNING_MAX_MINUTES = 120
    _queued(minutes_ago=121, status=TaskResultStatus.RUNNING)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "task queue: Unavailable: 1 task(s) running for more than 120 minutes" in (
        response.content.decode()
    )


def test_the_web_check_answers_200_naming_the_database_and_storage_only(client):
    response = client.get("/healthz/web")
    assert response.status_code == 200
    assert response.content.decode() == "database: OK\nstorage: OK\n"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_a_stopped_worker_fails_the_full_check_but_not_the_web_check(client, settings):
    """A load balancer asks /healthz/web: a queue that is not moving is for a monitor to
    report, not a reason to take every web server out of service."""
    settings.COACHLOOP_HEALTH_QUEUE_MAX_MINUTES = 30
    _queued(minutes_ago=31)

    assert client.get("/healthz").status_code == 503
    assert client.get("/healthz/web").status_code == 200


def test_the_web_check_answers_503_when_the_database_cannot_be_reached(client, database_down):
    response = client.get("/healthz/web")
    assert response.status_code == 503
    assert response.content.decode().startswith("database: Unavailable")


def test_a_load_balancer_may_ask_over_plain_http_when_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz/web").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
