"""``manage.py recover_tasks``: queue again the background tasks a dead worker left running.

Run it as each worker's service starts, naming the worker about to start (``--worker``), and
from the daily job (``enqueue_daily_work`` runs it first). See ``common.task_recovery``.
"""

from django.core.management.base import BaseCommand

from coachloop.common.task_recovery import recover_tasks


class Command(BaseCommand):
    help = (
        "Queue again each background task stuck RUNNING: claimed by a worker named with "
        "--worker, which must not be running, or running for longer than "
        "COACHLOOP_TASK_STUCK_MINUTES (its worker presumed dead). A task stuck "
        "COACHLOOP_TASK_MAX_ATTEMPTS times is marked failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--worker",
            action="append",
            default=[],
            metavar="ID",
            help=(
                "A worker id (as given to `db_worker --worker-id`) known to be stopped: its "
                "running tasks are queued again whatever their age. May be repeated."
            ),
        )

    def handle(self, *args, worker, **options):
        recovered = recover_tasks(gone_workers=worker)
        for line in recovered.lines():
            self.stdout.write(line)
        self.stdout.write(
            f"{len(recovered.requeued)} task(s) queued again, {len(recovered.given_up)} given up."
        )
