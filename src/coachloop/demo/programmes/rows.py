"""What the programme's demo rows share while they are built, step after step: the trust, the
day, the one ``rng``, and the rows each step has written that later steps refer to.
"""

import datetime as dt

from django.utils import timezone


def on_day_at(day, hour=9, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class ProgrammeRows:
    """The demo's programme, built in memory then saved table by table."""

    def __init__(self, trust, today, rng):
        self.trust = trust
        self.today = today
        self.rng = rng
        real_today = timezone.localdate()
        # A claim is held for two hours from "now": the real time when the demo ends today.
        self.now = timezone.now() if today == real_today else on_day_at(today, 16)
