import pytest

from coachloop.common.tenancy import trust_scope
from tests.programmes.fixtures import build_programme


@pytest.fixture
def programme(world):
    """One teacher enrolled, marked blind by their tutor and their coach (see fixtures)."""
    with trust_scope(world.trust):
        yield build_programme(world)


@pytest.fixture
def scoped(world):
    with trust_scope(world.trust):
        yield
