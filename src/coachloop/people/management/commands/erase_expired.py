"""``manage.py erase_expired [--dry-run] [--trust SLUG]``: erase, for every trust (or one),
what its retention period has run out for, and print the counts. ``--dry-run`` does the same
work and rolls it back, so the counts are what a real run would erase. The nightly task
(``people.tasks.erase_expired``) does the same for each trust."""

from django.core.management.base import BaseCommand, CommandError

from coachloop.common.tenancy import trust_scope
from coachloop.people.erasure import expired_erase
from coachloop.people.models import Trust


class Command(BaseCommand):
    help = (
        "Erase coaching, groups, programme work, roster files and leavers that each trust's "
        "retention period has run out for, and print what was erased."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the counts and erase nothing."
        )
        parser.add_argument("--trust", metavar="SLUG", help="Only this trust.")

    def handle(self, *args, dry_run=False, trust=None, **options):
        trusts = Trust.objects.order_by("name")
        if trust:
            trusts = trusts.filter(slug=trust)
            if not trusts.exists():
                raise CommandError(f"There is no trust “{trust}”.")
        for each in trusts:
            with trust_scope(each):
                done = expired_erase(trust=each, dry_run=dry_run)
            verb = "Would erase" if dry_run else "Erased"
            self.stdout.write(
                f"{each.name}: kept {each.retention_years} years, so records that ended before "
                f"{done['cutoff']:%d %B %Y}. {verb} {done['total']}."
            )
            for kind, count in sorted(done["counts"].items()):
                if count:
                    self.stdout.write(f"  {kind}: {count}")
