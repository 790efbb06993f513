import rules
from django.core.exceptions import PermissionDenied

from coachloop.coaching.models import Relationship


class EditConflict(Exception):
    """Someone else saved the record after this edit began."""

    def __init__(self, current):
        super().__init__("The record changed since it was opened.")
        self.current = current


def require(rule, viewer, relationship):
    if not rules.test_rule(rule, viewer, relationship):
        raise PermissionDenied


def lock(relationship):
    """Hold the relationship's row for the rest of the transaction: one writer at a time."""
    return Relationship.objects.select_for_update().get(pk=relationship.pk)
