"""A long import whose worker dies: the check or the apply is done again by the next worker,
exactly once, or the import says it was not applied; it is never "being checked" for ever.

These tests commit (``transaction=True``): the worker closes and reopens database connections.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership
from coachloop.rosters import services, tasks
from coachloop.rosters.models import RosterImport
from tests.rollout.emails_fixtures import run_worker
from tests.rosters.staff_bundles import bundle, teacher
from tests.rosters.test_staff_roster_import import snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def started(trust, admin):
    return services.staff_import_start(
        actor=admin, trust=trust, bundle=bundle([teacher(1), teacher(2)]), file_name="x.zip"
    )


def killed_while_running(result, *workers):
    row = DBTaskResult.objects.get(pk=result.id)
    for worker in workers:
        row.claim(worker)


def recover(*workers):
    out = io.StringIO()
    call_command("recover_tasks", *(f"--worker={worker}" for worker in workers), stdout=out)
    return out.getvalue()


def fresh(roster_import):
    with scopes_disabled():
        return RosterImport.objects.get(pk=roster_import.pk)


def roles(trust):
    with scopes_disabled():
        return Membership.objects.filter(trust=trust, user__email__startswith="teacher").count()


def ready_to_apply(trust, admin):
    roster_import = started(trust, admin)
    services.staff_import_check(roster_import=roster_import)
    services.staff_import_mark_applying(roster_import=roster_import)
    return roster_import


def test_a_check_whose_worker_died_is_done_again_by_the_next_worker(trust, admin):
    roster_import = started(trust, admin)
    killed_while_running(tasks.staff_import_check_task.enqueue(roster_import.pk), "worker-1")

    recover("worker-1")
    run_worker()

    assert fresh(roster_import).status == RosterImport.Status.READY


def test_an_apply_whose_worker_died_is_applied_once_by_the_next_worker(trust, admin):
    roster_import = ready_to_apply(trust, admin)
    result = tasks.staff_import_apply_task.enqueue(roster_import.pk, admin.pk, False, "")
    killed_while_running(result, "worker-1")  # its transaction rolled back: nothing written

    recover("worker-1")
    run_worker()

    assert fresh(roster_import).status == RosterImport.Status.APPLIED
    assert roles(trust) == 2
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="roster.applied").count() == 1


def test_an_apply_run_twice_applies_once(trust, admin):
    roster_import = ready_to_apply(trust, admin)
    tasks.staff_import_apply_task.call(roster_import.pk, admin.pk, False, "")
    after = snapshot(trust)

    assert tasks.staff_import_apply_task.call(roster_import.pk, admin.pk, False, "") == (
        "nothing to apply"
    )
    assert tasks.staff_import_check_task.call(roster_import.pk) == "nothing to check"
    assert snapshot(trust) == after


def test_an_import_whose_task_is_given_up_says_it_was_not_applied(trust, admin, settings):
    settings.COACHLOOP_TASK_MAX_ATTEMPTS = 2
    roster_import = ready_to_apply(trust, admin)
    before = snapshot(trust)
    result = tasks.staff_import_apply_task.enqueue(roster_import.pk, admin.pk, False, "")
    killed_while_running(result, "worker-1", "worker-2")

    assert "1 given up" in recover("worker-2")

    stopped = fresh(roster_import)
    assert stopped.status == RosterImport.Status.FAILED
    assert stopped.failure == (
        "Nothing was changed: applying stopped because of an error in Coachloop."
    )
    assert snapshot(trust) == before


def test_an_import_left_unfinished_with_no_task_to_finish_it_is_marked_not_applied(
    trust, admin, settings
):
    settings.COACHLOOP_TASK_STUCK_MINUTES = 60
    left = started(trust, admin)  # a request killed while checking it, long ago
    waiting = started(trust, admin)  # its check task still queued
    tasks.staff_import_check_task.enqueue(waiting.pk)
    recent = started(trust, admin)  # being checked in a request now
    with scopes_disabled():
        RosterImport.objects.filter(pk__in=[left.pk, waiting.pk]).update(
            phase_started_at=timezone.now() - dt.timedelta(minutes=61)
        )

    assert f"Import {left.pk} marked not applied" in recover()

    assert fresh(left).status == RosterImport.Status.FAILED
    assert fresh(left).failure.endswith("checking stopped because of an error in Coachloop.")
    assert fresh(waiting).status == RosterImport.Status.CHECKING
    assert fresh(recent).status == RosterImport.Status.CHECKING


def test_a_second_copy_of_an_apply_run_after_the_first_committed_changes_nothing(trust, admin):
    """Two workers running one apply (one thought dead): the second finds it applied and
    leaves it so, rather than planning again from the file and checking it over "applied"."""
    roster_import = ready_to_apply(trust, admin)
    first, second = fresh(roster_import), fresh(roster_import)  # each worker loads it

    services.staff_import_apply(actor=admin, roster_import=first)
    after_first = snapshot(trust)
    services.staff_import_apply(actor=admin, roster_import=second)

    assert fresh(roster_import).status == RosterImport.Status.APPLIED
    assert second.status == RosterImport.Status.APPLIED
    assert snapshot(trust) == after_first
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="roster.applied").count() == 1


def test_a_second_copy_of_an_apply_task_leaves_the_import_applied(trust, admin):
    roster_import = ready_to_apply(trust, admin)
    tasks.staff_import_apply_task.enqueue(roster_import.pk, admin.pk, False, "")
    run_worker()
    applied = fresh(roster_import)

    services.staff_import_apply(actor=admin, roster_import=roster_import)  # the stale copy

    assert fresh(roster_import).status == RosterImport.Status.APPLIED
    assert fresh(roster_import).applied_at == applied.applied_at


def test_a_second_copy_of_a_check_run_after_the_import_was_applied_changes_nothing(trust, admin):
    roster_import = started(trust, admin)
    stale = fresh(roster_import)  # loaded by a second worker while still being checked
    services.staff_import_check(roster_import=roster_import)
    services.staff_import_mark_applying(roster_import=roster_import)
    services.staff_import_apply(actor=admin, roster_import=roster_import)

    services.staff_import_check(roster_import=stale)

    assert fresh(roster_import).status == RosterImport.Status.APPLIED
    assert stale.status == RosterImport.Status.APPLIED
