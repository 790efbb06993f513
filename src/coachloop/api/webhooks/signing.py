"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

A secret is ``whsec_`` and base64 of 24 random bytes; the key is those bytes. A delivery
carries ``webhook-id``, ``webhook-timestamp`` (Unix seconds) and ``webhook-signature``:
``v1,`` and base64 of HMAC-SHA256(key, ``"{id}.{timestamp}.{body}"``), one for each secret in
use (space-separated) while a rotated secret is still honoured.
"""

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_secret():
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret):
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret, message_id, timestamp, body):
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secrets_in_use, message_id, timestamp, body):
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, message_id, timestamp, body) for secret in secrets_in_use
        ),
    }
