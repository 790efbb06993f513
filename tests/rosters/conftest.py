"""A trust of two schools and its administrator, for the staff import's tests (the page tests
and the register's tests have their own)."""

import pytest

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.factories import MembershipFactory, SchoolFactory, TrustFactory, UserFactory


@pytest.fixture
def trust():
    with scopes_disabled():
        trust = TrustFactory(slug="riverside")
        SchoolFactory(trust=trust, urn="900001", name="Meadow Lane School", slug="meadow")
        SchoolFactory(trust=trust, urn="900002", name="Hill Top Primary", slug="hill-top")
    return trust


@pytest.fixture
def admin(trust):
    with scopes_disabled():
        person = UserFactory(full_name="Ada Administrator")
        MembershipFactory(user=person, school=None, trust=trust, role=Role.ADMINISTRATOR)
    return person
