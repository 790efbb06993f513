"""Who may read and change a learning agreement.

An agreement is content: its parties read it, and nobody else, whatever their rank. The
parties of a relationship are its teacher and its coach (co-coaching is two relationships,
one each way, between the same two people); a coach whose coaching ended may still read it
for the period the school sets, but no longer propose or agree. The parties of a group are
its current members (the group's own rules decide who they are); a member who left no
longer reads it.
"""

import rules

from coachloop.coaching.rules.groups import can_read_group, can_write_group
from coachloop.coaching.rules.loop import (
    is_active_coach_of,
    is_running,
    is_teacher_of,
    was_recently_coach_of,
)

_reads_relationship = is_teacher_of | is_active_coach_of | was_recently_coach_of
_is_running_party = (is_teacher_of | is_active_coach_of) & is_running


def _peer(relationship):
    return relationship.peer if relationship.peer_id else None


@rules.predicate
def reads_relationship_agreement(viewer, relationship):
    """A party of the relationship (or of its co-coaching peer), or its recent coach."""
    if _reads_relationship.test(viewer, relationship):
        return True
    peer = _peer(relationship)
    return peer is not None and _reads_relationship.test(viewer, peer)


@rules.predicate
def changes_relationship_agreement(viewer, relationship):
    """A party of running coaching: the teacher, or the coach who still coaches them."""
    if relationship.coach_id is None:  # imported history: nobody here to agree with
        return False
    if _is_running_party.test(viewer, relationship):
        return True
    peer = _peer(relationship)
    return peer is not None and _is_running_party.test(viewer, peer)


rules.add_rule("coaching.read_agreement", reads_relationship_agreement)
rules.add_rule("coaching.change_agreement", changes_relationship_agreement)
# A group's agreement is read and changed by whoever reads and writes the group's records:
# its current members, while the group runs for changes.
rules.add_rule("coaching.read_group_agreement", can_read_group)
rules.add_rule("coaching.change_group_agreement", can_write_group)
