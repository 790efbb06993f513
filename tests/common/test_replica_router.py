"""Dashboards and their downloads read from the read replica when there is one; everything
else, and every write, uses the primary (``default``): common.routers, common.replica.

The ``replica`` alias is a test mirror of the test database (tests/conftest.py): a second
connection to the same database, as a replica is a second server with the same rows. A
mirror's connection cannot see rows another connection has not committed, so these tests
commit (``transaction=True``), as a primary does before a replica is sent its writes."""

import runpy
from pathlib import Path

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import coachloop
from coachloop.common.models import AuditEvent
from coachloop.common.replica import reading_from_replica
from coachloop.people.models import Trust

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def with_replica(settings):
    settings.COACHLOOP_READ_REPLICA = "replica"


def _queries(method, *args, **kwargs):
    """What ``method`` sent to each database, as SQL text."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = method(*args, **kwargs)
    return response, [q["sql"] for q in primary], [q["sql"] for q in replica]


def _school_dashboard(client, world, suffix=""):
    client.force_login(world.people["headteacher"])
    slug = world.own.school.slug
    if suffix:
        return _queries(client.get, reverse(f"insights:school_{suffix}", args=[slug, "coverage"]))
    return _queries(client.get, reverse("insights:school", args=[slug]))


def _reads_rollups(queries):
    return any('"insights_' in sql for sql in queries)


def test_a_school_dashboard_reads_its_figures_from_the_replica(client, world, with_replica):
    response, primary, replica = _school_dashboard(client, world)
    assert response.status_code == 200
    assert _reads_rollups(replica)
    assert not _reads_rollups(primary)


def test_the_session_and_the_signed_in_person_are_read_from_the_primary(
    client, world, with_replica
):
    _response, primary, replica = _school_dashboard(client, world)
    assert any('"django_session"' in sql for sql in primary)
    assert any('"people_user"' in sql for sql in primary)
    assert any('"people_membership"' in sql for sql in primary)
    assert not any('"django_session"' in sql or '"people_user"' in sql for sql in replica)


def test_a_dashboards_download_reads_from_the_replica(client, world, with_replica):
    response, primary, replica = _school_dashboard(client, world, suffix="csv")
    assert response.status_code == 200
    assert _reads_rollups(replica)
    assert not _reads_rollups(primary)


def test_a_page_that_did_not_opt_in_reads_from_the_primary(client, world, with_replica):
    client.force_login(world.people["coach"])
    response, primary, replica = _queries(client.get, reverse("coaching:coach_home"))
    assert response.status_code == 200
    assert primary
    assert replica == []


def test_without_a_replica_a_dashboard_reads_from_the_primary(client, world):
    response, primary, replica = _school_dashboard(client, world)
    assert response.status_code == 200
    assert _reads_rollups(primary)
    assert replica == []


def test_a_replica_named_but_not_configured_is_not_used(client, world, settings):
    settings.COACHLOOP_READ_REPLICA = "elsewhere"
    response, primary, replica = _school_dashboard(client, world)
    assert response.status_code == 200
    assert _reads_rollups(primary)


def test_a_write_while_reading_from_the_replica_goes_to_the_primary(with_replica):
    with reading_from_replica():
        _trust, primary, replica = _queries(Trust.objects.create, name="Oak Trust", slug="oak")
    assert any(sql.startswith("INSERT") for sql in primary)
    assert replica == []


def test_writes_always_go_to_the_primary_and_reads_only_when_asked(with_replica):
    assert router.db_for_read(AuditEvent) == "default"
    with reading_from_replica():
        assert router.db_for_read(AuditEvent) == "replica"
        assert router.db_for_write(AuditEvent) == "default"
    assert router.db_for_read(AuditEvent) == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "coaching")
    assert not router.allow_migrate("replica", "coaching")


def _settings_read_with(monkeypatch, **environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(coachloop.__file__).parent / "settings.py"))


def test_a_replica_url_in_the_environment_becomes_the_replica_alias(monkeypatch):
    read = _settings_read_with(
        monkeypatch, COACHLOOP_DB_REPLICA_URL="postgres://reader@replica.example.org/coachloop"
    )
    assert read["DATABASES"]["replica"]["HOST"] == "replica.example.org"
    assert read["COACHLOOP_READ_REPLICA"] == "replica"
    assert read["DATABASE_ROUTERS"] == ["coachloop.common.routers.ReplicaRouter"]


def test_without_a_replica_url_there_is_no_replica(monkeypatch):
    monkeypatch.delenv("COACHLOOP_DB_REPLICA_URL", raising=False)
    read = _settings_read_with(monkeypatch)
    assert "replica" not in read["DATABASES"]
    assert read["COACHLOOP_READ_REPLICA"] is None
