"""How often a teacher should be seen, and whether they are due.

Weekly by default. A school's own coaching model will set the cadence per group of staff.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

WEEKLY_DAYS = 7
DUE_SOON_DAYS = 2


@dataclass(frozen=True)
class Rhythm:
    status: str  # "overdue", "due" or "ok"
    label: str
    days_since: int | None


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
        return Rhythm("overdue", _("Overdue"), since)
    if today >= due_on - dt.timedelta(days=DUE_SOON_DAYS):
        return Rhythm("due", _("Due"), since)
    return Rhythm("ok", _("Seen recently") if last_visit else _("Not yet due"), since)
