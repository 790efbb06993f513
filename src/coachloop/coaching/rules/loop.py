"""Who may do what with coaching records, as ``rules`` predicates over a Viewer.

Tiers (DESIGN.md): content is for the teacher and the coach of the relationship (read-only
for a while after it ends); activity adds the school's coaching lead; nobody else, whatever
their rank, reaches either through these rules.
"""

import datetime as dt

import rules
from django.conf import settings
from django.utils import timezone

from coachloop.people.models import Role


@rules.predicate
def is_teacher_of(viewer, relationship):
    return relationship.teacher_id == viewer.pk


@rules.predicate
def is_active_coach_of(viewer, relationship):
    """The coach of a running relationship who still holds the coach role in its school."""
    return (
        relationship.coach_id == viewer.pk
        and relationship.finished_on is None
        and relationship.school_id in viewer.school_ids_with(Role.COACH)
    )


@rules.predicate
def is_running(viewer, relationship):
    return relationship.finished_on is None


@rules.predicate
def was_recently_coach_of(viewer, relationship):
    if relationship.coach_id != viewer.pk or relationship.finished_on is None:
        return False
    grace = dt.timedelta(days=settings.COACHLOOP_READ_AFTER_END_DAYS)
    return timezone.localdate() <= relationship.finished_on + grace


@rules.predicate
def leads_coaching_in_school_of(viewer, relationship):
    return relationship.school_id in viewer.school_ids_with(Role.COACHING_LEAD)


can_read_content = is_teacher_of | is_active_coach_of | was_recently_coach_of
can_write_content = is_active_coach_of
can_see_activity = can_read_content | leads_coaching_in_school_of
can_plan_rehearsal = (is_teacher_of & is_running) | is_active_coach_of

rules.add_rule("coaching.read_content", can_read_content)
rules.add_rule("coaching.write_content", can_write_content)
rules.add_rule("coaching.see_activity", can_see_activity)
rules.add_rule("coaching.plan_rehearsal", can_plan_rehearsal)
