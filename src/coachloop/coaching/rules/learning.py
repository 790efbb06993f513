"""Who may read and change a teacher's goals, reflections and evidence.

They are the teacher's own. A goal linked to a coaching relationship, and evidence attached to
such a goal or to one of the relationship's action steps, is content of that relationship too:
whoever may read the relationship's content (``coaching.read_content``: its active coach, or
its former coach read-only for a while) reads it, and whoever may write it
(``coaching.write_content``) may add progress and change the goal. A coach reads the
progress notes and evidence dated within their coaching only, or from before it too once the
teacher agreed (``window_for``). Reflections are the teacher's alone. Nobody else reaches any
of them through these rules, whatever their rank; reading under a share is the share grant's
own rule (rules/sharing.py).
"""

import rules

from coachloop.coaching.models import ActionStep, EvidenceItem, Goal
from coachloop.coaching.rules.relationships import EVERYTHING, NOTHING, content_window


def relationship_of(item):
    """The coaching relationship a goal or a piece of evidence belongs to, if any.

    Only a relationship of the item's own teacher counts, so a row pointing elsewhere (which
    the services never write) gives nobody else a way in.
    """
    if isinstance(item, Goal):
        relationship = item.relationship if item.relationship_id else None
    elif isinstance(item, EvidenceItem):
        if item.goal_id:
            return relationship_of(item.goal)
        relationship = item.action_step.relationship if item.action_step_id else None
    elif isinstance(item, ActionStep):
        relationship = item.relationship
    else:
        raise TypeError(f"{type(item).__name__} has no coaching relationship")
    if relationship is None or relationship.teacher_id != item_owner_id(item):
        return None
    return relationship


def item_owner_id(item):
    if isinstance(item, ActionStep):
        return item.relationship.teacher_id
    return item.teacher_id


@rules.predicate
def owns(viewer, item):
    """The teacher the goal, reflection, evidence or action step belongs to."""
    return item_owner_id(item) == viewer.pk


def window_for(viewer, item):
    """The days of the item's progress notes and evidence the viewer reads: all for the
    teacher; for anyone reading it through its coaching, that coaching's window."""
    if item_owner_id(item) == viewer.pk:
        return EVERYTHING
    relationship = relationship_of(item)
    return NOTHING if relationship is None else content_window(viewer, relationship)


@rules.predicate
def reads_linked_coaching(viewer, item):
    """Whoever reads the coaching's content; a piece of evidence, only if it was added within
    their window (a goal itself is linked by the teacher, who chose to share it)."""
    relationship = relationship_of(item)
    if relationship is None or not rules.test_rule("coaching.read_content", viewer, relationship):
        return False
    if isinstance(item, EvidenceItem):
        return content_window(viewer, relationship).holds(item.added_on)
    return True


@rules.predicate
def writes_linked_coaching(viewer, item):
    relationship = relationship_of(item)
    return relationship is not None and rules.test_rule(
        "coaching.write_content", viewer, relationship
    )


can_read_goal = owns | reads_linked_coaching
can_change_goal = owns | writes_linked_coaching

rules.add_rule("coaching.read_goal", can_read_goal)
# Change the goal, change its status and add progress notes.
rules.add_rule("coaching.change_goal", can_change_goal)
rules.add_rule("coaching.read_evidence", owns | reads_linked_coaching)
# Evidence is added to, and removed from, the teacher's own goals and steps by the teacher.
rules.add_rule("coaching.add_evidence", owns)
rules.add_rule("coaching.remove_evidence", owns)
rules.add_rule("coaching.read_reflection", owns)
rules.add_rule("coaching.change_reflection", owns)
