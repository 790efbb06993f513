"""``manage.py webhooks_catch_up``: collect, for every trust, the webhook events that no
write announced (a roster import's, written in bulk) and delete deliveries older than 30
days. ``enqueue_daily_work`` queues the same work for the task worker every day."""

from django.core.management.base import BaseCommand

from coachloop.api.tasks import webhooks_catch_up
from coachloop.people.models import Trust


class Command(BaseCommand):
    help = (
        "Collect the webhook events of the last two days that were not yet collected, and "
        "delete deliveries older than 30 days, for every trust."
    )

    def handle(self, *args, **options):
        collected = forgotten = 0
        for trust_id in Trust.objects.order_by("pk").values_list("pk", flat=True):
            done = webhooks_catch_up.call(trust_id)
            collected += done["collected"]
            forgotten += done["forgotten"]
        self.stdout.write(
            f"Collected {collected} webhook deliveries; deleted {forgotten} older than 30 days."
        )
