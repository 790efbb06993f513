"""A trust's data never reaches another trust, and a query without a scope fails loudly."""

import pytest

from coachloop.coaching.models import DropIn
from coachloop.common.tenancy import ScopeError, trust_scope
from coachloop.people.models import School
from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_a_query_on_a_tenant_table_without_a_trust_scope_fails_loudly():
    build_world()
    with pytest.raises(ScopeError):
        list(DropIn.objects.all())
    with pytest.raises(ScopeError):
        School.objects.count()


def test_inside_a_trust_scope_only_that_trusts_rows_are_seen():
    world = build_world()
    with trust_scope(world.trust):
        slugs = set(School.objects.values_list("slug", flat=True))
        dropins = set(DropIn.objects.values_list("relationship__school__slug", flat=True))
    assert slugs == {"a1", "a2"}
    assert dropins == {"a1", "a2"}


def test_a_scope_needs_a_real_trust_and_never_means_all_trusts():
    with pytest.raises(ScopeError), trust_scope(None):
        pass
