"""The events a webhook carries: the audit verbs they come from, and what a token needs to
see each (its scope, and for coaching its school among the token's schools)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.api.models import Scope

# Audit verb -> event type.
TYPE_OF_VERB = {
    "membership.started": "role.started",
    "membership.finished": "role.ended",
    "relationship.started": "coaching.started",
    "relationship.ended": "coaching.ended",
    "relationship.handed_over": "coaching.handed_over",
    "assignment.marks_released": "marks.released",
}
VERBS = tuple(TYPE_OF_VERB)
VERBS_OF_TYPE = {}
for _verb, _type in TYPE_OF_VERB.items():
    VERBS_OF_TYPE.setdefault(_type, []).append(_verb)

# Event type -> (the scope it needs, what it is, for the endpoint form).
EVENT_TYPES = {
    "role.started": (Scope.READ_PEOPLE, _("A role started")),
    "role.ended": (Scope.READ_PEOPLE, _("A role ended")),
    "coaching.started": (Scope.READ_ACTIVITY, _("Coaching started")),
    "coaching.ended": (Scope.READ_ACTIVITY, _("Coaching ended")),
    "coaching.handed_over": (Scope.READ_ACTIVITY, _("Coaching handed over to another coach")),
    "marks.released": (Scope.READ_MARKS, _("Marks released")),
}


def token_works(token, now=None):
    """Whether ``token`` still works: not revoked, not expired, its account active."""
    now = now or timezone.now()
    return token.revoked_at is None and token.expires_at > now and token.user.is_active


def types_allowed(token):
    """The event types ``token``'s scopes let it see."""
    scopes = set(token.scopes)
    return [name for name, (scope, _label) in EVENT_TYPES.items() if scope in scopes]
