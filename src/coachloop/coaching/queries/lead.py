"""The coaching lead's home: the school's running coaching, most urgent first, counted by where
each relationship stands against its rhythm, and shown a page at a time.

The rows are ``loop.lead_activity``'s (activity only, never notes); the counts come from every
relationship's standing, and full rows are built only for the page shown, so the page runs
the same few queries, and builds the same number of rows, however large the school.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.translation import ngettext

from coachloop.coaching.queries.loop import lead_activity

# Ten teachers a page: the most urgent are the ones a lead acts on, and the counts above the
# table stand for the rest (the demo's school fills a page, so its page is the page measured).
ROWS_PER_PAGE = 10
OVERDUE, DUE, NOT_VISITED, ON_TRACK = "overdue", "due", "not_visited", "on_track"
BUCKETS = (OVERDUE, DUE, NOT_VISITED, ON_TRACK)


def bucket_of(rhythm):
    """Where a relationship stands: overdue or due (the rhythm's own words), otherwise not
    visited yet, or on track."""
    return _bucket(rhythm.status, visited=rhythm.days_since is not None)


def _bucket(status, *, visited):
    if status in (OVERDUE, DUE):
        return status
    return ON_TRACK if visited else NOT_VISITED


def _label(bucket, figure):
    """The words after the figure: "6 overdue", "1 due soon"."""
    if bucket == OVERDUE:
        return ngettext("overdue", "overdue", figure)
    if bucket == DUE:
        return ngettext("due soon", "due soon", figure)
    if bucket == NOT_VISITED:
        return ngettext("not visited yet", "not visited yet", figure)
    return ngettext("on track", "on track", figure)


@dataclass(frozen=True)
class Count:
    bucket: str
    figure: int
    label: str

    @property
    def needs_attention(self):
        return self.bucket == OVERDUE and self.figure > 0


@dataclass
class LeadHome:
    counts: list  # a Count for each bucket, most urgent first
    page: object  # the page of rows shown (a Django Page of ActivityRows)
    page_numbers: list
    total: int


def lead_home(viewer, *, school, page=1, per_page=None, today=None):
    """The school's running coaching for its lead: a count for each bucket, and the page
    ``page`` of rows, most urgent first (an unknown page number shows the nearest)."""
    rows = lead_activity(viewer, school=school, today=today)
    figures = dict.fromkeys(BUCKETS, 0)
    for standing in rows.standings:
        figures[_bucket(standing.status, visited=standing.last_visit is not None)] += 1
    counts = [Count(b, figures[b], _label(b, figures[b])) for b in BUCKETS]
    paginator = Paginator(rows, per_page or ROWS_PER_PAGE)
    shown = paginator.get_page(page)
    return LeadHome(
        counts=counts,
        page=shown,
        page_numbers=list(paginator.get_elided_page_range(shown.number, on_each_side=1)),
        total=len(rows),
    )
