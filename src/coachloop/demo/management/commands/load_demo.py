"""``manage.py load_demo``: build the invented Riverside Learning Trust to try Coachloop with."""

import datetime as dt
import io
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from coachloop.coaching.models import DropIn
from coachloop.common.tenancy import trust_scope
from coachloop.demo.accounts import DEFAULT_PASSWORD, DEMO_TRUST_SLUG, demo_logins
from coachloop.demo.build import DEFAULT_SEED, MIN_STAFF_PER_SCHOOL, build_demo
from coachloop.demo.deletion import delete_demo
from coachloop.demo.errors import DemoError, DemoExists
from coachloop.demo.programmes.university import university_logins
from coachloop.demo.two_step import two_step_login
from coachloop.people.models import Membership, School

DEMO_URL = "http://127.0.0.1:8000/"


def _positive(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def _date(value):
    return dt.date.fromisoformat(value)


class Command(BaseCommand):
    help = (
        "Build a demo trust (Riverside Learning Trust) with invented schools, staff and a term "
        "of coaching history, then print the demo sign-ins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="The same seed always builds the same demo (default %(default)s).",
        )
        parser.add_argument(
            "--schools",
            type=_positive,
            default=3,
            help="How many schools (default 3; beyond 3 they are invented).",
        )
        parser.add_argument(
            "--teachers-per-school",
            type=_positive,
            default=None,
            help="Staff in every school (default: about 14 in a primary and 23 in "
            f"a secondary; at least {MIN_STAFF_PER_SCHOOL}).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the existing demo trust and its people first.",
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="The password of every demo account (default %(default)s).",
        )
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="End the history on this date (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            with transaction.atomic():
                if options["replace"]:
                    delete_demo()
                trust = build_demo(
                    seed=options["seed"],
                    schools=options["schools"],
                    teachers_per_school=options["teachers_per_school"],
                    today=options["today"],
                    password=options["password"],
                )
        except DemoExists as error:
            raise CommandError(
                f"{error} Run the command with --replace to delete it and build it again."
            ) from error
        except DemoError as error:
            raise CommandError(str(error)) from error
        # The dashboards' weekly figures, as the nightly task would fill them.
        call_command("update_rollups", trust=trust.slug, stdout=io.StringIO())
        # Fresh statistics for the query planner. Without them PostgreSQL plans for the empty
        # tables it last measured, and a page's single-row lookup can take minutes (seen in the
        # query-count test, whose data is never committed, so autovacuum never measures it).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        with trust_scope(trust):
            schools = list(School.objects.order_by("pk"))
            people = Membership.objects.values("user").distinct().count()
            visits = DropIn.objects.filter(is_draft=False).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {trust.name} in {elapsed:.1f} s: {len(schools)} schools, {people} people "
                f"and {visits} drop-ins."
            )
        )
        self.stdout.write("")
        self.stdout.write(f"Sign in at {DEMO_URL} with the password “{options['password']}”.")
        self.stdout.write(f"These accounts are in {schools[0].name} and across the trust:")
        self.stdout.write("")
        logins = demo_logins(trust) + university_logins(trust)
        width = max(len(label) for label, _ in logins)
        self.stdout.write(f"  {'Role':<{width}}  Email")
        self.stdout.write(f"  {'-' * width}  {'-' * max(len(email) for _, email in logins)}")
        for label, email in logins:
            self.stdout.write(f"  {label:<{width}}  {email}")
        self.stdout.write("")
        self._two_step(trust)
        self.stdout.write(
            f"Everyone else in the demo signs in with the same password; find them in the admin "
            f"site. Run again with --replace to start afresh (the trust is “{DEMO_TRUST_SLUG}”)."
        )

    def _two_step(self, trust):
        """Say who shows two-step sign-in, with the key for an authenticator app."""
        with trust_scope(trust):
            login = two_step_login(trust)
        self.stdout.write(
            "Headteachers, trust leads, administrators and programme leads must use two-step "
            "sign-in; the demo lets its accounts sign in with the password alone, except one:"
        )
        if login is None:
            self.stdout.write("  (none: the demo has only one school)")
            self.stdout.write("")
            return
        label, email, secret = login
        key = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        self.stdout.write(f"  {label}: {email}")
        self.stdout.write(
            f"  Add this key to an authenticator app (time-based), then enter its code: {key}"
        )
        self.stdout.write("")
