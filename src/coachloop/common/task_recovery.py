"""Background tasks that survive a crash: a task left RUNNING by a worker that died is queued
again, and given up (FAILED, with the reason) after ``COACHLOOP_TASK_MAX_ATTEMPTS`` tries.

``manage.py db_worker`` (django_tasks_db) claims a task by setting it RUNNING, stamping
``started_at`` and adding its worker id to ``worker_ids``; a worker killed while running it
(out of memory, a reboot, ``kill -9``) leaves it RUNNING for ever. A task is stuck when

- the worker that claimed it is known to be gone: ``recover_tasks --worker <id>`` is run as
  the worker's own service starts (before ``db_worker --worker-id <id>``), when that worker
  cannot be running anything. This recovers the usual crash at once; or
- it has been RUNNING for longer than ``COACHLOOP_TASK_STUCK_MINUTES`` (six hours by
  default, far longer than any task runs), when its worker is presumed dead: the backstop for
  a worker that never comes back.

Each claim adds to ``worker_ids``, so its length is the number of attempts. Every task of ours
is safe to run twice, even at the same time (what it did is recorded under a unique
constraint or its row is re-read under a lock, and a second run skips it), so queueing one
again is safe even when a very slow worker turns out to be alive after all.

Apps whose tasks leave something of their own behind (an import "being checked") listen to
``task_given_up`` and register a sweep with ``also_recover`` from their ``AppConfig.ready()``.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.dispatch import Signal
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# Sent when a task is given up, with ``task_path``, ``args``, ``kwargs`` and ``reason``.
task_given_up = Signal()

_sweeps = []


class TaskGivenUp(Exception):
    """Recorded as the failure of a task that was stuck too many times."""


def also_recover(sweep):
    """Run ``sweep(now=...)`` after every recovery; it returns a list of lines to report."""
    if sweep not in _sweeps:
        _sweeps.append(sweep)


def stuck_limit():
    return dt.timedelta(minutes=settings.COACHLOOP_TASK_STUCK_MINUTES)


@dataclass
class Recovered:
    requeued: list = field(default_factory=list)
    given_up: list = field(default_factory=list)
    swept: list = field(default_factory=list)

    def lines(self):
        return [
            *(f"Queued again: {row.task_path} {row.pk}" for row in self.requeued),
            *(f"Given up: {row.task_path} {row.pk}" for row in self.given_up),
            *self.swept,
        ]


def _why_stuck(row, gone_workers, since):
    if row.worker_ids and row.worker_ids[-1] in gone_workers:
        return f"its worker {row.worker_ids[-1]} stopped while running it"
    if row.started_at is None or row.started_at < since:
        return f"it was running for more than {settings.COACHLOOP_TASK_STUCK_MINUTES} minutes"
    return None


def recover_tasks(*, gone_workers=(), now=None):
    """Queue again, or give up, every stuck task; then run each app's sweep."""
    now = now or timezone.now()
    since = now - stuck_limit()
    recovered = Recovered()
    for row in DBTaskResult.objects.running().order_by("started_at"):
        reason = _why_stuck(row, set(gone_workers), since)
        if reason is not None:
            _recover(row, reason, now, recovered)
    for sweep in _sweeps:
        recovered.swept.extend(sweep(now=now))
    return recovered


def _recover(row, reason, now, recovered):
    # Only if it is still the same claim: a worker finishing it meanwhile wins.
    same_claim = DBTaskResult.objects.filter(
        pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
    )
    attempts = len(row.worker_ids)
    if attempts < settings.COACHLOOP_TASK_MAX_ATTEMPTS:
        if same_claim.update(status=TaskResultStatus.READY, started_at=None):
            logger.warning(
                "Task %s (%s) queued again after attempt %s: %s.",
                row.pk,
                row.task_path,
                attempts,
                reason,
            )
            recovered.requeued.append(row)
        return
    why = f"Given up after {attempts} attempts: {reason}."
    failed = same_claim.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        return_value=None,
        exception_class_path=f"{TaskGivenUp.__module__}.{TaskGivenUp.__qualname__}",
        traceback=f"{TaskGivenUp.__module__}.{TaskGivenUp.__qualname__}: {why}\n",
    )
    if failed:
        logger.error("Task %s (%s) failed. %s", row.pk, row.task_path, why)
        recovered.given_up.append(row)
        task_given_up.send(
            sender=DBTaskResult,
            task_path=row.task_path,
            args=row.args_kwargs.get("args", []),
            kwargs=row.args_kwargs.get("kwargs", {}),
            reason=why,
        )


def live_tasks(task_paths):
    """The arguments of the tasks of ``task_paths`` that are queued or running."""
    return [
        row.args_kwargs
        for row in DBTaskResult.objects.filter(
            task_path__in=list(task_paths),
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).only("args_kwargs")
    ]
