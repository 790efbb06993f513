"""Benchmarks: a generator for a national-scale data set, the dashboard benchmark and the staff
import benchmark.

    python -m benchmarks.generate --scale 10   # 1,000 schools, 50,000 teachers, 2M drop-ins
    make bench                                  # the dashboards (benchmarks/RESULTS.md)
    make bench-roster                           # importing 10,000 staff from a OneRoster export

Importing the package sets Django up with ``coachloop.settings`` when nothing has yet (the
test suite already has), so the modules run as plain ``python -m`` scripts.
"""

import os

import django
from django.apps import apps

if not apps.ready:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coachloop.settings")
    django.setup()
