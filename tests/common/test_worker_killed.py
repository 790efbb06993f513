"""Killing the worker mid-task and starting another runs the task to completion exactly once.

A real ``manage.py db_worker`` process sends a trust's weekly digests (slowly: half a second
an email), and is killed with SIGKILL after two have gone. ``manage.py recover_tasks --worker``
(what the worker's service runs before it starts) queues the task again, and a second worker
finishes it: everyone gets their digest once, and nobody is left out.

The worker needs a database it shares with this test: on PostgreSQL the test database itself
(this test commits); on SQLite, whose test database lives in memory, a copy of it in a file,
made with SQLite's backup API once the data is set up.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from coachloop.common.tenancy import trust_scope
from coachloop.rollout import reminders
from coachloop.rollout.models import DigestSent
from coachloop.rollout.tasks import send_weekly_digests
from tests.common.database_urls import postgres_url
from tests.common.slow_mail import recipients
from tests.rollout.emails_fixtures import TODAY, coached

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[2]
SENT = DigestSent._meta.db_table
TASKS = DBTaskResult._meta.db_table


class SharedDatabase:
    """The test's database as another process reaches it, and a way to read it from here."""

    def __init__(self, folder):
        if connection.vendor == "sqlite":
            self.file = folder / "shared.sqlite3"
            connection.ensure_connection()
            with closing(sqlite3.connect(self.file)) as copy:
                connection.connection.backup(copy)
            self.url = f"sqlite:///{self.file}"
        else:
            self.file = None
            self.url = postgres_url(connection.settings_dict)

    def one(self, sql):
        if self.file is None:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()
        reader = sqlite3.connect(self.file, timeout=10)
        try:
            return reader.execute(sql).fetchone()
        finally:
            reader.close()


def manage(*args):
    return [sys.executable, str(REPO / "manage.py"), *args]


def wait_for(condition, *, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {seconds} seconds")
        time.sleep(0.05)


def test_killing_the_worker_mid_task_and_starting_another_sends_each_digest_once(world, tmp_path):
    for n in range(4):
        coached(world.own.school, world.people["other_coach"], f"Teacher {n}", last_visit=3)
    with trust_scope(world.trust):
        digests = reminders.weekly_digests(world.trust, today=TODAY)
    due = sorted([d.coach.email for d in digests.coaches] + [d.lead.email for d in digests.leads])
    assert len(due) >= 4
    result = send_weekly_digests.enqueue(world.trust.pk, TODAY.isoformat())
    task_id = result.id.replace("-", "") if connection.vendor == "sqlite" else result.id
    database = SharedDatabase(tmp_path)
    mail_folder = tmp_path / "mail"
    mail_folder.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "PYTHONPATH": str(REPO),
        "COACHLOOP_EMAIL_BACKEND": "tests.common.slow_mail.SlowFileBackend",
        "COACHLOOP_TEST_MAIL_DIR": str(mail_folder),
        "COACHLOOP_TEST_MAIL_DELAY": "0.5",
    }

    def status():
        return database.one(f"SELECT status, worker_ids FROM {TASKS} WHERE id = '{task_id}'")  # noqa: S608

    def sent():
        return database.one(f"SELECT COUNT(*) FROM {SENT}")[0]  # noqa: S608

    log = (tmp_path / "worker-1.log").open("w")
    first = subprocess.Popen(  # noqa: S603
        manage(
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0.1",
            "--worker-id=worker-1",
        ),
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: sent() >= 2, seconds=60)
        first.send_signal(signal.SIGKILL)  # in the middle of the third email
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(timeout=10)
        log.close()
    assert status()[0] == "RUNNING"
    assert len(recipients(mail_folder)) == sent() < len(due)

    recovered = subprocess.run(  # noqa: S603
        manage("recover_tasks", "--worker=worker-1"),
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "1 task(s) queued again" in recovered.stdout
    subprocess.run(  # noqa: S603
        manage("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--worker-id=worker-2"),
        env=env,
        cwd=REPO,
        capture_output=True,
        timeout=120,
        check=True,
    )

    state, workers = status()
    assert state == "SUCCESSFUL"
    assert "worker-1" in workers and "worker-2" in workers
    assert recipients(mail_folder) == due  # each once, nobody left out
    assert sent() == len(due)
