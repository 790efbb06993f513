"""What a coach reads of what came before their coaching began.

One rule, for every kind of coaching and however it started (the coaching lead's pages, a
handover, the admin site): a coach reads nothing of the teacher's that was written before
their coaching began (``content_window``), unless the teacher agrees, on that relationship
(``earlier_content_consented_at``). That covers the teacher's own content kept across
coaching (stages on the framework, progress notes and evidence on goals) and, after a
handover, the coaching handed over: its activity (dates of drop-ins, steps and their status)
shows at once, its content (notes, rehearsal plans) only with the same consent, which covers
the whole chain. A start date given in the past opens nothing recorded before the coaching
was (``coaching_began_on``). What the teacher shares item by item is the share grant's own
rule (``sharing.py``). The rules that use these predicates are registered in ``loop.py``.
"""

import datetime as dt
from dataclasses import dataclass

import rules
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from coachloop.coaching.models import EvidenceItem, GoalProgress, Relationship, StageAssessment
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


# -- the content window ------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentWindow:
    """The days whose content of the teacher's own someone reads: from ``since`` (``None``:
    from the first) to ``until`` (``None``: to today), both included."""

    since: dt.date | None = None
    until: dt.date | None = None

    def holds(self, day):
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    def q(self, field):
        """The same window as a filter on a date field (``field`` may span relations)."""
        found = Q()
        if self.since is not None:
            found &= Q(**{f"{field}__gte": self.since})
        if self.until is not None:
            found &= Q(**{f"{field}__lte": self.until})
        return found


EVERYTHING = ContentWindow()
NOTHING = ContentWindow(since=dt.date.max, until=dt.date.min)


def coaching_began_on(relationship):
    """The day the coaching began, for what its coach may read: its start date, or the day it
    was recorded here when that is later (a start given in the past opens nothing)."""
    if relationship.created_at is None:  # recorded before the day of recording was kept
        return relationship.started_on
    return max(relationship.started_on, timezone.localdate(relationship.created_at))


def content_window(viewer, relationship):
    """What the viewer, looking from ``relationship``, reads of the teacher's own content.

    The teacher: all of it. The coach (a co-coaching peer too): from the day their coaching
    began, or all that came before once the teacher has agreed, and up to the day it ended.
    The coach it was handed over to, reading it once the teacher agreed: as from their own
    coaching. Anyone else: nothing.
    """
    if relationship.teacher_id == viewer.pk:
        return EVERYTHING
    if relationship.coach_id == viewer.pk:
        consented = relationship.earlier_content_consented_at is not None
        return ContentWindow(
            since=None if consented else coaching_began_on(relationship),
            until=relationship.finished_on,
        )
    later = _running_successor_coached_by(viewer, relationship)
    if later is not None:
        return content_window(viewer, later)
    return NOTHING


def began_on_expression():
    """``coaching_began_on`` in SQL, for a query over relationships."""
    return Greatest(F("started_on"), Coalesce(TruncDate("created_at"), F("started_on")))


def earlier_content_expression():
    """True for a relationship whose teacher has something its coach may read only with their
    consent: coaching handed over to it, or their own content dated before it began (stages,
    and progress notes and evidence on the goals linked to it). The query must carry
    ``began_on`` (``began_on_expression``)."""
    began = OuterRef("began_on")
    return (
        Q(handed_over_from__isnull=False)
        | Exists(
            StageAssessment.objects.filter(teacher_id=OuterRef("teacher_id"), assessed_on__lt=began)
        )
        | Exists(
            GoalProgress.objects.filter(goal__relationship=OuterRef("pk"), written_on__lt=began)
        )
        | Exists(EvidenceItem.objects.filter(goal__relationship=OuterRef("pk"), added_on__lt=began))
    )


def having_earlier_content(pks):
    """Those of the relationships ``pks`` with anything their teacher may agree to let the
    coach read, as a set of primary keys: one query (none for no relationships)."""
    if not pks:
        return set()
    return set(
        Relationship.objects.filter(pk__in=pks)
        .annotate(began_on=began_on_expression())
        .filter(earlier_content_expression())
        .values_list("pk", flat=True)
    )


@rules.predicate
def has_earlier_content(viewer, relationship):
    """Whether there is anything the teacher may agree to let this coach read (looked up once
    per relationship as fetched)."""
    if relationship.handed_over_from_id is not None:
        return True
    cached = getattr(relationship, "_has_earlier_content", None)
    if cached is None:
        cached = relationship.pk in having_earlier_content([relationship.pk])
        relationship._has_earlier_content = cached
    return cached


@rules.predicate
def earlier_content_consented(viewer, relationship):
    return relationship.earlier_content_consented_at is not None
