"""Sending one delivery: a signed POST of its envelope to its endpoint.

The address is resolved once and the connection made to that address (a name cannot point
somewhere else between the check and the call). Only ``https`` to a public address is
allowed, unless ``COACHLOOP_WEBHOOKS_ALLOW_PRIVATE`` (a receiver on this machine while
developing). Redirects are not followed; any 2xx answer is delivered, anything else (or no
answer within ``TIMEOUT`` seconds) has failed and is tried again later, on the schedule of
``BACKOFF``, then given up. Twenty failures in a row pause the endpoint.

Safe to run twice: the delivery's row is locked while it is sent, and one already delivered
(or given up, or waiting for a later try) is left alone.
"""

import datetime as dt
import http.client
import ipaddress
import json
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from coachloop.api.webhooks import signing
from coachloop.api.webhooks.events import token_works

TIMEOUT = 10
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
    dt.timedelta(hours=12),
)
PAUSE_AFTER = 20
# A rotated secret keeps signing (beside the new one) for this long.
PREVIOUS_SECRET_FOR = dt.timedelta(hours=24)
LOCAL_NAMES = {"localhost", "localhost.localdomain"}


class Refused(Exception):
    """An address webhooks may not be sent to."""


def address_problem(url, *, allow_private=None):
    """Why ``url`` may not receive webhooks, judged without looking the name up, or ``None``."""
    allow_private = (
        settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE if allow_private is None else (allow_private)
    )
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return _("The address must start with https:// and name a server.")
    if allow_private:
        return None
    if parts.scheme != "https":
        return _("The address must start with https://.")
    host = parts.hostname.lower().rstrip(".")
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return _("The address must be on the internet, not this machine.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if not address.is_global:
        return _("The address must be on the internet, not a private network.")
    return None


def _resolve(host, port, allow_private):
    """The one address to connect to, refused when it is not public (unless allowed)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise Refused(f"The server's name could not be looked up: {error}") from error
    addresses = [ipaddress.ip_address(info[4][0]) for info in found]
    if not allow_private and any(not a.is_global for a in addresses):
        raise Refused(_("The server's address is on a private network."))
    return str(addresses[0])


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url, body, headers, *, allow_private=None):
    """POST ``body`` to ``url``: the answer's status code. Raises ``Refused`` for an address
    webhooks may not reach and ``OSError`` when the server cannot be reached."""
    allow_private = (
        settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE if allow_private is None else (allow_private)
    )
    problem = address_problem(url, allow_private=allow_private)
    if problem:
        raise Refused(problem)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _resolve(parts.hostname, port, allow_private)
    kind = _HTTPSConnection if parts.scheme == "https" else _HTTPConnection
    connection = kind(parts.hostname, port, address, timeout=TIMEOUT)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Coachloop-Webhooks",
                **headers,
            },
        )
        response = connection.getresponse()
        response.read(65536)
        return response.status
    finally:
        connection.close()


def secrets_in_use(endpoint, now):
    found = [endpoint.secret]
    rotated = endpoint.secret_rotated_at
    if endpoint.previous_secret and rotated and now - rotated < PREVIOUS_SECRET_FOR:
        found.append(endpoint.previous_secret)
    return found


def body_of(delivery):
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def deliver(delivery_id, *, now=None):
    """Send the delivery if it is due: what happened (``"delivered"``, ``"failed"``,
    ``"gave_up"``, or why nothing was sent)."""
    from coachloop.api.tasks import webhook_deliver  # the task calls this module

    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint__token__user")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status not in (
            DeliveryStatus.PENDING,
            DeliveryStatus.FAILED,
        ):
            return "nothing to send"
        now = now or timezone.now()
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return "not yet"
        endpoint = delivery.endpoint
        if not endpoint.is_active:
            return "paused"
        if not token_works(endpoint.token, now):
            delivery.status = DeliveryStatus.GAVE_UP
            delivery.last_error = "Not sent: the endpoint's token no longer works."
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
            return "gave_up"
        body = body_of(delivery)
        timestamp = int(now.timestamp())
        message_id = f"msg_{delivery.pk}"
        headers = signing.headers(secrets_in_use(endpoint, now), message_id, timestamp, body)
        code, error = None, ""
        try:
            code = post(endpoint.url, body, headers)
        except Refused as refused:
            error = str(refused)
        except (OSError, http.client.HTTPException) as failure:
            error = f"Could not be reached: {failure}"[:500]
        delivery.attempts += 1
        delivery.last_status_code = code
        if code is not None and 200 <= code < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            delivery.last_error = ""
            delivery.save()
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=0)
            return "delivered"
        delivery.last_error = error or f"The server answered {code}."
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            failures_in_a_row=F("failures_in_a_row") + 1
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failures_in_a_row__gte=PAUSE_AFTER).update(
            is_active=False
        )
        if delivery.attempts > len(BACKOFF):
            delivery.status = DeliveryStatus.GAVE_UP
            delivery.next_attempt_at = None
            delivery.save()
            return "gave_up"
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        delivery.save()
        webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
        return "failed"
