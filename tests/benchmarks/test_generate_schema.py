"""The generator fills the largest tables without their secondary indexes and constraints and
makes them again afterwards: nothing may be lost or changed on the way (PostgreSQL only; on
SQLite rows go in through ``bulk_create`` with the schema untouched). On PostgreSQL it can
also share the trusts between processes, and the rows must be the same as with one."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection

from benchmarks.generate import Sizes, generate, wipe
from benchmarks.generate.rows import TABLES, schema_ddl
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


def _every_row():
    """Every row the generator writes, ids included (but the password hashes' random salt)."""
    with scopes_disabled():
        return {
            model._meta.label: list(
                model._base_manager.order_by("pk").values_list(
                    *(f.attname for f in model._meta.concrete_fields if f.name != "password")
                )
            )
            for model in TABLES
        }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_processes_make_the_same_rows_as_one():
    migrated = _whole_schema()
    sizes = Sizes(schools=5, teachers=60, dropins=1200)
    made = []
    for workers in (1, 2):
        wipe()  # and the framework tables' sequences start again from 1
        summary = generate(sizes, today=dt.date(2026, 11, 23), large_trust=2, workers=workers)
        made.append(_every_row())
        assert summary["workers"] == workers
        assert summary["rows"]["coaching.DropIn"] == 1200

    assert len(made[0]["people.Trust"]) == 2  # so each process has a trust of its own
    assert made[0] == made[1]
    assert _whole_schema() == migrated
