"""The webhooks' background work (``manage.py db_worker`` runs it).

- ``webhooks_collect``: queued after the commit of a write whose event a webhook carries
  (``common.audit.listen``, registered in ``apps.py``), when the trust has an endpoint;
- ``webhook_deliver``: sends one delivery, and queues itself again for later when it fails
  (django-tasks never tries a task again by itself);
- ``webhooks_catch_up``: queued daily by ``enqueue_daily_work`` (and run by ``manage.py
  webhooks_catch_up``): collects what bulk writes left (a roster import writes its events
  with ``bulk_create``), queues again the deliveries left unsent (a worker that died, a task
  lost: ``deliver.waiting_too_long``), and deletes deliveries older than ``KEPT_FOR``.

Each is safe to run twice.
"""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from coachloop.api.models import WebhookDelivery, WebhookEndpoint
from coachloop.common.tenancy import scopes_disabled

KEPT_FOR = dt.timedelta(days=30)


@task()
def webhooks_collect(trust_id: int) -> int:
    from coachloop.api.webhooks.collect import webhooks_collect as collect

    with scopes_disabled():
        return len(collect(trust_id))


@task()
def webhook_deliver(delivery_id: int) -> str:
    from coachloop.api.webhooks.deliver import deliver

    with scopes_disabled():
        return deliver(delivery_id)


def deliveries_forget(trust_id, now=None):
    """Delete the trust's deliveries older than ``KEPT_FOR``: how many went."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    return WebhookDelivery.objects.filter(trust_id=trust_id, created_at__lt=cutoff).delete()[0]


def deliveries_queue_again(trust_id, now=None):
    """Queue again the trust's deliveries due but left unsent (to active endpoints; resuming
    a paused one queues its own): how many."""
    from coachloop.api.webhooks.deliver import waiting_too_long

    ids = list(
        WebhookDelivery.objects.filter(trust_id=trust_id, endpoint__is_active=True)
        .filter(waiting_too_long(now or timezone.now()))
        .values_list("pk", flat=True)
    )
    for pk in ids:
        webhook_deliver.enqueue(pk)
    return len(ids)


@task()
def webhooks_catch_up(trust_id: int) -> dict:
    from coachloop.api.webhooks.collect import CATCH_UP_OVERLAP
    from coachloop.api.webhooks.collect import webhooks_collect as collect

    with scopes_disabled():
        collected = len(collect(trust_id, overlap=CATCH_UP_OVERLAP))
        queued_again = deliveries_queue_again(trust_id)
        forgotten = deliveries_forget(trust_id)
    return {"collected": collected, "queued_again": queued_again, "forgotten": forgotten}


def collect_after_commit(trust_id):
    """The audit trail's listener: queue a collection when the trust has an endpoint."""
    with scopes_disabled():
        listening = WebhookEndpoint.objects.filter(trust_id=trust_id, is_active=True).exists()
    if listening:
        webhooks_collect.enqueue(trust_id)
