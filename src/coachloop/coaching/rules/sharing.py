"""Share grants: a teacher shares one of their own items with one named person, for a time.

Reading under a share is its own rule over the grant, not a change to the content rules: the
grantee reads the item through the grant's page only, and everyone else's access to the item
(``coaching.read_content`` and the rest) is exactly what it was.
"""

import rules
from django.utils import timezone

from coachloop.coaching.models import DropIn, EvidenceItem, Goal, Reflection


def owner_id_of(item):
    """The teacher an item belongs to, whatever its kind."""
    if isinstance(item, DropIn):
        return item.relationship.teacher_id
    if isinstance(item, Reflection | Goal | EvidenceItem):
        return item.teacher_id
    raise TypeError(f"{type(item).__name__} cannot be shared")


@rules.predicate
def owns_item(viewer, item):
    if isinstance(item, DropIn) and item.is_draft:
        return False  # a draft is the coach's working copy, not yet the teacher's record
    return owner_id_of(item) == viewer.pk


@rules.predicate
def gave_grant(viewer, grant):
    return grant.owner_id == viewer.pk


@rules.predicate
def received_grant(viewer, grant):
    return grant.grantee_id == viewer.pk


@rules.predicate
def grant_in_force(viewer, grant):
    return grant.revoked_at is None and grant.expires_on >= timezone.localdate()


rules.add_rule("coaching.share_item", owns_item)
rules.add_rule("coaching.revoke_share", gave_grant & grant_in_force)
rules.add_rule("coaching.read_under_share", received_grant & grant_in_force)
