"""What a webhook says: small, ids and names only, never coaching content.

Each event becomes the envelope Standard Webhooks suggests, ``{type, timestamp, data}``, or
``None`` when the endpoint's token may not see it (the event is then skipped, never sent
thin):

- a role (``role.*``, needs ``read_people``): ``{id, person {id, name, email}, role, school
  (slug or null), starts_on, ends_on}``;
- coaching (``coaching.*``, needs ``read_activity`` and the school among the token's schools):
  ``{id, school, kind, started_on, ended_on}``, no notes, no steps, no people;
- released marks (``marks.released``, needs ``read_marks``): ``{assignment, programme
  {id, title}, released, released_at}``, no marks, no people.
"""

import re

from coachloop.api.models import Scope
from coachloop.api.webhooks.events import TYPE_OF_VERB
from coachloop.coaching.models import Relationship
from coachloop.people.models import Membership
from coachloop.programmes.models import Assignment

COUNT = re.compile(r"(\d+)")


def _day(value):
    return value.isoformat() if value else None


def _role(membership):
    return {
        "id": membership.pk,
        "person": {
            "id": membership.user_id,
            "name": membership.user.full_name,
            "email": membership.user.email,
        },
        "role": membership.role,
        "school": membership.school.slug if membership.school_id else None,
        "starts_on": _day(membership.started_on),
        "ends_on": _day(membership.finished_on),
    }


def _coaching(relationship):
    return {
        "id": relationship.pk,
        "school": relationship.school.slug,
        "kind": relationship.kind,
        "started_on": _day(relationship.started_on),
        "ended_on": _day(relationship.finished_on),
    }


def _released(assignment, event):
    found = COUNT.match(event.summary)
    return {
        "assignment": assignment.pk,
        "programme": {
            "id": assignment.module.programme_id,
            "title": assignment.module.programme.title,
        },
        "released": int(found.group(1)) if found else None,
        "released_at": event.created_at.isoformat(),
    }


def _targets(events):
    """The events' memberships, relationships and assignments, three queries at most."""
    ids = {}
    for event in events:
        ids.setdefault(event.target_type, set()).add(int(event.target_id))
    found = {}
    if "people.membership" in ids:
        rows = Membership.objects.select_related("user", "school").filter(
            pk__in=ids["people.membership"]
        )
        found.update({("people.membership", row.pk): row for row in rows})
    if "coaching.relationship" in ids:
        rows = Relationship.objects.select_related("school").filter(
            pk__in=ids["coaching.relationship"]
        )
        found.update({("coaching.relationship", row.pk): row for row in rows})
    if "programmes.assignment" in ids:
        rows = Assignment.objects.select_related("module__programme").filter(
            pk__in=ids["programmes.assignment"]
        )
        found.update({("programmes.assignment", row.pk): row for row in rows})
    return found


class Payloads:
    """Envelopes for a batch of events, each built once and judged per token."""

    def __init__(self, events):
        self._targets = _targets(events)

    def envelope(self, event, token, school_ids):
        """The envelope of ``event`` for ``token`` (whose schools are ``school_ids``), or
        ``None`` when the token may not see it."""
        event_type = TYPE_OF_VERB.get(event.verb)
        target = self._targets.get((event.target_type, int(event.target_id)))
        if event_type is None or target is None:
            return None
        scopes = set(token.scopes)
        if event_type.startswith("role."):
            if Scope.READ_PEOPLE not in scopes:
                return None
            data = _role(target)
        elif event_type.startswith("coaching."):
            if Scope.READ_ACTIVITY not in scopes or target.school_id not in school_ids:
                return None
            data = _coaching(target)
        else:
            if Scope.READ_MARKS not in scopes:
                return None
            data = _released(target, event)
        return {"type": event_type, "timestamp": event.created_at.isoformat(), "data": data}
