"""Handing coaching over: the new coach and the coaching that came before.

After a handover the new coach of the running relationship sees the earlier coaching's
activity at once (dates of drop-ins, steps and their status), and its content (notes,
rehearsal plans) only once the teacher has agreed. Consent given on the running relationship
covers the whole chain of coaching handed over to it. The rules that use these predicates,
with who ends and hands over coaching and who answers for the earlier notes, are registered
in ``loop.py``.
"""

import rules

from coachloop.coaching.models import Relationship
from coachloop.people.models import Role

MAX_CHAIN = 20  # handovers followed at most: far more than any teacher will ever have


def later_relationships(relationship):
    """The relationships this one was handed over to, in order (one query per handover).

    Kept on the instance, so a page that checks several rules on it reads them once.
    """
    cached = getattr(relationship, "_later_relationships", None)
    if cached is not None:
        return cached
    found = []
    current = relationship.pk
    if relationship.finished_on is not None:
        for _ in range(MAX_CHAIN):
            following = (
                Relationship.objects.filter(handed_over_from_id=current)
                .only("pk", "coach_id", "finished_on", "earlier_content_consented_at", "school_id")
                .first()
            )
            if following is None:
                break
            found.append(following)
            current = following.pk
    relationship._later_relationships = found
    return found


def _running_successor_coached_by(viewer, relationship):
    """The running relationship, handed over from this one, whose coach the viewer is."""
    if relationship.finished_on is None or relationship.school_id not in viewer.school_ids_with(
        Role.COACH
    ):
        return None
    for later in later_relationships(relationship):
        if later.coach_id == viewer.pk and later.finished_on is None:
            return later
    return None


@rules.predicate
def coaches_on_after_handover(viewer, relationship):
    """The viewer coaches the teacher now, in coaching handed over from this relationship."""
    return _running_successor_coached_by(viewer, relationship) is not None


@rules.predicate
def may_read_earlier_content(viewer, relationship):
    """As above, and the teacher has agreed that their new coach may read earlier notes."""
    later = _running_successor_coached_by(viewer, relationship)
    return later is not None and later.earlier_content_consented_at is not None


@rules.predicate
def was_handed_over(viewer, relationship):
    return relationship.handed_over_from_id is not None
