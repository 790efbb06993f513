"""From the audit trail to deliveries: one per (endpoint, event) the endpoint's token may see.

An endpoint's ``cursor`` is the last event it has looked at. PostgreSQL commits out of id
order (a long transaction's events become visible after later ones'), so each run also looks
again at the events of the last ``OVERLAP`` (the daily catch-up at the last two days'); the
unique (endpoint, event) constraint makes looking twice harmless. An endpoint hears only of
events after it was added, and nothing once it is paused or its token stops working.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from coachloop.api.models import WebhookDelivery, WebhookEndpoint
from coachloop.api.webhooks.events import VERBS_OF_TYPE, token_works
from coachloop.api.webhooks.payloads import Payloads
from coachloop.common.models import AuditEvent

OVERLAP = dt.timedelta(hours=1)
CATCH_UP_OVERLAP = dt.timedelta(days=2)
BATCH = 500  # events looked at in one transaction


def _verbs(endpoint):
    return {verb for name in endpoint.events for verb in VERBS_OF_TYPE.get(name, ())}


def _listening(trust_id, now):
    endpoints = (
        WebhookEndpoint.objects.filter(trust_id=trust_id, is_active=True)
        # Two runs at once take turns: the second finds the first's deliveries made.
        .select_for_update(of=("self",))
        .select_related("token__user")
        .prefetch_related("token__schools")
    )
    return [e for e in endpoints if e.events and token_works(e.token, now)]


def webhooks_collect(trust_id, *, overlap=OVERLAP, now=None):
    """Make the deliveries of the trust's new events, each queued to be sent; the new
    deliveries' ids (none for events already collected). The events are taken ``BATCH`` at
    a time, each batch in its own short transaction that moves the cursors on, so an address
    resumed with an old cursor never loads every event since at once."""
    now = now or timezone.now()
    since = now - overlap
    ids, after = [], 0
    while after is not None:
        made, after = _collect_batch(trust_id, since, now, after)
        ids += made
    return ids


def _collect_batch(trust_id, since, now, after):
    """The deliveries of the next ``BATCH`` events after ``after`` (an event id): their ids,
    and where the next batch starts (``None`` when this was the last)."""
    from coachloop.api.tasks import webhook_deliver  # the tasks call this module

    with transaction.atomic():
        endpoints = _listening(trust_id, now)
        if not endpoints:
            return [], None
        verbs = set().union(*(_verbs(e) for e in endpoints))
        events = list(
            AuditEvent.objects.filter(trust_id=trust_id, verb__in=verbs, pk__gt=after)
            .filter(Q(pk__gt=min(e.cursor for e in endpoints)) | Q(created_at__gte=since))
            .order_by("pk")[:BATCH]
        )
        if not events:
            return [], None
        payloads = Payloads(events)
        made = set(
            WebhookDelivery.objects.filter(
                endpoint__in=endpoints, event_id__in=[e.pk for e in events]
            ).values_list("endpoint_id", "event_id")
        )
        new = []
        for endpoint in endpoints:
            verbs_wanted = _verbs(endpoint)
            school_ids = {school.pk for school in endpoint.token.schools.all()}
            for event in events:
                if (endpoint.pk, event.pk) in made or event.verb not in verbs_wanted:
                    continue
                if event.created_at < endpoint.created_at:
                    continue
                if event.pk <= endpoint.cursor and event.created_at < since:
                    continue
                envelope = payloads.envelope(event, endpoint.token, school_ids)
                if envelope is None:
                    continue  # the token may not see it: skipped, never sent thin
                new.append(
                    WebhookDelivery(
                        trust_id=trust_id,
                        endpoint=endpoint,
                        event=event,
                        event_type=envelope["type"],
                        payload=envelope,
                    )
                )
        WebhookDelivery.objects.bulk_create(new, ignore_conflicts=True)
        last = events[-1].pk
        WebhookEndpoint.objects.filter(pk__in=[e.pk for e in endpoints], cursor__lt=last).update(
            cursor=last
        )
        pairs = {(d.endpoint_id, d.event_id) for d in new}
        rows = WebhookDelivery.objects.filter(
            event_id__in={event_id for _endpoint_id, event_id in pairs},
            endpoint_id__in={endpoint_id for endpoint_id, _event_id in pairs},
        ).values_list("pk", "endpoint_id", "event_id")
        ids = [pk for pk, endpoint_id, event_id in rows if (endpoint_id, event_id) in pairs]
        for pk in ids:
            webhook_deliver.enqueue(pk)
    return ids, (last if len(events) == BATCH else None)


def latest_event_id(trust_id):
    """Where a new endpoint's cursor starts: it hears of events from now on."""
    return AuditEvent.objects.filter(trust_id=trust_id).aggregate(top=Max("pk"))["top"] or 0
