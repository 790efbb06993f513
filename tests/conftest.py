import copy

import pytest
from django.core.cache import cache

from coachloop.common.tenancy import scopes_disabled
from tests.clamd import clamd_socket, virus_check  # noqa: F401 — fixtures for every test
from tests.upload_files import docx_bomb  # noqa: F401
from tests.world import build_world


@pytest.fixture
def unscoped():
    """Set up data across trusts, as a test harness may and the application never does."""
    with scopes_disabled():
        yield


@pytest.fixture
def world(db):
    """Two trusts, three schools, and a persona for every role (see tests/world.py)."""
    return build_world()


@pytest.fixture
def admin_client(client, world):
    """Signed in as the world's administrator (a role in trust A, not a superuser)."""
    client.force_login(world.people["administrator"])
    return client


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """Real hashing is slow on purpose; tests sign in dozens of personas and need not wait."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _a_fresh_cache():
    """Each test starts with an empty cache, as a new server would: allauth remembers there
    the authenticator codes already used (for a minute and a half), so a test signing a
    leader in with the code of the moment would otherwise find it used by the test before."""
    cache.clear()


@pytest.fixture
def media(settings, tmp_path):
    """Uploads and generated files go to a temporary folder, never the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A ``replica`` alias that mirrors the test database, as a read replica mirrors its
    primary, for the replica router's tests (tests/common/test_replica_router.py). Nothing reads
    from it unless a test names it in ``COACHLOOP_READ_REPLICA``, and only a test listing it in
    its ``databases`` may."""
    from django.conf import settings

    replica = copy.deepcopy(settings.DATABASES["default"])
    replica["TEST"] = {**replica.get("TEST", {}), "MIRROR": "default"}
    settings.DATABASES["replica"] = replica
