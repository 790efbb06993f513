"""Tasks that survive a crash: what a worker killed mid-task leaves (the task RUNNING, claimed
by that worker) is queued again by ``manage.py recover_tasks`` and finished by the next worker;
a task stuck too many times is failed, saying why. (The real kill of a real worker process is
in test_worker_killed.py.)

These tests commit (``transaction=True``): the worker closes and reopens database connections.
"""

import datetime as dt
import io
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from coachloop.common.tenancy import scopes_disabled
from coachloop.rollout.models import DigestSent
from coachloop.rollout.tasks import send_weekly_digests
from tests.rollout.emails_fixtures import TODAY, coached, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def killed_while_running(result, *workers):
    """What ``db_worker`` leaves when killed after claiming ``result``, once per worker."""
    row = DBTaskResult.objects.get(pk=result.id)
    for worker in workers:
        row.claim(worker)
    return row


def recover(*workers):
    out = io.StringIO()
    call_command("recover_tasks", *(f"--worker={worker}" for worker in workers), stdout=out)
    return out.getvalue()


def status(result):
    return DBTaskResult.objects.get(pk=result.id).status


@pytest.fixture
def digests(world):
    for n in range(3):
        coached(world.own.school, world.own.coach, f"Teacher {n}", last_visit=3)
    return send_weekly_digests.enqueue(world.trust.pk, TODAY.isoformat())


def test_a_task_whose_worker_stopped_is_queued_again_and_the_next_worker_finishes_it(digests):
    killed_while_running(digests, "worker-1")

    assert "1 task(s) queued again" in recover("worker-1")
    assert status(digests) == TaskResultStatus.READY
    run_worker()

    row = DBTaskResult.objects.get(pk=digests.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(row.worker_ids) == 2  # two attempts
    recipients = [tuple(email.to) for email in mail.outbox]
    with scopes_disabled():
        recorded = DigestSent.objects.count()
    assert recipients and len(recipients) == len(set(recipients)) == recorded


def test_by_default_a_task_running_for_hours_is_left_to_its_worker(digests):
    """Age alone is for a worker that never came back: a long task on a live worker (a large
    roster apply) must not be queued again for a second worker to run at the same time."""
    row = killed_while_running(digests, "worker-1")
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=5, minutes=50)
    )

    assert "0 task(s) queued again" in recover()
    assert status(digests) == TaskResultStatus.RUNNING


def test_a_task_running_longer_than_the_limit_is_queued_again_whatever_its_worker(
    digests, settings
):
    settings.COACHLOOP_TASK_STUCK_MINUTES = 30
    row = killed_while_running(digests, "worker-1")
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=31)
    )

    assert "1 task(s) queued again" in recover()
    assert status(digests) == TaskResultStatus.READY


def test_a_task_running_within_the_limit_on_another_worker_is_left_alone(digests):
    killed_while_running(digests, "worker-1")

    assert "0 task(s) queued again" in recover("worker-2")
    assert status(digests) == TaskResultStatus.RUNNING


def test_a_task_stuck_too_many_times_is_failed_with_its_reason_and_logged(
    digests, settings, caplog
):
    settings.COACHLOOP_TASK_MAX_ATTEMPTS = 3
    killed_while_running(digests, "worker-1", "worker-1", "worker-1")

    with caplog.at_level(logging.ERROR, logger="coachloop.common.task_recovery"):
        assert "1 given up" in recover("worker-1")

    row = DBTaskResult.objects.get(pk=digests.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.finished_at is not None
    assert row.exception_class_path == "coachloop.common.task_recovery.TaskGivenUp"
    assert "Given up after 3 attempts: its worker worker-1 stopped while running it" in (
        row.traceback
    )
    assert "Given up after 3 attempts" in caplog.text
    run_worker()
    assert mail.outbox == []  # a failed task is not run again


def test_the_daily_job_queues_stuck_tasks_again_before_queueing_the_day_s_work(digests, settings):
    settings.COACHLOOP_TASK_STUCK_MINUTES = 30
    row = killed_while_running(digests, "worker-1")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - dt.timedelta(hours=5))

    out = io.StringIO()
    call_command("enqueue_daily_work", stdout=out)

    assert f"Queued again: {row.task_path} {row.pk}" in out.getvalue()
    assert status(digests) == TaskResultStatus.READY


def test_the_daily_job_fixes_the_digest_s_week_when_it_queues_it(world):
    call_command("enqueue_daily_work", "--digest", stdout=io.StringIO())

    queued = DBTaskResult.objects.filter(task_path=send_weekly_digests.module_path)
    assert {tuple(row.args_kwargs["args"]) for row in queued} == {
        (world.trust.pk, timezone.localdate().isoformat()),
        (world.other_trust.pk, timezone.localdate().isoformat()),
    }
