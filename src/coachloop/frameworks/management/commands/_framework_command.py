"""What the framework commands share: finding the trust and loading inside its scope."""

from django.core.management.base import BaseCommand, CommandError

from coachloop.common.tenancy import trust_scope
from coachloop.frameworks import services
from coachloop.frameworks.loader import FrameworkFormatError
from coachloop.frameworks.models import Step
from coachloop.people.models import Trust


class FrameworkLoadCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--trust", required=True, help="The short name (slug) of the trust to load it into."
        )

    def trust(self, slug):
        trust = Trust.objects.filter(slug=slug).first()
        if trust is None:
            raise CommandError(f"There is no trust with the short name '{slug}'.")
        return trust

    def load(self, *, trust, data):
        try:
            with trust_scope(trust):
                version = services.framework_load(trust=trust, data=data, actor=None)
                strands = version.strands.count()
                steps = Step.objects.filter(strand__version=version).count()
        except FrameworkFormatError as error:
            raise CommandError(format_problems(error.problems)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {version.framework.name} ({version.framework.slug}) version "
                f"{version.number}{f' ({version.label})' if version.label else ''} into "
                f"{trust.name}: {strands} strands, {steps} steps."
            )
        )
        return version


def format_problems(problems):
    count = len(problems)
    lines = [f"Nothing was loaded: the framework has {count} problem{'s' if count != 1 else ''}."]
    lines += [f"  {problem}" for problem in problems]
    return "\n".join(lines)
