from coachloop.frameworks.loader import starter_framework_data
from coachloop.frameworks.management.commands._framework_command import FrameworkLoadCommand


class Command(FrameworkLoadCommand):
    help = (
        "Load Coachloop's starter framework for teaching into a trust (a new version if it is "
        "already there). Its ECF mappings need `manage.py import_reference_ecf` first."
    )

    def handle(self, *args, trust, **options):
        self.load(trust=self.trust(trust), data=starter_framework_data())
