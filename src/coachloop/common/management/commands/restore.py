"""``manage.py restore <folder>``: check a backup against its manifest, then restore the
database and the uploaded files (``common.backup``; docs/operating.md)."""

from django.core.management.base import BaseCommand, CommandError

from coachloop.common.backup import BackupError, known_migrations, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database (which must "
        "be empty) and MEDIA_ROOT (which must be empty), after checking every file against "
        "the manifest. Nothing is changed if any check fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup's folder (with manifest.json).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what is in a database or uploads folder that is not empty.",
        )

    def handle(self, *args, folder, force=False, **options):
        try:
            manifest = restore(folder, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} "
            f"({len(manifest['files']) - 1} uploaded file(s))."
        )
        if known_migrations() - set(manifest["migrations"]):
            self.stdout.write(
                f"It was made by Coachloop {manifest['coachloop_version']}, before some of this "
                "version's migrations: run `manage.py migrate` now."
            )
