import rules
from django.core.exceptions import PermissionDenied

from coachloop.coaching.models import Relationship


class EditConflict(Exception):
    """Someone else saved the record after this edit began."""

    def __init__(self, current):
        super().__init__("The record changed since it was opened.")
        self.current = current


def locked_for(rule, viewer, relationship):
    """Hold the relationship's row for the rest of the transaction (one writer at a time),
    then check ``rule`` against it as it stands now, not as the caller last read it: coaching
    ended a moment ago is ended."""
    locked = (
        # Only this row: the coach is a nullable join, which PostgreSQL will not lock.
        Relationship.objects.select_for_update(of=("self",))
        .select_related("teacher", "coach")
        .get(pk=relationship.pk)
    )
    if not rules.test_rule(rule, viewer, locked):
        raise PermissionDenied
    return locked
