import pytest

from coachloop.common.tenancy import scopes_disabled


@pytest.fixture
def unscoped():
    """Set up data across trusts, as a test harness may and the application never does."""
    with scopes_disabled():
        yield
