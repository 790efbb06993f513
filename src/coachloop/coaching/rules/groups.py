"""Who may do what with a coaching group (a dyad or an action learning set).

What a group says and writes in its sessions is for its current members only, and of those,
for the ones who were in it when it was said: a member who left no longer reads it, one who
joins reads the sessions from the day they joined, and no rank (coaching lead, head, trust
lead, administrator) or other coach reaches it. The school's coaching lead runs the group (who
is in it, when it ends) and sees its activity, never its sessions.
"""

import rules

from coachloop.coaching.models import GroupMember
from coachloop.people.models import Role
from coachloop.people.rules import leads_school

# The roles a group member holds at the group's school.
STAFF_ROLES = frozenset({Role.TEACHER, Role.COACH})


def member_since(viewer, group):
    """The day the viewer's current membership of the group began, or ``None``. Looked up once
    per group as fetched (a page tests several rules on one group); a service's freshly
    locked row looks again."""
    known = group.__dict__.setdefault("_member_since", {})
    if viewer.pk not in known:
        known[viewer.pk] = (
            GroupMember.objects.filter(group_id=group.pk, person_id=viewer.pk, left_on__isnull=True)
            .values_list("joined_on", flat=True)
            .first()
        )
    return known[viewer.pk]


@rules.predicate
def is_current_member_of(viewer, group):
    """In the group now, and still teaching or coaching at its school."""
    if not (viewer.roles(group.school_id) & STAFF_ROLES):
        return False
    return member_since(viewer, group) is not None


def was_there_for(viewer, session):
    """The session met while the viewer was in the group (as a current member): what was said
    before they joined stays with the people who were there."""
    since = member_since(viewer, session.group)
    return since is not None and session.met_on >= since


@rules.predicate
def group_is_running(viewer, group):
    return group.finished_on is None


@rules.predicate
def leads_coaching_in_school_of_group(viewer, group):
    return leads_school.test(viewer, group.school_id)


can_read_group = is_current_member_of
can_write_group = group_is_running & is_current_member_of
can_run_group = leads_coaching_in_school_of_group


@rules.predicate
def reads_group_session(viewer, session):
    return can_read_group.test(viewer, session.group) and was_there_for(viewer, session)


@rules.predicate
def writes_group_session(viewer, session):
    return can_write_group.test(viewer, session.group) and was_there_for(viewer, session)


rules.add_rule("coaching.read_group", can_read_group)
rules.add_rule("coaching.write_group", can_write_group)
rules.add_rule("coaching.run_group", can_run_group)
rules.add_rule("coaching.read_group_session", reads_group_session)
rules.add_rule("coaching.write_group_session", writes_group_session)
