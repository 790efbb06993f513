"""``manage.py backup <folder>``: the database, the uploaded files and a manifest with their
checksums (``common.backup``; docs/operating.md, "Backing up and restoring")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coachloop.common.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump or SQLite's backup API) and the uploaded files into a "
        "new folder, with a manifest of every file's size and SHA-256. The environment file "
        "(with COACHLOOP_SECRET_KEY) is not included: keep it safe separately."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A new or empty folder to write the backup into.")
        parser.add_argument(
            "--dated",
            action="store_true",
            help="Write into a new folder inside FOLDER named by the date and time, "
            "e.g. 2026-03-02T0230 (for a nightly timer).",
        )

    def handle(self, *args, folder, dated=False, **options):
        if dated:
            folder = str(Path(folder) / timezone.localtime().strftime("%Y-%m-%dT%H%M"))
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
