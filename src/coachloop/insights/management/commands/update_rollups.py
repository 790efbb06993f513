from django.core.management.base import BaseCommand

from coachloop.insights.rollups import rollups_update
from coachloop.people.commands import trust_named
from coachloop.people.models import Trust


class Command(BaseCommand):
    help = (
        "Bring the dashboards' weekly figures up to date now, for every trust or one. "
        "(The nightly background task does the same.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--trust", help="the trust's short name; every trust if left out")

    def handle(self, *args, trust=None, **options):
        trusts = [trust_named(trust)] if trust else Trust.objects.order_by("pk")
        for each in trusts:
            weeks = rollups_update(trust=each)
            self.stdout.write(f"{each.slug}: {weeks} weeks updated")
