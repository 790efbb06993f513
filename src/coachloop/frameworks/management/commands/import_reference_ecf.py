from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coachloop.frameworks import services
from coachloop.frameworks.reference import ReferenceFormatError


class Command(BaseCommand):
    help = (
        "Import England's Early Career Framework (2019) as the reference framework 'ecf-2019', "
        "so steps can map to its statements. Safe to run again: it updates, never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=None,
            help="The ECF JSON file (default: COACHLOOP_ECF_FILE, the one Coachloop ships).",
        )

    def handle(self, *args, path=None, **options):
        path = path or Path(settings.COACHLOOP_ECF_FILE)
        if not path.is_file():
            raise CommandError(
                f"The ECF file was not found at {path}. Pass --path, or set "
                "COACHLOOP_ECF_FILE to the file."
            )
        try:
            framework = services.reference_framework_import_ecf(path=path)
        except ReferenceFormatError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {p}" for p in error.problems)
            ) from error
        statements = framework.statements.all()
        sections = statements.values("section_number").distinct().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {framework.name} ({framework.slug}): {statements.count()} statements "
                f"in {sections} sections."
            )
        )
