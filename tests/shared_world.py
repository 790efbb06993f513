"""One world for a whole module of tests, each test still in its own transaction.

``build_world`` takes a second or so; a module that runs hundreds of tests over the same world
(the API matrix, schemathesis) builds it once, inside a transaction of its own that is rolled
back when the module ends. Each test's own transaction (pytest-django's ``db``) is then a
savepoint within it, so whatever a test writes is undone before the next one, as usual.
"""

from contextlib import contextmanager

from django.db import transaction
from django.test.utils import override_settings

from tests.world import build_world

QUICK_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def world_for_the_module(django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=QUICK_HASHING):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
