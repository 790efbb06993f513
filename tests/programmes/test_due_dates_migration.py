"""Migration programmes.0004 run for real (forwards, then back): a due date copied from the
assignment is forgotten, an extension's is kept, and work handed in but not released that a
stale copied date made late is late no more."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.models.assessment import due_for, is_extension
from tests.programmes.fixtures import DUE, build_programme
from tests.world import build_world

BEFORE = [("programmes", "0003_reconciled_by")]
AFTER = [("programmes", "0004_own_due_dates_and_bands")]
LATER = DUE + dt.timedelta(days=7)
EXTENDED = DUE + dt.timedelta(days=14)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_rows(apps, pw):
    """As 0003 left them: each submission carries a due time; the deadline then moved later."""
    OldSubmission = apps.get_model("programmes", "Submission")
    apps.get_model("programmes", "Assignment").objects.filter(pk=pw.assignment.pk).update(
        due_at=LATER
    )
    common = {"trust_id": pw.trust.pk, "assignment_id": pw.assignment.pk}
    drafter, victim, extended = pw.enrolments
    rows = {
        "drafter": OldSubmission.objects.create(
            enrolment_id=drafter.pk, status="drafting", due_at=DUE, **common
        ),
        "victim": OldSubmission.objects.create(
            enrolment_id=victim.pk,
            status="not_marked",
            due_at=DUE,
            submitted_at=DUE + dt.timedelta(days=1),
            is_late=True,
            **common,
        ),
        "extended": OldSubmission.objects.create(
            enrolment_id=extended.pk, status="drafting", due_at=EXTENDED, **common
        ),
    }
    apps.get_model("programmes", "Extension").objects.create(
        trust_id=pw.trust.pk,
        submission_id=rows["extended"].pk,
        due_at=EXTENDED,
        reason="Illness.",
        granted_by_id=pw.tutor.pk,
        granted_at=DUE - dt.timedelta(days=3),
    )
    return {name: row.pk for name, row in rows.items()}


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_only_extensions_and_clears_lateness_a_moved_deadline_caused():
    world = build_world()
    with scopes_disabled():
        pw = build_programme(world, teachers=3)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        pks = _old_rows(_migrate(BEFORE), pw)
        # Read as 0004 left the rows (later migrations add columns today's model has).
        rows = _migrate(AFTER).get_model("programmes", "Submission")._base_manager
        after = {name: rows.get(pk=pk) for name, pk in pks.items()}
        assert after["drafter"].extended_due_at is None
        assert due_for(after["drafter"].extended_due_at, LATER) == LATER
        assert after["victim"].extended_due_at is None and not after["victim"].is_late
        assert after["extended"].extended_due_at == EXTENDED
        assert is_extension(after["extended"].extended_due_at, LATER)
        back = _migrate(BEFORE).get_model("programmes", "Submission")
        assert {name: back.objects.get(pk=pk).due_at for name, pk in pks.items()} == {
            "drafter": LATER,
            "victim": LATER,
            "extended": EXTENDED,
        }
    finally:
        _migrate(latest)
