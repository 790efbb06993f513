"""Due reminders: run through the real database task backend and worker, read from the outbox.

The worker closes and reopens database connections between tasks, which a test wrapped in
one transaction does not survive on PostgreSQL; so these tests commit (``transaction=True``).
"""

import datetime as dt
import io
import sys
import types
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from coachloop.coaching.models import Relationship
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Membership, Role, StaffGroup
from coachloop.rollout import reminders
from coachloop.rollout.management.commands import enqueue_daily_work
from coachloop.rollout.models import ReminderSent
from coachloop.rollout.tasks import send_due_reminders
from tests.factories import DropInFactory
from tests.rollout.emails_fixtures import (
    SITE,
    TODAY,
    FailingBackend,
    coached,
    days_ago,
    fortnightly,
    only_one_to,
    run,
    run_worker,
    to,
    turn_off,
)
from tests.world import SECRET_NOTE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _links_to_the_site(settings):
    settings.COACHLOOP_SITE_URL = SITE


def names_in(email):
    """The teachers an email lists, one per "- name: ..." line."""
    return {
        line[2:].split(":")[0].split(" (")[0]
        for line in email.body.splitlines()
        if line.startswith("- ")
    }


def later(days):
    return (TODAY + dt.timedelta(days=days)).isoformat()


def sent_count():
    with scopes_disabled():
        return ReminderSent.objects.count()


def test_each_coach_gets_one_email_listing_only_their_due_and_overdue_teachers(world):
    coach, other_coach = world.own.coach, world.people["other_coach"]
    olive = coached(world.own.school, coach, "Olive Overdue", last_visit=10)
    coached(world.own.school, coach, "Rita Recent", last_visit=3)
    nina = coached(world.own.school, coach, "Nina Neverseen", started=30)
    coached(world.own.school, other_coach, "Dan Due", last_visit=5)

    emails = run(send_due_reminders, world.trust.pk)

    assert len(emails) == 2
    mine = only_one_to(emails, coach)
    assert names_in(mine) == {"Olive Overdue", "Nina Neverseen"}
    assert mine.subject == "2 teachers are due a drop-in"
    assert names_in(only_one_to(emails, other_coach)) == {"Dan Due"}
    assert "last drop-in 10 days ago" in mine.body
    assert "Nina Neverseen: overdue" in mine.body and "not visited yet" in mine.body
    assert f"{SITE}{reverse('coaching:coachee', args=[olive.pk])}" in mine.body
    assert f"{SITE}{reverse('coaching:coachee', args=[nina.pk])}" in mine.body
    assert f"{SITE}{reverse('coaching:coach_home')}" in mine.body
    assert f"{SITE}{reverse('rollout:emails')}" in mine.body


def test_a_reminder_never_carries_coaching_notes(world):
    coached(world.own.school, world.own.coach, "Olive Overdue", last_visit=10)
    emails = run(send_due_reminders, world.trust.pk)
    assert emails
    for email in emails:
        assert SECRET_NOTE not in email.body + email.subject


def test_nobody_outside_the_trust_or_on_rhythm_is_emailed(world):
    coached(world.other_trust_records.school, world.other_trust_records.coach, "B", last_visit=9)
    # The world's own teachers were seen two days ago: not due under a weekly rhythm.
    assert run(send_due_reminders, world.trust.pk) == []
    assert names_in(
        only_one_to(run(send_due_reminders, world.other_trust.pk), world.other_trust_records.coach)
    ) == {"B"}


def test_a_fortnightly_school_leaves_a_teacher_out_at_eight_days_and_includes_them_at_fifteen(
    world,
):
    fortnightly(world.own.school)
    coached(world.own.school, world.own.coach, "Fiona Fortnightly", last_visit=8)
    coached(world.other_school.school, world.other_school.coach, "Will Weekly", last_visit=8)

    at_eight = run(send_due_reminders, world.trust.pk)
    assert to(at_eight, world.own.coach) == []
    assert names_in(only_one_to(at_eight, world.other_school.coach)) == {"Will Weekly"}

    at_fifteen = run(send_due_reminders, world.trust.pk, later(7))
    assert names_in(only_one_to(at_fifteen, world.own.coach)) == {"Fiona Fortnightly"}
    assert "last drop-in 15 days ago" in at_fifteen[0].body


def test_a_fortnightly_school_still_sees_early_career_teachers_weekly(world):
    fortnightly(world.own.school)
    coached(
        world.own.school,
        world.own.coach,
        "Ezra Early",
        last_visit=8,
        staff_group=StaffGroup.EARLY_CAREER,
    )
    coached(world.own.school, world.own.coach, "Fiona Fortnightly", last_visit=8)

    emails = run(send_due_reminders, world.trust.pk)

    assert names_in(only_one_to(emails, world.own.coach)) == {"Ezra Early"}


