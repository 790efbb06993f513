"""The database router: reads inside ``common.replica.reading_from_replica()`` go to the read
replica when one is configured (``settings.COACHLOOP_READ_REPLICA``); everything else, and every
write, goes to ``default``. Migrations run on ``default`` only: the replica follows it by
PostgreSQL's streaming replication (docs/scaling.md)."""

from django.conf import settings

from coachloop.common.replica import replica_reads_on


def replica_alias():
    """The replica's database alias, or None when there is none."""
    alias = getattr(settings, "COACHLOOP_READ_REPLICA", None)
    return alias if alias and alias in settings.DATABASES else None


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = replica_alias()
        if alias and replica_reads_on():
            return alias
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as default.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
