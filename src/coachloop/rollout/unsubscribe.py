"""Stopping an email from the email itself, without signing in (RFC 2369 and RFC 8058).

Each reminder and digest carries ``List-Unsubscribe`` with a link to this person's own address
for that kind of email, and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``, so a mail
app can offer "Unsubscribe" and post to the link itself. The link's token names the trust,
the person and the kind of email, signed with the site's secret key (salted for this use
only): it cannot be guessed or changed, and it can only ever turn that one kind of that
person's email off. Turning it back on is on the Emails page, signed in.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "coachloop.rollout.unsubscribe"
# The kind in a link -> the choice on the Emails page (rollout.models.EmailPreference).
KINDS = {"reminders": "due_reminders", "digest": "weekly_digest"}
PREFERENCE_KINDS = {field: kind for kind, field in KINDS.items()}
SIGNED = re.compile(r"(?P<trust>[0-9]{1,18})-(?P<person>[0-9]{1,18})-(?P<kind>[a-z]+)")


@dataclass(frozen=True)
class Unsubscribe:
    trust_id: int
    person_id: int
    preference: str  # the EmailPreference field it turns off


def token_for(*, trust_id, person_id, preference):
    kind = PREFERENCE_KINDS[preference]
    return signing.Signer(salt=SALT).sign(f"{trust_id}-{person_id}-{kind}")


def read_token(token):
    """What a token turns off, or ``None`` when it is not one this site signed."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    found = SIGNED.fullmatch(value)
    if found is None or found["kind"] not in KINDS:
        return None
    return Unsubscribe(int(found["trust"]), int(found["person"]), KINDS[found["kind"]])


def headers(*, trust_id, person_id, preference):
    """The headers that let a mail app stop this kind of email with one click."""
    url = settings.COACHLOOP_SITE_URL + reverse(
        "rollout:unsubscribe",
        args=[token_for(trust_id=trust_id, person_id=person_id, preference=preference)],
    )
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