def test_a_mentee_is_reminded_about_on_the_rhythm_of_their_own_mentoring(world):
    monthly = coached(world.own.school, world.own.coach, "Mo Mentee", last_visit=10)
    coached(world.own.school, world.own.coach, "Olive Overdue", last_visit=10)
    with scopes_disabled():
        Relationship.objects.filter(pk=monthly.pk).update(cadence_days=30)

    with trust_scope(world.trust):
        found = reminders.due_reminders(world.trust, today=TODAY)

    assert [row.teacher_name for reminder in found for row in reminder.teachers] == [
        "Olive Overdue"
    ]
    with trust_scope(world.trust):
        later_on = reminders.due_reminders(world.trust, today=TODAY + dt.timedelta(days=19))
    assert "Mo Mentee" in {row.teacher_name for r in later_on for row in r.teachers}


def test_running_the_reminders_twice_sends_nothing_new(world):
    coached(world.own.school, world.own.coach, "Olive Overdue", last_visit=10)
    coached(world.own.school, world.people["other_coach"], "Dan Due", last_visit=5)
    assert len(run(send_due_reminders, world.trust.pk)) == 2
    recorded = sent_count()

    assert run(send_due_reminders, world.trust.pk) == []
    assert sent_count() == recorded == 2

    coached(world.own.school, world.own.coach, "Nina Neverseen", started=30)
    third = run(send_due_reminders, world.trust.pk)
    assert names_in(only_one_to(third, world.own.coach)) == {"Nina Neverseen"}
    assert len(third) == 1


def test_a_teacher_due_today_is_mentioned_again_only_when_they_become_overdue(world):
    relationship = coached(world.own.school, world.own.coach, "Dan Due", last_visit=5)
    first = only_one_to(run(send_due_reminders, world.trust.pk), world.own.coach)
    assert "Dan Due: due by" in first.body

    assert run(send_due_reminders, world.trust.pk, later(1)) == []  # still due, not overdue
    overdue = only_one_to(run(send_due_reminders, world.trust.pk, later(3)), world.own.coach)
    assert "Dan Due: overdue" in overdue.body
    with scopes_disabled():
        kinds = set(
            ReminderSent.objects.filter(relationship=relationship).values_list("kind", "due_on")
        )
    assert kinds == {
        ("due", days_ago(5) + dt.timedelta(days=7)),
        ("overdue", days_ago(5) + dt.timedelta(days=7)),
    }


def test_a_new_drop_in_starts_a_new_due_date_and_a_new_reminder(world):
    relationship = coached(world.own.school, world.own.coach, "Olive Overdue", last_visit=20)
    assert to(run(send_due_reminders, world.trust.pk), world.own.coach)
    with scopes_disabled():
        DropInFactory(relationship=relationship, visited_on=days_ago(9))
    again = run(send_due_reminders, world.trust.pk)
    assert names_in(only_one_to(again, world.own.coach)) == {"Olive Overdue"}


def test_an_opted_out_coach_gets_no_reminders_and_others_still_do(world):
    coached(world.own.school, world.own.coach, "Olive Overdue", last_visit=10)
    coached(world.own.school, world.people["other_coach"], "Dan Due", last_visit=5)
    turn_off(world.own.coach, due_reminders=False)

    emails = run(send_due_reminders, world.trust.pk)

    assert to(emails, world.own.coach) == []
    assert names_in(only_one_to(emails, world.people["other_coach"])) == {"Dan Due"}


def test_turning_off_only_the_digest_keeps_the_reminders(world):
    coached(world.own.school, world.own.coach, "Olive Overdue", last_visit=10)
    turn_off(world.own.coach, weekly_digest=False)
    assert to(run(send_due_reminders, world.trust.pk), world.own.coach)


def test_ended_coaching_and_coaches_without_a_current_role_are_left_out(world):
    ended = coached(world.own.school, world.own.coach, "Ended Eve", last_visit=10)
    coached(world.own.school, world.people["other_coach"], "Dan Due", last_visit=5)
    with scopes_disabled():
        type(ended).objects.filter(pk=ended.pk).update(finished_on=days_ago(1))
        Membership.objects.filter(user=world.people["other_coach"], role=Role.COACH).update(
            finished_on=days_ago(1)
        )

    assert run(send_due_reminders, world.trust.pk) == []


