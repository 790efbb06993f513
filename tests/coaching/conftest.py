import pytest

from coachloop.common.tenancy import trust_scope
from coachloop.people.queries import viewer_for
from tests.coaching.portability_fixtures import build_rich_record


@pytest.fixture
def as_viewer(world):
    """Run a block as a persona, inside their trust's scope, the way a request does."""

    def enter(user):
        viewer = viewer_for(user)
        return viewer, trust_scope(viewer.trust)

    return enter


@pytest.fixture
def rich(world, media):
    """A teacher's record with something of every kind in it (see portability_fixtures)."""
    return build_rich_record(world)
