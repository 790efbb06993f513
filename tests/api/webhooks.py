"""Webhooks for tests: a receiver on loopback that records what it is sent, endpoints made
directly, the task queue run by hand, and a signature checked the way docs/api.md tells a
receiver to check it."""

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from coachloop.api.models import WebhookEndpoint
from coachloop.api.webhooks.signing import new_secret
from coachloop.common.tenancy import scopes_disabled
from tests.api.tokens import make_integration, make_token


class Receiver:
    """An HTTP server on 127.0.0.1 answering each POST with the next of ``codes`` (the last
    one again once they run out) and keeping each request's headers and body."""

    def __init__(self, codes=(200,)):
        self.codes = list(codes)
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                code = receiver.codes.pop(0) if len(receiver.codes) > 1 else receiver.codes[0]
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/coachloop"

    def bodies(self):
        return [json.loads(body) for _headers, body in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def make_endpoint(trust, *, url, scopes, events, schools=(), **fields):
    """An endpoint of a new integration of ``trust`` for a token with ``scopes``."""
    integration = make_integration(trust)
    _secret, token = make_token(
        integration.account, trust, integration=integration, scopes=scopes, schools=schools
    )
    with scopes_disabled():
        return WebhookEndpoint.objects.create(
            trust=trust,
            integration=integration,
            token=token,
            url=url,
            events=list(events),
            secret=fields.pop("secret", new_secret()),
            **fields,
        )


def queued(name):
    """The tasks named ``name`` waiting in the queue (ready now or later), oldest first."""
    return list(
        DBTaskResult.objects.filter(task_path__endswith=f".{name}", status="READY").order_by(
            "enqueued_at"
        )
    )


def run_queued(name=None):
    """Run every task ready now (of ``name`` only, when given), as the worker would, until
    none is left: what each returned."""
    done = []
    while True:
        ready = [
            result
            for result in DBTaskResult.objects.filter(status="READY").order_by("enqueued_at")
            if result.run_after <= timezone.now() or result.run_after.year == 9999
            if name is None or result.task_path.endswith(f".{name}")
        ]
        if not ready:
            return done
        for result in ready:
            DBTaskResult.objects.filter(pk=result.pk).update(status="SUCCESSFUL")
            task = import_string(result.task_path)
            done.append(task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"]))


def verifies(secret, headers, body):
    """Whether one of the request's signatures is ``secret``'s (Standard Webhooks)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [part.split(",", 1)[1] for part in headers["webhook-signature"].split()]
    return any(hmac.compare_digest(expected, one) for one in given)
