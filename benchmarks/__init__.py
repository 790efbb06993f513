"""Benchmarks: a generator for a national-scale data set and the dashboard benchmark.

    python -m benchmarks.generate --scale 10   # 1,000 schools, 50,000 teachers, 2M drop-ins
    make bench                                  # rewrites benchmarks/RESULTS.md and results.json

Importing the package sets Django up with ``coachloop.settings`` when nothing has yet (the
test suite already has), so both modules run as plain ``python -m`` scripts.
"""

import os

import django
from django.apps import apps

if not apps.ready:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coachloop.settings")
    django.setup()
