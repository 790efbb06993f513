"""How often a teacher should be seen, and whether they are due.

The cadence is a relationship's own rhythm where it has one (a mentoring relationship's),
otherwise the school's coaching model for the teacher's group of staff (``cadences``, from
``coachloop.policy``); weekly when nothing else is known.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coachloop.coaching.models import Relationship
from coachloop.policy.queries import school_models, staff_groups

WEEKLY_DAYS = 7
DUE_SOON_DAYS = 2
TAG_CLASSES = {"overdue": "govuk-tag--red", "due": "govuk-tag--yellow", "ok": "govuk-tag--green"}


@dataclass(frozen=True)
class Rhythm:
    status: str  # "overdue", "due" or "ok"
    label: str
    days_since: int | None

    @property
    def tag_class(self):
        """The colour of the rhythm's tag."""
        return TAG_CLASSES[self.status]

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
    # A teacher never visited is not "not due": they are waiting for their first drop-in.
    return Rhythm("ok", _("Visited recently") if last_visit else _("Not visited yet"), since)


def _rhythm_row(relationship) -> Mapping:
    """The columns a cadence needs, as a ``.values()`` row: ``pk``, ``school_id``,
    ``teacher_id`` and, where the relationship carries it, ``cadence_days``. A Relationship
    built by hand, or read without that column, does not carry it (reading it there would
    cost a query per row)."""
    if isinstance(relationship, Mapping):
        return relationship
    row = {
        "pk": relationship.pk,
        "school_id": relationship.school_id,
        "teacher_id": relationship.teacher_id,
    }
    if not relationship._state.adding and "cadence_days" not in relationship.get_deferred_fields():
        row["cadence_days"] = relationship.cadence_days
    return row


def cadences(trust, relationships, *, on=None) -> dict[int, int]:
    """Days between drop-ins for each relationship: its own rhythm where it has one (a
    mentoring relationship's), otherwise its school's model for the teacher's staff group.

    ``relationships`` are Relationships, or ``.values()`` rows with ``pk``, ``school_id``,
    ``teacher_id`` and ``cadence_days``. Three queries, and one more when some of them do not
    carry ``cadence_days`` (see ``_rhythm_row``).
    """
    rows = [_rhythm_row(r) for r in relationships]
    if not rows:
        return {}
    models = school_models(trust, {r["school_id"] for r in rows})
    groups = staff_groups(trust, {(r["teacher_id"], r["school_id"]) for r in rows}, on=on)
    own = {r["pk"]: r.get("cadence_days") for r in rows}
    not_carried = {r["pk"] for r in rows if "cadence_days" not in r}
    if not_carried:
        found = Relationship.objects.filter(
            trust=trust,
            school__in={r["school_id"] for r in rows},
            cadence_days__isnull=False,
        ).values_list("pk", "cadence_days")
        own.update((pk, days) for pk, days in found if pk in not_carried)
    return {
        r["pk"]: own[r["pk"]]
        or models[r["school_id"]].cadence_days(groups[(r["teacher_id"], r["school_id"])])
        for r in rows
    }
