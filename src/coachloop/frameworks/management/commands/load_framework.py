from django.core.management.base import CommandError

from coachloop.frameworks.loader import FrameworkFormatError, read_framework_file
from coachloop.frameworks.management.commands._framework_command import (
    FrameworkLoadCommand,
    format_problems,
)


class Command(FrameworkLoadCommand):
    help = (
        "Load a framework for teaching from a JSON file (docs/framework-format.md) as a new "
        "version in a trust. All or nothing: any problem is reported and nothing is loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The framework's JSON file.")
        super().add_arguments(parser)

    def handle(self, *args, path, trust, **options):
        trust = self.trust(trust)
        try:
            data = read_framework_file(path)
        except FrameworkFormatError as error:
            raise CommandError(format_problems(error.problems)) from error
        self.load(trust=trust, data=data)
