"""How far a long import has got, for the page that follows it.

Reading and checking run outside any transaction, so their progress is saved as it goes.
Applying is one transaction, all or nothing, so its progress cannot be saved through that
transaction's own connection (nobody would see it until the end): on PostgreSQL it is
written through a second, short-lived connection of its own. SQLite allows one writer at a
time, so there the count of rows applied jumps to the end when the transaction commits.
"""

from django.db import connection, connections
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.rosters.models import RosterImport

EVERY = 200  # rows between two saves of progress


class Progress:
    def __init__(self, roster_import):
        self.pk = roster_import.pk
        self._side = None

    def _update(self, **values):
        # This import's own row, found by its key: no other trust's row can be reached.
        with scopes_disabled():
            RosterImport.objects.filter(pk=self.pk).update(**values)

    def phase_started(self, *, total):
        self._update(rows_total=total, phase_started_at=timezone.now())

    def read(self, rows):
        self._update(rows_read=rows)

    def applied(self, rows):
        if connection.vendor != "postgresql" or not connection.in_atomic_block:
            if not connection.in_atomic_block:
                self._update(rows_applied=rows)
            return
        if self._side is None:
            self._side = connections.create_connection("default")
        table = RosterImport._meta.db_table
        # The table's name is our own model's; the values are parameters.
        sql = f'UPDATE "{table}" SET rows_applied = %s WHERE id = %s'  # noqa: S608  # nosec B608
        with self._side.cursor() as cursor:
            cursor.execute(sql, [rows, self.pk])

    def close(self):
        if self._side is not None:
            self._side.close()
            self._side = None
