import pytest

from coachloop.common.tenancy import trust_scope
from coachloop.people.queries import viewer_for


@pytest.fixture
def as_viewer(world):
    """Run a block as a persona, inside their trust's scope, the way a request does."""

    def enter(user):
        viewer = viewer_for(user)
        return viewer, trust_scope(viewer.trust)

    return enter
