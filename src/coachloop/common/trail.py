"""Who has read a person's records: the reads in their audit trail, grouped by reader and day
in the database and shown a page at a time, however long the history.

Each app that records reads says, through ``contribute`` (from its ``AppConfig.ready``), how
to name what it records and what its people can be to the person whose records were read
(their coach, their tutor, someone they shared an item with). So this module knows no app, and
a page costs the same few queries whatever the size of the trail: the count, the page's
groups, the things read in them, one query per app to name those things, and one for who the
readers are.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Max, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.common.audit import READ
from coachloop.common.models import AuditEvent

PER_PAGE = 25


@dataclass(frozen=True)
class Item:
    """One thing read, as the audit trail records it."""

    target_type: str
    target_id: str
    summary: str


@dataclass(frozen=True)
class Contribution:
    """What one app tells the trail.

    ``names(items)`` names the items of the app's own target types, in one query at most.
    ``relations(viewer)`` gives annotations over a reader (``OuterRef("pk")`` is the reader)
    saying how they relate to the viewer; ``labels(row)`` turns a reader's row of those
    annotations into plain words ("your coach"), none when they are nothing to the viewer.
    """

    names: Callable[[list], dict]
    relations: Callable[[object], dict]
    labels: Callable[[dict], list]


_CONTRIBUTIONS: dict[str, Contribution] = {}


def contribute(app_label, contribution):
    _CONTRIBUTIONS[app_label] = contribution


@dataclass
class ReadsByPerson:
    """What one person read of the viewer's records on one day."""

    day: dt.date
    reader: str
    relations: list = field(default_factory=list)  # empty: nothing to the viewer, say so
    what: list = field(default_factory=list)


@dataclass
class Trail:
    page: object  # the paginator's page of groups
    groups: list
    page_numbers: list  # for the pagination links: numbers, with the paginator's ellipsis


def _day():
    """The day of a read, in the site's time zone."""
    return TruncDate("created_at", tzinfo=timezone.get_default_timezone())


def _start_of(day):
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone()
    )


def reads_of(viewer, *, page=1, per_page=PER_PAGE) -> Trail:
    """The reads of the viewer's records by anyone else, newest day first, one page of them."""
    reads = AuditEvent.objects.filter(subject_id=viewer.pk, verb=READ)
    by_reader_and_day = (
        reads.annotate(day=_day())
        .values("day", "actor_id", "actor__full_name", "actor__email")
        .annotate(last=Max("created_at"))
        .order_by("-day", "-last", "actor_id")
    )
    paginator = Paginator(by_reader_and_day, per_page)
    shown = paginator.get_page(page)
    groups = {
        (row["day"], row["actor_id"]): ReadsByPerson(
            day=row["day"], reader=row["actor__full_name"] or row["actor__email"] or ""
        )
        for row in shown
    }
    if groups:
        _add_what(reads, groups)
        _add_relations(viewer, groups)
    return Trail(
        page=shown,
        groups=list(groups.values()),
        page_numbers=list(paginator.get_elided_page_range(shown.number, on_each_side=1)),
    )


def _add_what(reads, groups):
    """Each group's things read, named, in the order first read that day (one query, and one
    per app whose things are on the page)."""
    on_the_page = Q()
    for day, actor_id in groups:
        next_day = day + dt.timedelta(days=1)
        on_the_page |= Q(
            actor_id=actor_id, created_at__gte=_start_of(day), created_at__lt=_start_of(next_day)
        )
    rows = list(
        reads.filter(on_the_page)
        .annotate(day=_day())
        .values("day", "actor_id", "target_type", "target_id", "summary")
        .annotate(first=Min("created_at"))
        .order_by("first")
    )
    items = [Item(row["target_type"], row["target_id"], row["summary"]) for row in rows]
    names = {}
    for contribution in _CONTRIBUTIONS.values():
        names.update(contribution.names(items))
    for row, item in zip(rows, items, strict=True):
        group = groups.get((row["day"], row["actor_id"]))
        name = names.get(item) or _("your records")
        if group is not None and name not in group.what:
            group.what.append(name)


def _add_relations(viewer, groups):
    """What each reader is to the viewer, from one query over the readers."""
    annotations = {}
    for contribution in _CONTRIBUTIONS.values():
        annotations.update(contribution.relations(viewer))
    reader_ids = {actor_id for _day, actor_id in groups}
    rows = {
        row["pk"]: row
        for row in get_user_model()
        .objects.filter(pk__in=reader_ids)
        .annotate(**annotations)
        .values("pk", *annotations)
    }
    for (_day, actor_id), group in groups.items():
        row = rows.get(actor_id)
        if row is None:
            continue
        for contribution in _CONTRIBUTIONS.values():
            for label in contribution.labels(row):
                if label not in group.relations:
                    group.relations.append(label)
