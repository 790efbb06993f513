"""Writes to webhook endpoints, by a trust's administrator on the integration's pages: each
one transaction with its audit event. A secret is returned once, to be shown once; it is
kept (it must sign) but never shown again, nor in the admin, nor in any export."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coachloop.api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from coachloop.api.queries import integration_for
from coachloop.api.webhooks import signing
from coachloop.api.webhooks.collect import latest_event_id
from coachloop.api.webhooks.deliver import PREVIOUS_SECRET_FOR, STUCK_AFTER, address_problem
from coachloop.api.webhooks.events import token_works, types_allowed
from coachloop.common.audit import audit_record


def _check(viewer, integration):
    # The integration is the viewer's trust's, and the viewer one of its administrators.
    integration_for(viewer, integration.pk)


@transaction.atomic
def endpoint_add(*, viewer, integration, url, token, events):
    """Add an endpoint for ``token`` (one of the integration's working tokens) hearing of
    ``events`` (only those the token's scopes allow): the endpoint and its secret."""
    _check(viewer, integration)
    problems = {}
    if token.integration_id != integration.pk or not token_works(token):
        problems["token"] = _("Choose one of this integration's tokens that still works.")
    problem = address_problem(url)
    if problem:
        problems["url"] = problem
    allowed = set(types_allowed(token))
    if not events:
        problems["events"] = _("Choose at least one event.")
    elif not set(events) <= allowed:
        problems["events"] = _("This token's scopes do not let it see some of these events.")
    if problems:
        raise ValidationError(problems)
    secret = signing.new_secret()
    endpoint = WebhookEndpoint.objects.create(
        trust=integration.trust,
        integration=integration,
        token=token,
        url=url,
        events=sorted(events),
        secret=secret,
        cursor=latest_event_id(integration.trust_id),
    )
    audit_record(
        actor=viewer.user,
        verb="webhook.endpoint_added",
        target=endpoint,
        summary=f"{integration.name}: {url}",
    )
    return endpoint, secret


@transaction.atomic
def endpoint_secret_rotate(*, viewer, endpoint):
    """A new secret (returned, to be shown once); the old one signs too for a day. Refused
    while an earlier new secret is under a day old: its old one would stop signing at once,
    and a receiver not yet changed over would stop working."""
    _check(viewer, endpoint.integration)
    stored = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    now = timezone.now()
    rotated = stored.secret_rotated_at
    if stored.previous_secret and rotated and now - rotated < PREVIOUS_SECRET_FOR:
        until = timezone.localtime(rotated + PREVIOUS_SECRET_FOR)
        raise ValidationError(
            _(
                "A new secret was made less than 24 hours ago and the old one still signs "
                "until %(time)s on %(day)s. You can make another new secret after that."
            )
            % {"time": date_format(until, "H:i"), "day": date_format(until, "j F Y")}
        )
    secret = signing.new_secret()
    stored.previous_secret = stored.secret
    stored.secret = secret
    stored.secret_rotated_at = now
    stored.save(update_fields=["previous_secret", "secret", "secret_rotated_at"])
    audit_record(
        actor=viewer.user, verb="webhook.secret_rotated", target=stored, summary=stored.url
    )
    return stored, secret


@transaction.atomic
def endpoint_pause(*, viewer, endpoint, active):
    """Pause (``active=False``) or resume an endpoint; resuming sends what waited."""
    from coachloop.api.tasks import webhook_deliver

    _check(viewer, endpoint.integration)
    stored = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if stored.is_active == active:
        return stored
    stored.is_active = active
    stored.failures_in_a_row = 0
    stored.save(update_fields=["is_active", "failures_in_a_row"])
    audit_record(
        actor=viewer.user,
        verb="webhook.endpoint_resumed" if active else "webhook.endpoint_paused",
        target=stored,
        summary=stored.url,
    )
    if active:
        waiting = WebhookDelivery.objects.filter(
            endpoint=stored, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]
        )
        waiting.update(next_attempt_at=None)
        for pk in waiting.values_list("pk", flat=True):
            webhook_deliver.enqueue(pk)
    return stored


def can_send_again(delivery, now=None):
    """Failed, given up, or pending for more than a few minutes and not being sent now (a
    worker dropped it); one just made, or being sent, is on its way."""
    if delivery.status in (DeliveryStatus.FAILED, DeliveryStatus.GAVE_UP):
        return True
    now = now or timezone.now()
    return (
        delivery.status == DeliveryStatus.PENDING
        and delivery.created_at < now - STUCK_AFTER
        and (delivery.next_attempt_at is None or delivery.next_attempt_at <= now)
    )


@transaction.atomic
def delivery_send_again(*, viewer, delivery):
    """Send a failed, given-up or stuck delivery again now."""
    from coachloop.api.tasks import webhook_deliver

    _check(viewer, delivery.endpoint.integration)
    stored = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if not can_send_again(stored):
        raise PermissionDenied
    stored.status = DeliveryStatus.PENDING
    stored.next_attempt_at = None
    stored.save(update_fields=["status", "next_attempt_at"])
    audit_record(
        actor=viewer.user,
        verb="webhook.sent_again",
        target=stored,
        summary=f"{stored.event_type} to {stored.endpoint.url}",
    )
    webhook_deliver.enqueue(stored.pk)
    return stored
