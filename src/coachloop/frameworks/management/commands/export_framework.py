import json
from pathlib import Path

from django.core.management.base import CommandError

from coachloop.common.tenancy import trust_scope
from coachloop.frameworks.exporter import framework_document
from coachloop.frameworks.management.commands._framework_command import FrameworkLoadCommand
from coachloop.frameworks.models import FrameworkVersion


class Command(FrameworkLoadCommand):
    help = (
        "Write a trust's framework for teaching as a JSON file (docs/framework-format.md), the "
        "format load_framework reads: its current version, or --number N."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--slug", required=True, help="The framework's short name (slug).")
        parser.add_argument("--number", type=int, help="The version's number (default: current).")
        parser.add_argument("--output", help="The file to write (default: standard output).")

    def handle(self, *args, trust, slug, number, output, **options):
        trust = self.trust(trust)
        with trust_scope(trust):
            versions = FrameworkVersion.objects.filter(
                trust=trust, framework__slug=slug
            ).select_related("framework")
            found = (
                versions.filter(number=number) if number else versions.filter(is_current=True)
            ).first()
            if found is None:
                which = f"version {number}" if number else "a current version"
                raise CommandError(f"{trust.name} has no framework '{slug}' with {which}.")
            text = json.dumps(framework_document(found), ensure_ascii=False, indent=2) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(
                self.style.SUCCESS(f"Wrote {slug} version {found.number} to {output}.")
            )
        else:
            self.stdout.write(text, ending="")
