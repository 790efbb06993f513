"""``manage.py update_rollups``: every trust here, a share of the trusts (so two processes can
split the work), or one task per trust queued for the task worker."""

import io

import pytest
from django.core.management import base as management_base
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from coachloop.common.tenancy import scopes_disabled
from coachloop.insights.models import RollupState, SchoolWeek
from tests.rollout.emails_fixtures import run_worker

pytestmark = pytest.mark.django_db


def _update(*args):
    out = io.StringIO()
    call_command("update_rollups", *args, stdout=out)
    return out.getvalue()


def _filled():
    """The trusts whose rollups have been brought up to date."""
    with scopes_disabled():
        return set(RollupState.objects.values_list("trust_id", flat=True))


def test_enqueue_queues_one_rollups_task_per_trust_and_fills_nothing_itself(world):
    _update("--enqueue")
    queued = DBTaskResult.objects.all()
    assert sorted(row.args_kwargs["args"][0] for row in queued) == sorted(
        [world.trust.pk, world.other_trust.pk]
    )
    assert {row.task_path for row in queued} == {"coachloop.insights.tasks.rollups_update"}
    assert _filled() == set()


def test_the_worker_then_fills_every_trust_from_the_queue(world, monkeypatch):
    # The worker closes connections between tasks and when it stops: not the test's own,
    # which holds the test's transaction (on PostgreSQL).
    monkeypatch.setattr(management_base.connections, "close_all", lambda: None)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    _update("--enqueue")
    run_worker()
    assert {row.status for row in DBTaskResult.objects.all()} == {TaskResultStatus.SUCCESSFUL}
    assert _filled() == {world.trust.pk, world.other_trust.pk}
    with scopes_disabled():
        assert SchoolWeek.objects.filter(trust=world.trust).exists()


def test_two_parts_share_the_trusts_between_them_with_none_left_out(world):
    first, second = sorted([world.trust.pk, world.other_trust.pk])
    _update("--part", "1/2")
    assert _filled() == {first}
    _update("--part", "2/2")
    assert _filled() == {first, second}


def test_enqueue_with_a_part_queues_only_that_share(world):
    _update("--enqueue", "--part", "2/2")
    assert [row.args_kwargs["args"][0] for row in DBTaskResult.objects.all()] == [
        max(world.trust.pk, world.other_trust.pk)
    ]


@pytest.mark.parametrize("part", ["3/2", "0/2", "half", "1/0"])
def test_a_part_that_is_not_a_share_is_refused_and_nothing_is_filled(world, part):
    with pytest.raises(CommandError, match="--part takes which share of how many"):
        _update("--part", part)
    assert _filled() == set()
    assert not DBTaskResult.objects.exists()


def test_a_part_and_a_trust_together_are_refused(world):
    with pytest.raises(CommandError, match="either --trust or --part"):
        _update("--trust", world.trust.slug, "--part", "1/2")
