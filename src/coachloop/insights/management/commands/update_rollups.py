from django.core.management.base import BaseCommand, CommandError

from coachloop.insights.rollups import rollups_update
from coachloop.people.models import Trust


class Command(BaseCommand):
    help = (
        "Bring the dashboards' weekly figures up to date now, for every trust or one. "
        "(The nightly background task does the same.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--trust", help="the trust's short name; every trust if left out")

    def handle(self, *args, trust=None, **options):
        trusts = Trust.objects.order_by("pk")
        if trust:
            trusts = trusts.filter(slug=trust)
            if not trusts.exists():
                raise CommandError(f"There is no trust with the short name “{trust}”.")
        for each in trusts:
            weeks = rollups_update(trust=each)
            self.stdout.write(f"{each.slug}: {weeks} weeks updated")
