"""Webhooks: an integration told of events as they happen, signed, tried again, logged.

The audit trail is the outbox: every event a webhook may carry is already an ``AuditEvent``
written in the same transaction as its write. ``collect`` makes one delivery per endpoint and
event the endpoint's token may see (after the commit: ``common.audit.listen``, and a daily
catch-up for bulk writes); ``deliver`` sends one, signed (``signing``), and the task worker
tries a failed one again later (``coachloop.api.tasks``).
"""
