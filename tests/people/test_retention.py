"""A trust's retention period: each night what ended longer ago than it is erased (coaching
relationships, groups, programme enrolments, the rows of old roster files, and people whose
last role ended then), once; ``manage.py erase_expired --dry-run`` says what would go."""

import datetime as dt
import io

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.urls import reverse

from coachloop.coaching.models import (
    CoachingGroup,
    DropIn,
    Goal,
    GoalProgress,
    Reflection,
    Relationship,
    ShareGrant,
)
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.erasure import expired_erase, retention_cutoff
from coachloop.people.models import Membership, Role, SignIn, Trust
from coachloop.people.tasks import erase_expired
from coachloop.programmes.models import Enrolment, Submission
from tests.factories import MembershipFactory
from tests.people.personal_data_helpers import build
from tests.world import build_world

pytestmark = pytest.mark.django_db

BUILT = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)
LATER = dt.datetime(2032, 3, 1, 12, tzinfo=dt.UTC)  # six years on: the cutoff is 1 March 2026


@pytest.fixture
def world(db):
    """The test world as it was in January 2026: school A1's coaching ended on 1 February
    2026, with its teacher's last role; school A2's coaching ended on 1 June 2026."""
    with time_machine.travel(BUILT, tick=False):
        world = build_world()
    with scopes_disabled():
        Relationship.objects.filter(pk=world.own.relationship.pk).update(
            finished_on=dt.date(2026, 2, 1)
        )
        Relationship.objects.filter(pk=world.other_school.relationship.pk).update(
            finished_on=dt.date(2026, 6, 1)
        )
        Membership.objects.filter(user=world.own.teacher).update(finished_on=dt.date(2026, 2, 1))
    return world


def _run(trust, **options):
    with trust_scope(trust):
        return expired_erase(trust=trust, **options)


def test_the_cutoff_is_the_trusts_years_before_today():
    trust = Trust(retention_years=6)
    assert retention_cutoff(trust, dt.date(2032, 3, 1)) == dt.date(2026, 3, 1)
    assert retention_cutoff(trust, dt.date(2032, 2, 29)) == dt.date(2026, 2, 28)


def test_coaching_that_ended_before_the_cutoff_is_erased_and_later_coaching_kept(world):
    with time_machine.travel(LATER, tick=False):
        done = _run(world.trust)
    assert done["cutoff"] == dt.date(2026, 3, 1)
    with scopes_disabled():
        assert not Relationship.objects.filter(pk=world.own.relationship.pk).exists()
        assert not DropIn.objects.filter(pk=world.own.dropin.pk).exists()
        assert Relationship.objects.filter(pk=world.other_school.relationship.pk).exists()
        assert DropIn.objects.filter(pk=world.other_school.dropin.pk).exists()
        # Another trust's coaching is its own trust's business.
        assert DropIn.objects.filter(pk=world.other_trust_records.dropin.pk).exists()


def test_nothing_expires_before_its_time(world):
    with time_machine.travel(dt.datetime(2032, 1, 31, 12, tzinfo=dt.UTC), tick=False):
        assert _run(world.trust)["total"] == 0
    with scopes_disabled():
        assert Relationship.objects.filter(pk=world.own.relationship.pk).exists()


def test_a_person_whose_last_role_ended_before_the_cutoff_is_erased(world):
    teacher = world.own.teacher
    with time_machine.travel(LATER, tick=False):
        done = _run(world.trust)
    teacher.refresh_from_db()
    assert teacher.full_name == f"Erased person #{teacher.pk}"
    assert not teacher.is_active
    assert done["counts"]["People erased"] == 1
    world.other_school.teacher.refresh_from_db()
    assert world.other_school.teacher.is_active


