"""Recording that a person looked at their home page (``HomeLook``).

The person's own bookkeeping, written by no one else and shown to no one else: not audited
(an audit event on every look would bury the trail a teacher reads), as a sign-in record is
not. It is written once a visit, by one statement, so it needs no transaction block.
"""

import datetime as dt

from django.utils import timezone

from coachloop.coaching.models import HomeLook

# Looks within this time of a visit's first are the same visit: the page keeps marking the
# same things as new while the person reads it, comes back from a drop-in or reloads it.
VISIT = dt.timedelta(hours=1)


def home_look(*, viewer, page, now=None):
    """Note that ``viewer`` is looking at their ``page`` home, and return what is new since:
    the time the visit before this one began, or ``None`` on the first visit ever."""
    now = now or timezone.now()
    look = HomeLook.objects.filter(person=viewer.user, page=page).first()
    if look is None:
        # Two tabs opened at once make one row: the second insert is ignored.
        first = HomeLook(trust=viewer.trust, person=viewer.user, page=page, looked_at=now)
        HomeLook.objects.bulk_create([first], ignore_conflicts=True)
        return None
    if now - look.looked_at < VISIT:
        return look.before
    HomeLook.objects.filter(pk=look.pk).update(before=look.looked_at, looked_at=now)
    return look.looked_at