def test_a_send_that_fails_is_not_recorded_and_goes_on_the_next_run(world, settings):
    settings.EMAIL_BACKEND = "tests.rollout.emails_fixtures.FailingBackend"
    FailingBackend.refuse = {world.own.coach.email}
    coached(world.own.school, world.own.coach, "Olive Overdue", last_visit=10)
    coached(world.own.school, world.people["other_coach"], "Dan Due", last_visit=5)
    try:
        result = send_due_reminders.enqueue(world.trust.pk)
        run_worker()
        result.refresh()
        assert result.status == TaskResultStatus.FAILED
        assert [email.to for email in mail.outbox] == [[world.people["other_coach"].email]]
        assert sent_count() == 1  # Dan's only
    finally:
        FailingBackend.refuse = set()
    emails = run(send_due_reminders, world.trust.pk)
    assert names_in(only_one_to(emails, world.own.coach)) == {"Olive Overdue"}
    assert len(emails) == 1


def test_a_trust_that_no_longer_exists_is_a_quiet_no_op(world):
    assert run(send_due_reminders, 987654) == []


def test_the_reminder_reads_do_not_grow_with_the_number_of_teachers(world):
    def queries():
        with trust_scope(world.trust), CaptureQueriesContext(connection) as captured:
            reminders.due_reminders(world.trust, today=TODAY)
        return len(captured)

    coached(world.own.school, world.own.coach, "Olive Overdue", last_visit=10)
    few = queries()
    for n in range(6):
        coached(world.own.school, world.people["other_coach"], f"Teacher {n}", last_visit=9)
    # Six: the school's model (two), staff groups, and the reminders' own reads (the
    # relationships read carry their own rhythm, for mentoring).
    assert queries() == few <= 6


# --- manage.py enqueue_daily_work ----------------------------------------------------------

TUESDAY = dt.date(2026, 3, 3)
MONDAY = dt.date(2026, 3, 2)


def queued():
    return sorted(
        (row.task_path.rsplit(".", 1)[1], row.args_kwargs["args"][0])
        for row in DBTaskResult.objects.all()
    )


def enqueue_on(day, *args):
    with mock.patch.object(enqueue_daily_work, "timezone") as clock:
        clock.localdate.return_value = day
        call_command("enqueue_daily_work", *args, stdout=io.StringIO())


@pytest.fixture
def no_rollups(monkeypatch):
    """As if the insights app had no tasks module yet."""
    monkeypatch.setitem(sys.modules, enqueue_daily_work.ROLLUPS_MODULE, None)


def test_the_daily_command_queues_reminders_for_every_trust_and_no_digest_on_a_tuesday(
    world, no_rollups
):
    enqueue_on(TUESDAY)
    trusts = sorted([world.trust.pk, world.other_trust.pk])
    # and the erasure of what each trust's retention period has run out for, and the
    # webhooks' catch-up (coachloop.api.tasks)
    names = ("send_due_reminders", "erase_expired", "webhooks_catch_up")
    assert queued() == sorted([(name, pk) for pk in trusts for name in names])


def test_the_daily_command_queues_digests_on_mondays_and_when_asked(world, no_rollups):
    enqueue_on(MONDAY)
    digests = [name for name, _pk in queued() if name == "send_weekly_digests"]
    assert len(digests) == 2
    DBTaskResult.objects.all().delete()
    enqueue_on(TUESDAY, "--digest")
    assert {name for name, _pk in queued()} == {
        "send_due_reminders",
        "send_weekly_digests",
        "erase_expired",
        "webhooks_catch_up",
    }


def test_the_daily_command_queues_the_insights_rollups_when_that_task_exists(world, monkeypatch):
    calls = []
    fake = types.ModuleType(enqueue_daily_work.ROLLUPS_MODULE)
    fake.rollups_update = types.SimpleNamespace(enqueue=calls.append)
    monkeypatch.setitem(sys.modules, enqueue_daily_work.ROLLUPS_MODULE, fake)
    enqueue_on(TUESDAY)
    assert sorted(calls) == sorted([world.trust.pk, world.other_trust.pk])


def test_the_daily_command_then_the_worker_send_the_reminders_and_digests(world, no_rollups):
    coached(world.own.school, world.own.coach, "Olive Overdue", last_visit=10)
    call_command("enqueue_daily_work", "--digest", stdout=io.StringIO())
    run_worker()
    assert all(row.status == TaskResultStatus.SUCCESSFUL for row in DBTaskResult.objects.all())
    subjects = [email.subject for email in to(mail.outbox, world.own.coach)]
    assert "Olive Overdue is due a drop-in" in subjects
    assert any(subject.startswith("Your coaching digest") for subject in subjects)