def test_a_second_run_erases_nothing_more_and_records_nothing(world):
    with time_machine.travel(LATER, tick=False):
        first = _run(world.trust)
        with scopes_disabled():
            events = AuditEvent.objects.count()
        second = _run(world.trust)
    assert first["total"] > 0
    assert second["total"] == 0
    with scopes_disabled():
        assert AuditEvent.objects.count() == events
        assert AuditEvent.objects.filter(verb="records.expired").count() == 1


def test_a_trust_that_keeps_records_longer_keeps_them(world):
    Trust.objects.filter(pk=world.trust.pk).update(retention_years=10)
    world.trust.refresh_from_db()
    with time_machine.travel(LATER, tick=False):
        assert _run(world.trust)["total"] == 0


def test_the_dry_run_prints_the_counts_and_erases_nothing(world):
    out = io.StringIO()
    with time_machine.travel(LATER, tick=False):
        call_command("erase_expired", "--dry-run", "--trust", "trust-a", stdout=out)
    printed = out.getvalue()
    assert "Would erase" in printed and "Drop-ins: " in printed
    assert "01 March 2026" in printed
    with scopes_disabled():
        assert DropIn.objects.filter(pk=world.own.dropin.pk).exists()
        assert not AuditEvent.objects.filter(verb="records.expired").exists()
    world.own.teacher.refresh_from_db()
    assert world.own.teacher.is_active


def test_the_command_erases_without_the_dry_run(world):
    out = io.StringIO()
    with time_machine.travel(LATER, tick=False):
        call_command("erase_expired", stdout=out)
    assert "Trust A" in out.getvalue() and "Trust B" in out.getvalue()
    with scopes_disabled():
        assert not DropIn.objects.filter(pk=world.own.dropin.pk).exists()


def test_the_nightly_task_erases_for_its_trust(world):
    with time_machine.travel(LATER, tick=False):
        result = erase_expired.call(world.trust.pk)
    assert result["total"] > 0
    assert result["cutoff"] == "2026-03-01"


def test_programme_work_of_an_enrolment_that_ended_before_the_cutoff_is_erased(media):
    demo = build(media)
    with scopes_disabled():
        enrolment = Enrolment.objects.get(teacher=demo.teacher)
        Enrolment.objects.filter(pk=enrolment.pk).update(finished_on=enrolment.started_on)
        running = Enrolment.objects.filter(finished_on__isnull=True).count()
    seven_years_on = dt.datetime.combine(
        enrolment.started_on + dt.timedelta(days=7 * 366), dt.time(12), tzinfo=dt.UTC
    )
    with time_machine.travel(seven_years_on, tick=False):
        done = _run(demo.trust)
    assert done["counts"]["Partnership programmes: Submissions"] > 0
    with scopes_disabled():
        assert not Enrolment.objects.filter(pk=enrolment.pk).exists()
        assert not Submission.objects.filter(enrolment_id=enrolment.pk).exists()
        assert Enrolment.objects.filter(finished_on__isnull=True).count() == running


def test_the_trusts_administrator_sets_its_retention_period_in_the_admin_site(admin_client):
    trust = Trust.objects.get(slug="trust-a")
    url = reverse("admin:people_trust_change", args=[trust.pk])
    page = admin_client.get(url).content.decode()
    assert "keep records for this many years after they end" in page.lower()
    form = {
        "name": trust.name,
        "companies_house_number": "",
        "password_sign_in": "on",
        "idle_minutes": trust.idle_minutes,
        "retention_years": 0,
    }
    assert (
        "Ensure this value is greater than or equal to 1"
        in admin_client.post(url, form).content.decode()
    )
    form["retention_years"] = 7
    assert admin_client.post(url, form).status_code == 302
    trust.refresh_from_db()
    assert trust.retention_years == 7


