"""Every page runs the same number of SQL queries on the demo data and on a set ten times
larger, and none runs more than 12."""

import importlib
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from coachloop.coaching.models import DropIn, Rehearsal, Relationship
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import User

pytestmark = [pytest.mark.queries, pytest.mark.django_db]

MAX_QUERIES = 12
DEMO = []  # the demo as `make demo` builds it: three schools, about 60 staff
TEN_TIMES = ["--teachers-per-school", "210"]  # the same three schools with ten times the staff


def _school_staff():
    """People with a role in a school: the demo's partner university keeps the same few staff
    whatever the size of the schools."""
    return User.objects.filter(memberships__school__isnull=False).distinct().count()


def _build(options):
    call_command("load_demo", "--replace", *options, stdout=io.StringIO())


def _pages():
    """(who, url[, headers]) for every page, using the busiest records in the data."""
    with scopes_disabled():
        coach = User.objects.get(email="coach@riverside.example.org")
        teacher = User.objects.get(email="teacher@riverside.example.org")
        lead = User.objects.get(email="lead@riverside.example.org")
        head = User.objects.get(email="head@riverside.example.org")
        trust_lead = User.objects.get(email="trustlead@riverside.example.org")
        admin = User.objects.get(email="admin@riverside.example.org")
        relationship = Relationship.objects.filter(coach=coach, teacher=teacher).latest("pk")
        dropin = DropIn.objects.filter(relationship=relationship, is_draft=False).first()
        step = relationship.action_steps.filter(closed_on__isnull=True).first()
        rehearsal = Rehearsal.objects.filter(action_step__relationship=relationship).first()
        school_slug = relationship.school.slug
        framework_step = step.framework_step if step else None
    pages = [
        (coach, reverse("coaching:coach_home")),
        (coach, reverse("coaching:coachee", args=[relationship.pk])),
        (coach, reverse("coaching:dropin_new", args=[relationship.pk])),
        (coach, reverse("coaching:step_set", args=[relationship.pk])),
        (coach, reverse("coaching:dropin_detail", args=[dropin.pk])),
        (coach, reverse("coaching:dropin_saved", args=[dropin.pk])),
        (coach, reverse("coaching:dropin_edit", args=[dropin.pk])),
        (teacher, reverse("coaching:teacher_home")),
        (teacher, reverse("coaching:my_audit")),
        (teacher, reverse("coaching:rehearsal_plan", args=[step.pk])),
        (teacher, reverse("coaching:rehearsal_log", args=[rehearsal.pk])),
        (lead, reverse("coaching:lead_home", args=[school_slug])),
        (head, reverse("home")),
        (trust_lead, reverse("home")),
        (admin, reverse("home")),
        (coach, reverse("frameworks:library")),
        (teacher, reverse("privacy")),
        (teacher, reverse("accessibility")),
    ]
    if framework_step:
        pages.append((coach, reverse("frameworks:step", args=[framework_step.pk])))
    # Each area lists its own pages in a ``pages_<area>.py`` module beside this one.
    for module in sorted(Path(__file__).parent.glob("pages_*.py")):
        with scopes_disabled():
            pages.extend(importlib.import_module(f"tests.queries.{module.stem}").pages())
    return pages


def _count(client):
    """Queries per page, keyed by the page's route name (numbered when a page is opened again,
    by someone else: the head's, the trust lead's and the administrator's home)."""
    counts = {}
    opened = Counter()
    for user, url, *headers in _pages():
        # An API page comes with its headers (a bearer token): (who, url, headers).
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers=headers[0] if headers else None)
        assert response.status_code == 200, url
        name = resolve(url.split("?")[0]).view_name  # a later page: "?page=2"
        opened[name] += 1
        counts[f"{name} #{opened[name]}" if opened[name] > 1 else name] = len(queries)
    return counts


def test_every_page_runs_the_same_queries_at_two_data_sizes_and_no_more_than_twelve(client):
    _build(DEMO)
    with scopes_disabled():
        small_size = (_school_staff(), DropIn.objects.count())
    small = _count(client)
    _build(TEN_TIMES)
    with scopes_disabled():
        assert _school_staff() >= 10 * small_size[0]
        assert DropIn.objects.count() >= 10 * small_size[1]
    large = _count(client)
    assert small == large
    too_many = {page: n for page, n in large.items() if n > MAX_QUERIES}
    assert not too_many, too_many
