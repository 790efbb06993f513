"""A digest run that dies half-way (its worker killed between two emails), then run again,
sends each person's digest exactly once and loses none. (The real kill of a worker process
is in tests/common/test_worker_killed.py.)"""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.rollout import reminders
from coachloop.rollout.models import DigestSent
from coachloop.rollout.tasks import send_weekly_digests
from tests.rollout.emails_fixtures import TODAY, coached, run

pytestmark = pytest.mark.django_db(transaction=True)


class Killed(BaseException):
    """What the worker's process dying looks like from inside the task: nothing after it runs."""


class DiesAfterTwo(EmailBackend):
    def send_messages(self, messages):
        if len(mail.outbox) >= 2:
            raise Killed
        return super().send_messages(messages)


def everyone_due_a_digest(trust):
    with trust_scope(trust):
        digests = reminders.weekly_digests(trust, today=TODAY)
    return sorted([d.coach.email for d in digests.coaches] + [d.lead.email for d in digests.leads])


def test_a_digest_run_that_died_half_way_then_ran_again_sends_each_digest_once(world, settings):
    for n in range(3):
        coached(world.own.school, world.people["other_coach"], f"Teacher {n}", last_visit=3)
    due = everyone_due_a_digest(world.trust)
    assert len(due) > 3

    settings.EMAIL_BACKEND = "tests.rollout.test_digests_after_a_crash.DiesAfterTwo"
    with pytest.raises(Killed):
        send_weekly_digests.call(world.trust.pk, TODAY.isoformat())
    assert len(mail.outbox) == 2
    with scopes_disabled():
        assert DigestSent.objects.count() == 2  # the third was rolled back with its send

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run(send_weekly_digests, world.trust.pk, TODAY.isoformat())

    assert sorted(email.to[0] for email in mail.outbox) == due
    with scopes_disabled():
        assert DigestSent.objects.count() == len(due)