def test_a_leaver_still_working_in_another_trust_keeps_their_account_and_sessions(world):
    """Trust A's retention erases what trust A holds; the sign-in methods, addresses and
    sessions of someone working on in trust B are trust B's as much as A's."""
    teacher = world.own.teacher
    with scopes_disabled():
        MembershipFactory(
            user=teacher,
            trust=world.other_trust,
            school=world.other_trust_records.school,
            role=Role.TEACHER,
        )
        Authenticator.objects.create(user=teacher, type=Authenticator.Type.TOTP, data={})
        EmailAddress.objects.create(user=teacher, email=teacher.email, verified=True)
        session = SessionStore()
        session.create()
        UserSession.objects.create(
            user=teacher, session_key=session.session_key, ip="192.0.2.1", user_agent="phone"
        )
        SignIn.objects.create(person=teacher, device="Phone", method="password")
    with time_machine.travel(LATER, tick=False):
        _run(world.trust)
    with scopes_disabled():
        assert Authenticator.objects.filter(user=teacher).exists()
        assert EmailAddress.objects.filter(user=teacher).exists()
        assert UserSession.objects.filter(user=teacher).exists()
        assert SignIn.objects.filter(person=teacher).exists()
        assert SessionStore().exists(session.session_key)
        # Trust A's part is done: their role there ended, their coaching there erased.
        assert not DropIn.objects.filter(pk=world.own.dropin.pk).exists()
    teacher.refresh_from_db()
    assert teacher.is_active and not teacher.full_name.startswith("Erased")


def test_what_was_written_in_expired_coaching_goes_with_it(world):
    """Goals set in the coaching, their progress notes, reflections on its steps, shares of
    what is gone, and what a finished group worked on."""
    relationship, teacher = world.own.relationship, world.own.teacher
    with scopes_disabled():
        goal = Goal.objects.create(
            trust=world.trust,
            teacher=teacher,
            relationship=relationship,
            title="Goal-in-old-coaching-3c",
            pupils="Year 9",
            review_on=dt.date(2026, 1, 30),
            created_by=teacher,
            created_at=BUILT,
        )
        GoalProgress.objects.create(
            trust=world.trust,
            goal=goal,
            written_on=dt.date(2026, 1, 20),
            note="Progress-note-7d",
            written_by=teacher,
        )
        Reflection.objects.create(
            trust=world.trust,
            teacher=teacher,
            written_on=dt.date(2026, 1, 20),
            title="On the step",
            body="Reflection-on-step-8e",
            action_step=world.own.step,
        )
        ShareGrant.objects.create(
            trust=world.trust,
            owner=teacher,
            grantee=world.own.coach,
            item_kind=ShareGrant.Item.GOAL,
            item_id=goal.pk,
            item_title="Goal",
            created_at=BUILT,
            expires_on=dt.date(2026, 1, 31),
        )
    with time_machine.travel(LATER, tick=False):
        _run(world.trust)
    with scopes_disabled():
        assert not Goal.objects.filter(pk=goal.pk).exists()
        assert not GoalProgress.objects.filter(note="Progress-note-7d").exists()
        assert not Reflection.objects.filter(body="Reflection-on-step-8e").exists()
        assert not ShareGrant.objects.filter(item_id=goal.pk, item_kind="goal").exists()


def test_a_group_that_finished_before_the_cutoff_loses_what_it_worked_on(world):
    with scopes_disabled():
        made = {
            "trust": world.trust,
            "school": world.own.school,
            "kind": CoachingGroup.Kind.DYAD,
            "started_on": dt.date(2025, 9, 1),
            "created_by": world.own.coach,
        }
        old = CoachingGroup.objects.create(
            **made, name="Old", focus="Old-focus-2b", finished_on=dt.date(2026, 2, 1)
        )
        later = CoachingGroup.objects.create(
            **made, name="Later", focus="Later-focus-5c", finished_on=dt.date(2026, 6, 1)
        )
    with time_machine.travel(LATER, tick=False):
        _run(world.trust)
    with scopes_disabled():
        old.refresh_from_db()
        later.refresh_from_db()
    assert (old.focus, later.focus) == ("", "Later-focus-5c")
