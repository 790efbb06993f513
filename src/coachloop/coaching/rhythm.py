"""How often a teacher should be seen, and whether they are due.

The cadence comes from the school's coaching model, per group of staff
(``rollout.queries.cadences``); weekly when nothing else is known.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

WEEKLY_DAYS = 7
DUE_SOON_DAYS = 2


@dataclass(frozen=True)
class Rhythm:
    status: str  # "overdue", "due" or "ok"
    label: str
    days_since: int | None

    @property
    def since_label(self):
        if self.days_since is None:
            return _("Not visited yet")
        if self.days_since == 0:
            return _("Today")
        if self.days_since == 1:
            return _("Yesterday")
        return ngettext("%(days)d day ago", "%(days)d days ago", self.days_since) % {
            "days": self.days_since
        }


def rhythm_for(
    *,
    last_visit: dt.date | None,
    started_on: dt.date,
    today: dt.date,
    cadence_days: int = WEEKLY_DAYS,
) -> Rhythm:
    since = (today - last_visit).days if last_visit else None
    anchor = last_visit or started_on
    due_on = anchor + dt.timedelta(days=cadence_days)
    if today > due_on:
        return Rhythm("overdue", _("Drop-in overdue"), since)
    if today >= due_on - dt.timedelta(days=DUE_SOON_DAYS):
        return Rhythm("due", _("Drop-in due"), since)
    return Rhythm("ok", _("Visited recently") if last_visit else _("Not due yet"), since)
