"""Background tasks for reminders and digests, run by ``manage.py db_worker``.

Each task is given a trust's id (task arguments are stored as JSON), opens that trust's scope
and does the whole trust: a fixed number of queries, then one email per person. A send that
fails is logged and the others still go; the task then fails, so operators see it, and a
reminder that was not sent is not recorded, so the next run tries it again.
``manage.py enqueue_daily_work`` queues these every day from cron.
"""

import datetime as dt
import logging

from django.core.mail import get_connection
from django.db import IntegrityError
from django.utils import timezone
from django_tasks import task

from coachloop.common.tenancy import trust_scope
from coachloop.people.models import Trust
from coachloop.rollout import reminders
from coachloop.rollout.services.emails import digest_send, due_reminder_send

logger = logging.getLogger(__name__)


class EmailsNotSent(Exception):
    """Some emails of a run could not be handed to the mail server."""


def _today(on):
    return dt.date.fromisoformat(on) if on else timezone.localdate()


def _trust(trust_id):
    trust = Trust.objects.filter(pk=trust_id).first()
    if trust is None:
        logger.warning("No trust with id %s: nothing to send.", trust_id)
    return trust


@task()
def send_due_reminders(trust_id: int, on: str | None = None) -> dict:
    """Tell each coach about teachers who have become due or overdue a drop-in.

    ``on`` is an ISO date to run as if it were that day (today when left out).
    """
    trust = _trust(trust_id)
    if trust is None:
        return {"emails": 0, "teachers": 0}
    today = _today(on)
    emails = teachers = failed = 0
    with trust_scope(trust), reminders.in_site_language(), get_connection() as connection:
        for reminder in reminders.due_reminders(trust, today=today):
            try:
                due_reminder_send(
                    trust=trust,
                    reminder=reminder,
                    message=reminders.due_reminder_message(reminder, trust=trust),
                    connection=connection,
                )
            except IntegrityError:
                logger.info("Coach %s was reminded by another run.", reminder.coach.pk)
                continue
            except Exception:
                logger.exception("Could not send a due reminder to person %s.", reminder.coach.pk)
                failed += 1
                continue
            emails += 1
            teachers += len(reminder.teachers)
    logger.info(
        "Due reminders for trust %s: %d email(s) about %d teacher(s), %d not sent.",
        trust_id,
        emails,
        teachers,
        failed,
    )
    if failed:
        raise EmailsNotSent(f"{failed} due reminder(s) for trust {trust_id} were not sent.")
    return {"emails": emails, "teachers": teachers}


@task()
def send_weekly_digests(trust_id: int, on: str | None = None) -> dict:
    """Send each coach and coaching lead their digest of the week before ``on`` (today)."""
    trust = _trust(trust_id)
    if trust is None:
        return {"emails": 0}
    today = _today(on)
    emails = failed = 0
    with trust_scope(trust), reminders.in_site_language(), get_connection() as connection:
        digests = reminders.weekly_digests(trust, today=today)
        messages = [
            *(
                ("coach", d.coach.pk, reminders.coach_digest_message(d, digests.week, trust=trust))
                for d in digests.coaches
            ),
            *(
                ("lead", d.lead.pk, reminders.lead_digest_message(d, digests.week, trust=trust))
                for d in digests.leads
            ),
        ]
        for kind, person_id, message in messages:
            try:
                digest_send(
                    trust=trust,
                    person_id=person_id,
                    kind=kind,
                    week=digests.week.first,
                    message=message,
                    connection=connection,
                )
            except IntegrityError:
                logger.info("Person %s already had this week's %s digest.", person_id, kind)
                continue
            except Exception:
                logger.exception("Could not send a weekly digest to person %s.", person_id)
                failed += 1
                continue
            emails += 1
    logger.info("Weekly digests for trust %s: %d email(s), %d not sent.", trust_id, emails, failed)
    if failed:
        raise EmailsNotSent(f"{failed} weekly digest(s) for trust {trust_id} were not sent.")
    return {"emails": emails}
