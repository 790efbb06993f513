"""The nightly erasure of what a trust's retention period has run out for
(``people.erasure.expired_erase``), queued for each trust by ``manage.py enqueue_daily_work``.
Safe to run twice, or again after a crash: what is erased is gone, so a second run finds
nothing more and writes no audit event."""

import datetime as dt

from django_tasks import task

from coachloop.common.tenancy import trust_scope
from coachloop.people.erasure import expired_erase
from coachloop.people.models import Trust


@task()
def erase_expired(trust_id: int, on: str | None = None) -> dict:
    """``on`` is an ISO date to run as if it were that day (today when left out)."""
    trust = Trust.objects.filter(pk=trust_id).first()
    if trust is None:
        return {"total": 0}
    today = dt.date.fromisoformat(on) if on else None
    with trust_scope(trust):
        done = expired_erase(trust=trust, today=today)
    return {"cutoff": done["cutoff"].isoformat(), "total": done["total"]}
