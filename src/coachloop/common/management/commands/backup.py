"""``manage.py backup <folder>``: the database, the uploaded files and a manifest with their
checksums (``common.backup``; docs/operating.md, "Backing up and restoring")."""

from django.core.management.base import BaseCommand, CommandError

from coachloop.common.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump or SQLite's backup API) and the uploaded files into a "
        "new folder, with a manifest of every file's size and SHA-256. The environment file "
        "(with COACHLOOP_SECRET_KEY) is not included: keep it safe separately."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A new or empty folder to write the backup into.")

    def handle(self, *args, folder, **options):
        try:
            manifest = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = manifest["files"]
        self.stdout.write(
            f"Backed up the {manifest['engine']} database and "
            f"{sum(1 for f in files if f['path'] != manifest['database'])} uploaded file(s) "
            f"({sum(f['size'] for f in files)} bytes) into {folder}."
        )
