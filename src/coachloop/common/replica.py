"""Reading from a PostgreSQL read replica, where a page says it may.

A page opts in explicitly: ``with reading_from_replica():`` around the reads, or
``@reads_from_replica`` on a view. Inside, ``common.routers.ReplicaRouter`` sends the ORM's
reads to the database alias named by ``settings.COACHLOOP_READ_REPLICA`` (set when
``COACHLOOP_DB_REPLICA_URL`` is); writes always go to ``default``. Only pages that write nothing
and can bear a replica's lag of seconds opt in: the dashboards and their downloads, whose
figures come from weekly rollups. A page that writes (a home page noting what was seen, a form)
must read its own writes, so it never opts in. Without a replica, opting in changes nothing.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

_reading_from_replica = ContextVar("coachloop_reading_from_replica", default=False)


def replica_reads_on():
    """Whether the current block opted in to reading from the replica."""
    return _reading_from_replica.get()


@contextmanager
def reading_from_replica():
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def reads_from_replica(view):
    """A view whose reads may come from the replica (see the module's docstring)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with reading_from_replica():
            return view(*args, **kwargs)

    return wrapper
