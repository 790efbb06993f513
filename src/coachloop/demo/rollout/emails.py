"""Demo rows for emails, for the demo trust that ``demo.build.build_demo`` builds.

Two coaches (never the demo's key coach) have turned one kind of email off, and the
reminders that the daily run would already have sent are recorded: every teacher who became
overdue two or more days ago. Teachers who became due or overdue since are left unsent, so
``manage.py enqueue_daily_work`` and ``manage.py db_worker`` on the demo still send some.
"""

import datetime as dt

from coachloop.demo.accounts import key_email
from coachloop.people.models import Membership, Role
from coachloop.rollout.models import EmailPreference, ReminderSent
from coachloop.rollout.reminders import OVERDUE, due_reminders


def demo_emails(trust, today, rng):
    key_coach = key_email(trust.slug, "coach")
    coach_ids = sorted(
        set(
            Membership.objects.current(today)
            .filter(trust=trust, role=Role.COACH)
            .exclude(user__email=key_coach)
            .values_list("user_id", flat=True)
        )
    )
    chosen = rng.sample(coach_ids, k=min(2, len(coach_ids)))
    EmailPreference.objects.bulk_create(
        EmailPreference(
            trust=trust,
            person_id=person_id,
            due_reminders=position != 0,
            weekly_digest=position == 0,
        )
        for position, person_id in enumerate(chosen)
    )
    told_by = today - dt.timedelta(days=2)
    ReminderSent.objects.bulk_create(
        ReminderSent(
            trust=trust, relationship_id=row.relationship_id, kind=OVERDUE, due_on=row.due_on
        )
        for reminder in due_reminders(trust, today=today)
        for row in reminder.teachers
        if row.status == OVERDUE and row.due_on < told_by
    )
