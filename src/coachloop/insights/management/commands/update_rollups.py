import re

from django.core.management.base import BaseCommand, CommandError

from coachloop.insights import tasks
from coachloop.insights.rollups import rollups_update
from coachloop.people.commands import trust_named
from coachloop.people.models import Trust


def _part(value):
    """``"k/n"``: the k-th of n shares of the trusts (1 ≤ k ≤ n)."""
    found = re.fullmatch(r"(\d+)/(\d+)", value or "")
    if not found or not 1 <= int(found[1]) <= int(found[2]):
        raise CommandError(
            f"--part takes which share of how many, such as 1/2 or 2/2, not “{value}”."
        )
    return int(found[1]), int(found[2])


class Command(BaseCommand):
    help = (
        "Bring the dashboards' weekly figures up to date now, for every trust or one. "
        "(The nightly background task does the same.) With --part 1/2 and --part 2/2, two "
        "processes share the trusts between them; with --enqueue, the task worker "
        "(manage.py db_worker) does the work, one task per trust."
    )

    def add_arguments(self, parser):
        parser.add_argument("--trust", help="the trust's short name; every trust if left out")
        parser.add_argument(
            "--part",
            help="only this share of the trusts, such as 1/2 (the trusts in order, dealt out)",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue one task per trust for the task worker instead of filling here",
        )

    def handle(self, *args, trust=None, part=None, enqueue=False, **options):
        if trust and part:
            raise CommandError("Give either --trust or --part, not both.")
        trusts = [trust_named(trust)] if trust else list(Trust.objects.order_by("pk"))
        if part:
            share, shares = _part(part)
            trusts = trusts[share - 1 :: shares]
        for each in trusts:
            if enqueue:
                tasks.rollups_update.enqueue(each.pk)
                self.stdout.write(f"{each.slug}: queued")
            else:
                weeks = rollups_update(trust=each)
                self.stdout.write(f"{each.slug}: {weeks} weeks updated")
