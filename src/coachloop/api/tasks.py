"""The webhooks' background work (``manage.py db_worker`` runs it).

- ``webhooks_collect``: queued after the commit of a write whose event a webhook carries
  (``common.audit.listen``, registered in ``apps.py``), when the trust has an endpoint;
- ``webhook_deliver``: sends one delivery, and queues itself again for later when it fails
  (django-tasks never tries a task again by itself);
- ``webhooks_catch_up``: queued daily by ``enqueue_daily_work`` (and run by ``manage.py
  webhooks_catch_up``): collects what bulk writes left (a roster import writes its events
  with ``bulk_create``), and deletes deliveries older than ``KEPT_FOR``.

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


@task()
def webhooks_catch_up(trust_id: int) -> dict:
    from coachloop.api.webhooks.collect import CATCH_UP_OVERLAP
    from coachloop.api.webhooks.collect import webhooks_collect as collect

    with scopes_disabled():
        collected = len(collect(trust_id, overlap=CATCH_UP_OVERLAP))
        forgotten = deliveries_forget(trust_id)
    return {"collected": collected, "forgotten": forgotten}


def collect_after_commit(trust_id):
    """The audit trail's listener: queue a collection when the trust has an endpoint."""
    with scopes_disabled():
        listening = WebhookEndpoint.objects.filter(trust_id=trust_id, is_active=True).exists()
    if listening:
        webhooks_collect.enqueue(trust_id)
