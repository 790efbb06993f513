"""Sending one delivery: a signed POST of its envelope to its endpoint.

The address is resolved once and the connection made to that address (a name cannot point
somewhere else between the check and the call). Only ``https`` to a public address is
allowed, unless ``COACHLOOP_WEBHOOKS_ALLOW_PRIVATE`` (a receiver on this machine while
developing). Redirects are not followed; any 2xx answer is delivered, anything else (or no
status line within ``DEADLINE`` seconds in all, however slowly the receiver trickles it) has
failed and is tried again later, on the schedule of ``BACKOFF``, then given up. Only the
answer's status line is read, never its body. Twenty failures in a row pause the endpoint.

Safe to run twice, and no transaction or row lock is held while the receiver is waited for:
a short transaction claims the delivery (counts the try and sets ``next_attempt_at`` to when
it would be tried again, so a second run meanwhile finds it "not yet"), the POST is made
outside any transaction, and a second short transaction records what happened. A worker that
dies mid-send leaves the delivery due again at that time; the daily catch-up re-queues it.
"""

import datetime as dt
import http.client
import ipaddress
import json
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from coachloop.api.webhooks import signing
from coachloop.api.webhooks.events import token_works

TIMEOUT = 10  # seconds to connect
DEADLINE = 30  # seconds for the whole exchange, from connecting to the answer's status line
STATUS_LINE_CAP = 1024  # bytes: an answer's status line longer than this is not one
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
    dt.timedelta(hours=12),
)
PAUSE_AFTER = 20
# A delivery still pending this long after it was made was dropped by a worker (or its task
# lost): the daily catch-up queues it again, and an administrator may send it again.
STUCK_AFTER = dt.timedelta(minutes=5)
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
    try:
        parts.port  # noqa: B018 (urlsplit checks the port only when asked)
    except ValueError:
        return _("The address's port must be a number from 1 to 65535.")
    if parts.port == 0:
        return _("The address's port must be a number from 1 to 65535.")
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


def _status_of(sock, deadline):
    """The status code of the answer on ``sock``, read byte by byte as it comes but given up
    at ``deadline`` (a ``time.monotonic()``), however slowly it trickles."""
    line = b""
    while b"\n" not in line:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"No answer within {DEADLINE} seconds.")
        if len(line) > STATUS_LINE_CAP:
            raise http.client.BadStatusLine(line[:80].decode("latin-1"))
        sock.settimeout(left)
        chunk = sock.recv(STATUS_LINE_CAP)
        if not chunk:
            raise http.client.RemoteDisconnected("The server closed the connection unanswered.")
        line += chunk
    first = line.split(b"\n", 1)[0].decode("latin-1").strip()
    version, _space, rest = first.partition(" ")
    code = rest[:3]
    if not version.startswith("HTTP/") or not code.isdigit():
        raise http.client.BadStatusLine(first[:80])
    return int(code)


def post(url, body, headers, *, allow_private=None):
    """POST ``body`` to ``url``: the answer's status code, within ``DEADLINE`` seconds in all.
    Raises ``Refused`` for an address webhooks may not reach and ``OSError`` (``TimeoutError``
    past the deadline) when the server cannot be reached or does not answer in time."""
    deadline = time.monotonic() + DEADLINE
    allow_private = (
        settings.COACHLOOP_WEBHOOKS_ALLOW_PRIVATE if allow_private is None else (allow_private)
    )
    problem = address_problem(url, allow_private=allow_private)
    if problem:
        raise Refused(problem)
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise Refused(_("The address's port must be a number from 1 to 65535.")) from error
    address = _resolve(parts.hostname, port, allow_private)
    kind = _HTTPSConnection if parts.scheme == "https" else _HTTPConnection
    connection = kind(parts.hostname, port, address, timeout=min(TIMEOUT, DEADLINE))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.connect()
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"No answer within {DEADLINE} seconds.")
        connection.sock.settimeout(left)  # sendall's timeout is for the whole of what it sends
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Coachloop-Webhooks",
                "Connection": "close",
                **headers,
            },
        )
        return _status_of(connection.sock, deadline)
    except TimeoutError as error:
        raise TimeoutError(f"No answer within {DEADLINE} seconds.") from error
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


def waiting_too_long(now):
    """The deliveries due but left unsent: pending or failed with the time of their next
    try passed, or pending with none set for more than ``STUCK_AFTER``."""
    waiting = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])
    due = Q(next_attempt_at__lte=now) | Q(
        next_attempt_at__isnull=True, created_at__lt=now - STUCK_AFTER
    )
    return waiting & due


def _retry_at(attempts, now):
    # When a try that fails is tried again: also how long a claim lasts, longer than DEADLINE.
    wait = BACKOFF[min(attempts, len(BACKOFF)) - 1]
    return now + max(wait, dt.timedelta(seconds=2 * DEADLINE))


def _claim(delivery_id, now):
    """Lock the delivery for a moment and, if it is due, count the try and set when it is
    tried again (a second run meanwhile finds it "not yet"): the delivery and what to send,
    or why nothing is sent."""
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
            return None, "nothing to send"
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return None, "not yet"
        endpoint = delivery.endpoint
        if not endpoint.is_active:
            return None, "paused"
        if not token_works(endpoint.token, now):
            delivery.status = DeliveryStatus.GAVE_UP
            delivery.last_error = "Not sent: the endpoint's token no longer works."
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
            return None, "gave_up"
        delivery.attempts += 1
        delivery.next_attempt_at = _retry_at(delivery.attempts, now)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        return delivery, None


def deliver(delivery_id, *, now=None):
    """Send the delivery if it is due: what happened (``"delivered"``, ``"failed"``,
    ``"gave_up"``, or why nothing was sent)."""
    from coachloop.api.tasks import webhook_deliver  # the task calls this module

    now = now or timezone.now()
    delivery, why_not = _claim(delivery_id, now)
    if delivery is None:
        return why_not
    endpoint = delivery.endpoint
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
    return _record(delivery, code, error, now, webhook_deliver)


def _record(delivery, code, error, now, webhook_deliver):
    """What the try came to, in a second short transaction; only the claimed try's row is
    written (a delivery sent again meanwhile is left as that left it)."""
    with transaction.atomic():
        mine = WebhookDelivery.objects.filter(
            pk=delivery.pk, attempts=delivery.attempts, next_attempt_at=delivery.next_attempt_at
        )
        fields = {"last_status_code": code}
        if code is not None and 200 <= code < 300:
            fields.update(status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None)
            fields["last_error"] = ""
            mine.update(**fields)
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(failures_in_a_row=0)
            return "delivered"
        fields["last_error"] = (error or f"The server answered {code}.")[:500]
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
            failures_in_a_row=F("failures_in_a_row") + 1
        )
        WebhookEndpoint.objects.filter(
            pk=delivery.endpoint_id, failures_in_a_row__gte=PAUSE_AFTER
        ).update(is_active=False)
        if delivery.attempts > len(BACKOFF):
            mine.update(status=DeliveryStatus.GAVE_UP, next_attempt_at=None, **fields)
            return "gave_up"
        mine.update(status=DeliveryStatus.FAILED, **fields)
        webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
        return "failed"
