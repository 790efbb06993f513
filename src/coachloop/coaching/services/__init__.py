"""Every write to coaching records: one function, one transaction, one audit event each.

Writes to one relationship's records take a lock on the relationship's row first, so two
devices (a coach's phone and laptop) saving at once are handled one after the other.
"""

from coachloop.coaching.services.dropins import (
    dropin_draft_discard,
    dropin_draft_save,
    dropin_record,
    dropin_update,
)
from coachloop.coaching.services.errors import EditConflict
from coachloop.coaching.services.relationships import (
    relationship_check,
    relationship_end,
    relationship_start,
)
from coachloop.coaching.services.steps import (
    action_step_agree,
    action_step_agreed_in_conversation,
    action_step_not_now,
    action_step_set,
    action_step_status_set,
    rehearsal_log,
    rehearsal_plan,
)

__all__ = [
    "EditConflict",
    "action_step_agree",
    "action_step_agreed_in_conversation",
    "action_step_not_now",
    "action_step_set",
    "action_step_status_set",
    "dropin_draft_discard",
    "dropin_draft_save",
    "dropin_record",
    "dropin_update",
    "rehearsal_log",
    "rehearsal_plan",
    "relationship_check",
    "relationship_end",
    "relationship_start",
]
