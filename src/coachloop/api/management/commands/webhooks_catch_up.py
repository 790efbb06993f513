"""``manage.py webhooks_catch_up``: collect, for every trust, the webhook events that no
write announced (a roster import's, written in bulk), queue again the deliveries left
unsent, and delete deliveries older than 30 days. ``enqueue_daily_work`` queues the same
work for the task worker every day."""

from django.core.management.base import BaseCommand

from coachloop.api.tasks import webhooks_catch_up
from coachloop.people.models import Trust


class Command(BaseCommand):
    help = (
        "Collect the webhook events of the last two days that were not yet collected, queue "
        "again the deliveries left unsent, and delete deliveries older than 30 days, for "
        "every trust."
    )

    def handle(self, *args, **options):
        collected = queued_again = forgotten = 0
        for trust_id in Trust.objects.order_by("pk").values_list("pk", flat=True):
            done = webhooks_catch_up.call(trust_id)
            collected += done["collected"]
            queued_again += done["queued_again"]
            forgotten += done["forgotten"]
        self.stdout.write(
            f"Collected {collected} webhook deliveries; queued {queued_again} again; "
            f"deleted {forgotten} older than 30 days."
        )
