"""``manage.py about``: which Coachloop this is, and on what (for operators and bug reports).

(``manage.py version`` is Django's own: it prints Django's version.)
"""

import platform

import django
from django.core.management.base import BaseCommand

import coachloop


class Command(BaseCommand):
    help = "Print the version of Coachloop installed here, and of Django and Python under it."

    def handle(self, *args, **options):
        self.stdout.write(
            f"Coachloop {coachloop.__version__} "
            f"(Django {django.get_version()}, Python {platform.python_version()})"
        )
