"""Helpers for the reminder and digest tests: coached teachers at a chosen distance from their
last drop-in, a fortnightly school, and the real database worker run until the queue is empty.
"""

import datetime as dt
import io
import re
import signal

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.people.queries import viewer_for
from coachloop.policy.models import SchoolModel
from coachloop.rollout.services.emails import email_preference_set
from tests.factories import (
    DropInFactory,
    MembershipFactory,
    RelationshipFactory,
    UserFactory,
)
from tests.world import SECRET_NOTE

TODAY = timezone.localdate()
SITE = "https://coaching.example.org"
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


def days_ago(days):
    return TODAY - dt.timedelta(days=days)


def member(school, role, name, *, staff_group=None, started_days_ago=365):
    email = re.sub(r"[^a-z0-9]+", ".", name.lower()) + "@example.org"
    user = UserFactory(full_name=name, email=email)
    extra = {"staff_group": staff_group} if staff_group else {}
    with scopes_disabled():
        MembershipFactory(
            user=user, school=school, role=role, started_on=days_ago(started_days_ago), **extra
        )
    return user


def coached(school, coach, name, *, last_visit=None, started=60, staff_group=None):
    """A new teacher coached by ``coach``, last seen ``last_visit`` days ago (or never).

    Their drop-in carries the secret note, so any email that leaks notes is caught.
    """
    teacher = member(school, Role.TEACHER, name, staff_group=staff_group)
    with scopes_disabled():
        relationship = RelationshipFactory(
            school=school, coach=coach, teacher=teacher, started_on=days_ago(started)
        )
        if last_visit is not None:
            DropInFactory(
                relationship=relationship,
                visited_on=days_ago(last_visit),
                noticed=f"{SECRET_NOTE} about {name}",
                strengths=f"{SECRET_NOTE} strengths",
                evidence=f"{SECRET_NOTE} evidence",
            )
    return relationship


def fortnightly(school):
    """Make ``school`` see its teachers every fourteen days, in the trust's scope."""
    with trust_scope(school.trust):
        SchoolModel.objects.update_or_create(
            school=school, defaults={"trust": school.trust, "cadence_teachers": 14}
        )


def turn_off(user, **choices):
    viewer = viewer_for(user)
    wanted = {"due_reminders": True, "weekly_digest": True, **choices}
    with trust_scope(viewer.trust):
        email_preference_set(viewer=viewer, **wanted)


def run_worker():
    """What ``manage.py db_worker --batch`` does: run every queued task, then stop.

    The worker sets its own handlers for Ctrl+C; they are put back afterwards.
    """
    handlers = {number: signal.getsignal(number) for number in SIGNALS}
    try:
        call_command(
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0",
            stdout=io.StringIO(),
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def run(task, *args):
    """Queue ``task`` through the real database backend, run the worker, and return the
    emails it sent. The task must have succeeded."""
    before = len(mail.outbox)
    result = task.enqueue(*args)
    run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    return mail.outbox[before:]


def to(emails, user):
    """The emails sent to ``user``."""
    return [email for email in emails if email.to == [user.email]]


def only_one_to(emails, user):
    mine = to(emails, user)
    assert len(mine) == 1, [email.to for email in emails]
    return mine[0]


class FailingBackend(EmailBackend):
    """An email backend whose server refuses mail for one address."""

    refuse = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refuse:
                raise ConnectionRefusedError("the mail server refused the message")
        return super().send_messages(messages)
