"""Who may do what with coaching records, as ``rules`` predicates over a Viewer.

Tiers (DESIGN.md): content is for the teacher and the coach of the relationship (read-only
until ``coach_reads_until`` after it ends); activity adds the school's coaching lead; nobody
else, whatever their rank, reaches either through these rules. A coach reads nothing of the
teacher's written before their coaching began unless the teacher agrees; after a handover, the
new coach sees the earlier coaching's activity, and its content with the same agreement
(``rules/relationships.py``). The school's coaching lead ends and hands over running coaching;
the teacher answers whether their coach may read what came before.

In co-coaching each peer is the "coach" of the other's relationship: a peer needs no coach
role, only a current role at the school.
"""

import datetime as dt

import rules
from django.conf import settings
from django.utils import timezone

from coachloop.coaching.models import Relationship
from coachloop.coaching.rules.relationships import (
    coaches_on_after_handover,
    earlier_content_consented,
    has_earlier_content,
    may_read_earlier_content,
)
from coachloop.people.models import Role
from coachloop.people.rules import leads_school


@rules.predicate
def is_teacher_of(viewer, relationship):
    return relationship.teacher_id == viewer.pk


@rules.predicate
def is_active_coach_of(viewer, relationship):
    """The coach of a running relationship who still holds the coach role in its school (a
    co-coaching peer: who still has a role there)."""
    if relationship.coach_id != viewer.pk or relationship.finished_on is not None:
        return False
    if relationship.kind == Relationship.Kind.CO_COACHING:
        return relationship.school_id in {m.school_id for m in viewer.memberships}
    return relationship.school_id in viewer.school_ids_with(Role.COACH)


@rules.predicate
def is_running(viewer, relationship):
    return relationship.finished_on is None


@rules.predicate
def was_recently_coach_of(viewer, relationship):
    if relationship.coach_id != viewer.pk or relationship.finished_on is None:
        return False
    return timezone.localdate() <= reads_until(relationship)


def reads_until(relationship):
    """The last day the former coach may read an ended relationship's record: the date set
    when it ended, or (rows ended before that date was kept) the site's default period."""
    if relationship.coach_reads_until is not None:
        return relationship.coach_reads_until
    return relationship.finished_on + dt.timedelta(days=settings.COACHLOOP_READ_AFTER_END_DAYS)


@rules.predicate
def leads_coaching_in_school_of(viewer, relationship):
    return leads_school.test(viewer, relationship.school_id)


can_read_content = (
    is_teacher_of | is_active_coach_of | was_recently_coach_of | may_read_earlier_content
)
can_write_content = is_active_coach_of
can_see_activity = can_read_content | leads_coaching_in_school_of | coaches_on_after_handover
can_plan_rehearsal = (is_teacher_of & is_running) | is_active_coach_of

rules.add_rule("coaching.read_content", can_read_content)
rules.add_rule("coaching.write_content", can_write_content)
rules.add_rule("coaching.see_activity", can_see_activity)
rules.add_rule("coaching.plan_rehearsal", can_plan_rehearsal)
# Only the teacher answers a step proposed to them ("Agree" or "Not now"); only the coach
# records that they agreed it together in conversation.
rules.add_rule("coaching.answer_step", is_teacher_of & is_running)
rules.add_rule("coaching.record_step_agreed", can_write_content)
# The lead ends or hands over coaching that is running in their school.
rules.add_rule("coaching.run_relationship", leads_coaching_in_school_of & is_running)
# The teacher answers whether the coach of their running coaching may read what came before
# it (and may always take back an agreement they gave).
rules.add_rule(
    "coaching.answer_earlier_content",
    is_teacher_of & is_running & (earlier_content_consented | has_earlier_content),
)
