"""A school's coaching model and the trust's policy saved before they moved from ``rollout``
to ``policy`` are the same rows after the move, and everything that reads them follows them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from coachloop.common.tenancy import trust_scope
from coachloop.policy.models import SchoolModel, TrustPolicy
from coachloop.policy.queries import read_after_end_days, school_model
from tests.world import build_world

BEFORE = [("rollout", "0004_calendar_feed_keeps_a_hash")]
MOVED = ["schoolmodel", "trustpolicy"]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _content_type_ids(app_label):
    return dict(
        ContentType.objects.filter(app_label=app_label, model__in=MOVED).values_list("model", "pk")
    )


@pytest.mark.django_db(transaction=True)
def test_a_model_and_policy_saved_before_the_move_are_the_same_rows_after_it():
    world = build_world()
    school = world.own.school
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(BEFORE)
        old_apps.get_model("rollout", "TrustPolicy").objects.create(
            trust_id=world.trust.pk, cadence_level="standardised", cadence_teachers=14
        )
        saved = old_apps.get_model("rollout", "SchoolModel").objects.create(
            trust_id=world.trust.pk, school_id=school.pk, caseload_limit=3, read_after_end_days=9
        )
        old_types = old_apps.get_model("contenttypes", "ContentType").objects
        before = {
            model: old_types.get_or_create(app_label="rollout", model=model)[0].pk
            for model in MOVED
        }
    finally:
        _migrate(latest)
    with trust_scope(world.trust):
        row = SchoolModel.objects.get(school=school)
        assert TrustPolicy.objects.get(trust=world.trust).cadence_teachers == 14
        model = school_model(school)
        assert read_after_end_days(school) == 9
    assert (row.pk, row.caseload_limit) == (saved.pk, 3)
    assert (model.caseload_limit, model.cadence_days()) == (3, 14)
    assert _content_type_ids("policy") == before
    assert _content_type_ids("rollout") == {}
