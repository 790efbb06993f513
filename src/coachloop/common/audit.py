"""The audit trail. Services record writes in their own transaction; queries record reads.

A higher app may ``listen`` to verbs (the API's webhooks do): once the transaction that
recorded such an event commits, each listener is called with the event's trust's id. A
transaction rolled back calls nobody. A verb nobody listens to costs one dict lookup.
Events written with ``bulk_create`` call no listener: listeners catch up on their own.
"""

from functools import partial

from django.db import transaction

from coachloop.common.models import AuditEvent

READ = "read"

_LISTENERS = {}


def listen(verbs, callback):
    """Call ``callback(trust_id)`` after the commit of each event recorded with one of
    ``verbs``."""
    for verb in verbs:
        _LISTENERS.setdefault(verb, []).append(callback)


def audit_event(*, actor, verb, target, subject=None, summary="", trust=None):
    """An event, not yet saved: for a service that writes many at once (``bulk_create``)."""
    return AuditEvent(
        trust_id=trust.pk if trust else target.trust_id,
        actor=actor,
        subject=subject,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:200],
    )


def audit_record(*, actor, verb, target, subject=None, summary="", trust=None):
    event = audit_event(
        actor=actor, verb=verb, target=target, subject=subject, summary=summary, trust=trust
    )
    event.save()
    listeners = _LISTENERS.get(verb)
    if listeners:
        for callback in listeners:
            # Robust: the write has committed whatever a listener does; its failure is logged
            # (and a listener catches up on its own).
            transaction.on_commit(partial(callback, event.trust_id), robust=True)
    return event


def audit_read(*, viewer, target, subject, summary=""):
    """Record that ``viewer`` read ``subject``'s content, unless it is their own.

    Every showing counts, whatever the method: a form sent back with problems shows the content
    again, so a query that returns content records the read on that path too.
    """
    if viewer.pk == subject.pk:
        return None
    return audit_record(actor=viewer, verb=READ, target=target, subject=subject, summary=summary)
