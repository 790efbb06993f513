"""Print the DDL that distributes the tenant tables by ``trust_id`` on Citus
(common.distribution; docs/scaling.md). Prints only: nothing is changed."""

from django.core.management.base import BaseCommand
from django.db import connection

from coachloop.common.distribution import distribution_ddl

STEPS = {
    "reference": "Tables every node keeps a copy of: what tenant tables point to.",
    "drop": "Foreign keys between tenant tables, and unique constraints without trust_id.",
    "key": "Primary keys become (trust_id, id).",
    "distribute": "Every tenant table distributed by trust_id, co-located.",
    "add": "Unique constraints with trust_id first; foreign keys on (trust_id, x_id).",
}


class Command(BaseCommand):
    help = "Print the Citus DDL that distributes the tenant tables by trust_id (runs nothing)."

    def handle(self, *args, **options):
        self.stdout.write(
            "-- Coachloop's tenant tables distributed by trust_id on Citus (docs/scaling.md).\n"
            "-- Run on the coordinator, after `manage.py migrate`, in a maintenance window.\n"
            "BEGIN;"
        )
        step = None
        for statement in distribution_ddl(connection):
            if statement.step != step:
                step = statement.step
                self.stdout.write(f"\n-- {STEPS[step]}")
            self.stdout.write(statement.sql)
        self.stdout.write("COMMIT;")
