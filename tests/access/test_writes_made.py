"""The permission matrix's check that a GET writes nothing sees every kind of write, on either
database: SQLite's "INSERT OR IGNORE" (``ignore_conflicts``) as well as PostgreSQL's form."""

import pytest

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Trust
from tests.access.downloads import writes_made
from tests.factories import TrustFactory

pytestmark = pytest.mark.django_db


def test_an_insert_that_ignores_conflicts_is_seen_as_a_write():
    with scopes_disabled(), writes_made() as writes:
        Trust.objects.bulk_create([TrustFactory.build(slug="quiet")], ignore_conflicts=True)
    assert writes == {Trust._meta.db_table}


def test_an_update_and_a_delete_are_seen_as_writes():
    with scopes_disabled():
        trust = TrustFactory(slug="loud")
    with scopes_disabled(), writes_made() as writes:
        Trust.objects.filter(pk=trust.pk).update(name="Renamed")
    assert writes == {Trust._meta.db_table}


def test_reading_is_not_a_write():
    with scopes_disabled(), writes_made() as writes:
        list(Trust.objects.all())
    assert writes == set()
