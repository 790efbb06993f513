"""The weekly digest, run through the real database task backend and worker.

These tests commit (``transaction=True``): the worker closes and reopens database connections,
which a test wrapped in one transaction does not survive on PostgreSQL.

The week is the seven days before the run (Monday to Sunday when it runs on a Monday). In
school A1, for the week before today:

| teacher | coach | drop-ins in the week | last seen | today |
|---|---|---|---|---|
| Teacher a1 (the world's) | Coach a1 | 2 days ago | 2 days | on rhythm |
| Ed Embedded | Coach a1 | 3 and 6 days ago | 3 days | on rhythm |
| Olive Overdue | Coach a1 | none (8 and 10 days ago) | 8 days | overdue |
| Dan Due | Another Coach | 5 and 7 days ago | 5 days | due |

Ed's first step became habit 4 days ago and a new one was set the same day.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coachloop.coaching.models import ActionStep
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.rollout import reminders
from coachloop.rollout.tasks import send_weekly_digests
from tests.factories import ActionStepFactory, DropInFactory
from tests.rollout.emails_fixtures import (
    SITE,
    TODAY,
    coached,
    days_ago,
    fortnightly,
    only_one_to,
    run,
    to,
    turn_off,
)
from tests.world import SECRET_NOTE

pytestmark = pytest.mark.django_db(transaction=True)

STEP_PRIVATE = "Success looks like a private criterion 51c2"


@pytest.fixture(autouse=True)
def _links_to_the_site(settings):
    settings.COACHLOOP_SITE_URL = SITE


@pytest.fixture
def week(world):
    school, coach = world.own.school, world.own.coach
    ed = coached(school, coach, "Ed Embedded", last_visit=3)
    olive = coached(school, coach, "Olive Overdue", last_visit=10)
    dan = coached(school, world.people["other_coach"], "Dan Due", last_visit=5)
    with scopes_disabled():
        DropInFactory(relationship=ed, visited_on=days_ago(6), noticed=SECRET_NOTE)
        DropInFactory(relationship=olive, visited_on=days_ago(8), noticed=SECRET_NOTE)
        DropInFactory(relationship=dan, visited_on=days_ago(7), noticed=SECRET_NOTE)
        ActionStepFactory(
            relationship=ed,
            title="Cold call after wait time",
            success_looks_like=STEP_PRIVATE,
            set_on=days_ago(20),
            closed_on=days_ago(4),
            status=ActionStep.Status.EMBEDDED,
            outcome=ActionStep.Outcome.EMBEDDED,
        )
        ActionStepFactory(
            relationship=ed, title="Narrate the positive", set_on=days_ago(4), closed_on=None
        )
    return {"ed": ed, "olive": olive, "dan": dan}


def figure(email, label):
    found = re.findall(rf"^{re.escape(label)}: (.+)$", email.body, flags=re.M)
    assert len(found) == 1, (label, email.body)
    return found[0]


def listed(email):
    return [line for line in email.body.splitlines() if line.startswith("- ")]


def test_the_digest_reaches_each_coach_and_each_coaching_lead_and_nobody_else(world, week):
    emails = run(send_weekly_digests, world.trust.pk)
    recipients = sorted(email.to[0] for email in emails)
    assert recipients == sorted(
        [
            world.own.coach.email,
            world.people["other_coach"].email,
            world.other_school.coach.email,
            world.people["coaching_lead"].email,
            "lead-a2@example.org",
        ]
    )
    for persona in ("teacher", "headteacher", "trust_lead", "administrator"):
        assert to(emails, world.people[persona]) == []


def test_a_coach_s_digest_lists_their_teachers_due_and_last_week_s_work(world, week):
    emails = run(send_weekly_digests, world.trust.pk)
    email = only_one_to(emails, world.own.coach)
    assert email.subject.startswith("Your coaching digest for the week of ")
    assert figure(email, "Drop-ins recorded") == "3"
    assert figure(email, "Action steps embedded") == "1"
    assert figure(email, "Due a drop-in now") == "1"
    assert listed(email) == [
        "- Ed Embedded: Cold call after wait time",
        "- Olive Overdue (overdue; last drop-in 8 days ago)",
    ]
    assert f"{SITE}{reverse('coaching:coachee', args=[week['olive'].pk])}" in email.body
    assert f"{SITE}{reverse('coaching:coach_home')}" in email.body
    assert f"{SITE}{reverse('rollout:emails')}" in email.body

    other = only_one_to(emails, world.people["other_coach"])
    assert figure(other, "Drop-ins recorded") == "2"
    assert listed(other) == ["- Dan Due (due; last drop-in 5 days ago)"]


def test_a_coaching_lead_s_digest_has_the_school_s_figures_for_last_week(world, week):
    email = only_one_to(run(send_weekly_digests, world.trust.pk), world.people["coaching_lead"])
    assert email.subject.startswith("Coaching at School A1: ")
    assert figure(email, "Drop-ins recorded") == "5"
    assert figure(email, "Teachers seen") == "3 of 4 being coached"
    assert figure(email, "Teachers overdue a drop-in today") == "1"
    assert figure(email, "Action steps set") == "1"
    assert figure(email, "Action steps embedded") == "1"
    assert listed(email) == ["- Olive Overdue (coach: Coach a1; last drop-in 8 days ago)"]
    assert f"{SITE}{reverse('coaching:lead_home', args=['a1'])}" in email.body
    assert f"{SITE}{reverse('rollout:emails')}" in email.body


def test_a_teacher_whose_coaching_has_ended_counts_as_a_drop_in_but_not_as_coached(world, week):
    ended = coached(world.own.school, world.own.coach, "Ended Eve", last_visit=3)
    with scopes_disabled():
        type(ended).objects.filter(pk=ended.pk).update(finished_on=days_ago(1))
    email = only_one_to(run(send_weekly_digests, world.trust.pk), world.people["coaching_lead"])
    assert figure(email, "Drop-ins recorded") == "6"
    assert figure(email, "Teachers seen") == "3 of 4 being coached"


def test_another_school_s_lead_sees_only_their_own_school(world, week):
    emails = run(send_weekly_digests, world.trust.pk)
    email = next(e for e in emails if e.to == ["lead-a2@example.org"])
    assert "School A2" in email.subject
    assert figure(email, "Drop-ins recorded") == "1"
    assert figure(email, "Teachers seen") == "1 of 1 being coached"
    assert "Olive" not in email.body and "School A1" not in email.body


def test_no_digest_carries_coaching_notes_or_step_criteria(world, week):
    emails = run(send_weekly_digests, world.trust.pk)
    assert emails
    for email in emails:
        assert SECRET_NOTE not in email.subject + email.body
        assert STEP_PRIVATE not in email.body


def test_the_digest_follows_a_fortnightly_school_s_rhythm(world, week):
    fortnightly(world.own.school)
    emails = run(send_weekly_digests, world.trust.pk)
    lead = only_one_to(emails, world.people["coaching_lead"])
    assert figure(lead, "Teachers overdue a drop-in today") == "0"
    coach = only_one_to(emails, world.own.coach)
    assert "Nobody you coach is due a drop-in at the moment." in coach.body


def test_opted_out_coaches_and_leads_get_no_digest(world, week):
    turn_off(world.own.coach, weekly_digest=False)
    turn_off(world.people["coaching_lead"], weekly_digest=False)
    emails = run(send_weekly_digests, world.trust.pk)
    assert to(emails, world.own.coach) == []
    assert to(emails, world.people["coaching_lead"]) == []
    assert to(emails, world.people["other_coach"])


def test_a_digest_run_for_one_trust_never_reaches_another(world, week):
    emails = run(send_weekly_digests, world.other_trust.pk)
    assert sorted(e.to[0] for e in emails) == sorted(
        [world.other_trust_records.coach.email, "lead-b1@example.org"]
    )
    assert all("School A" not in email.body for email in emails)


def test_the_week_is_the_seven_days_before_the_run(world, week):
    monday = TODAY + dt.timedelta(days=(7 - TODAY.weekday()) % 7)
    digest = reminders.Week.before(monday)
    assert digest.first.weekday() == 0 and digest.last.weekday() == 6
    assert (digest.last - digest.first).days == 6


def test_the_digest_reads_do_not_grow_with_the_number_of_teachers(world, week):
    def queries():
        with trust_scope(world.trust), CaptureQueriesContext(connection) as captured:
            reminders.weekly_digests(world.trust, today=TODAY)
        return len(captured)

    few = queries()
    for n in range(6):
        coached(world.own.school, world.people["other_coach"], f"Teacher {n}", last_visit=4)
    assert queries() == few <= 9


def test_running_the_digest_twice_in_a_week_sends_nothing_new(world, week):
    first = run(send_weekly_digests, world.trust.pk)
    assert first
    again = run(send_weekly_digests, world.trust.pk)
    assert again == []
