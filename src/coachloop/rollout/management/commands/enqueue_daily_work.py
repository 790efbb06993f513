"""``manage.py enqueue_daily_work``: queue the day's background work for every trust.

Meant to run once a day from cron; ``manage.py db_worker`` then does the work. Due reminders
are queued every day, weekly digests on Mondays (or with ``--digest``), the insights
rollups when that app provides its task, and the erasure of what each trust's retention
period has run out for (``people.tasks.erase_expired``), and the webhooks' catch-up
(``api.tasks.webhooks_catch_up``: bulk writes' events, deliveries older than 30 days
deleted); it deletes prepared downloads
older than a day (``common.downloads``) itself. It first queues again any task a dead
worker left running (``recover_tasks``), so nothing stays stuck for more than a day even
without a restart.
"""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from coachloop.common import downloads
from coachloop.common.submissions import forget_old_tokens
from coachloop.common.task_recovery import recover_tasks
from coachloop.people.models import Trust
from coachloop.people.tasks import erase_expired
from coachloop.rollout.tasks import send_due_reminders, send_weekly_digests

MONDAY = 0
ROLLUPS_MODULE = "coachloop.insights.tasks"
WEBHOOKS_MODULE = "coachloop.api.tasks"


def _higher_task(module_name, task_name):
    """A task of an app above this one (found by name: this layer may not import it), or
    ``None`` while it does not exist."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name in (module_name, module_name.rpartition(".")[0]):
            return None
        raise  # the module exists but something it imports is missing: a real error
    found = getattr(module, task_name, None)
    return found if hasattr(found, "enqueue") else None


def rollups_task():
    """The insights app's ``rollups_update`` task, or ``None`` while it does not exist."""
    return _higher_task(ROLLUPS_MODULE, "rollups_update")


def webhooks_task():
    """The API's ``webhooks_catch_up`` task (bulk writes' events; old deliveries deleted)."""
    return _higher_task(WEBHOOKS_MODULE, "webhooks_catch_up")


class Command(BaseCommand):
    help = (
        "Queue today's background work for every trust: due reminders every day, weekly "
        "digests on Mondays, and the insights rollups. Run it once a day from cron, with "
        "`manage.py db_worker` running to do the work."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--digest",
            action="store_true",
            help="Queue the weekly digests even though today is not a Monday.",
        )

    def handle(self, *args, digest=False, **options):
        for line in recover_tasks().lines():
            self.stdout.write(line)
        forgotten = forget_old_tokens()
        if forgotten:
            self.stdout.write(f"Forgot {forgotten} form token(s) older than a week.")
        expired = downloads.expire()
        if expired:
            self.stdout.write(f"Deleted {expired} prepared download(s) older than a day.")
        today = timezone.localdate()
        with_digest = digest or today.weekday() == MONDAY
        rollups_update = rollups_task()
        webhooks_catch_up = webhooks_task()
        trust_ids = list(Trust.objects.order_by("pk").values_list("pk", flat=True))
        # All or nothing: a run that stops half way can simply be run again.
        with transaction.atomic():
            for trust_id in trust_ids:
                send_due_reminders.enqueue(trust_id)
                if with_digest:
                    # The week is fixed when queued: a run tried again later (after its
                    # worker died) still sends that week's digests, never skips them.
                    send_weekly_digests.enqueue(trust_id, today.isoformat())
                if rollups_update is not None:
                    rollups_update.enqueue(trust_id)
                erase_expired.enqueue(trust_id)
                if webhooks_catch_up is not None:
                    webhooks_catch_up.enqueue(trust_id)
        queued = ["due reminders", "erasure of expired records"]
        if with_digest:
            queued.append("weekly digests")
        if rollups_update is not None:
            queued.append("rollups")
        if webhooks_catch_up is not None:
            queued.append("webhooks' catch-up")
        self.stdout.write(f"Queued {', '.join(queued)} for {len(trust_ids)} trust(s).")
