"""The generator fills the largest tables without their secondary indexes and constraints and
makes them again afterwards: nothing may be lost or changed on the way (PostgreSQL only; on
SQLite rows go in through ``bulk_create`` with the schema untouched)."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection

from benchmarks.generate import Sizes, generate
from benchmarks.generate.rows import schema_ddl
from coachloop.coaching.models import DropIn
from coachloop.common.tenancy import scopes_disabled

pytestmark = pytest.mark.django_db


def _whole_schema():
    return schema_ddl(apps.get_models())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_every_index_and_constraint_after_generating_is_the_one_migrate_made():
    migrated = _whole_schema()
    assert any(name == "coaching_dropin_uuid_key" for _t, name, _k, _d in migrated["constraints"])

    generate(Sizes(schools=3, teachers=36, dropins=700), today=dt.date(2026, 11, 23), large_trust=2)

    assert _whole_schema() == migrated
    with scopes_disabled():
        assert DropIn.objects.count() == 700
