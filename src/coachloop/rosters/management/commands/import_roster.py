"""``manage.py import_roster``: bring a trust's staff in from a roster, for scheduled syncs.

    manage.py import_roster --trust riverside /srv/rosters/riverside/      (a OneRoster folder)
    manage.py import_roster --trust riverside export.zip --dry-run

It reads and checks the file exactly as the import page does (``--full-list`` and
``--no-leaders`` are the page's two choices), prints what it would do and
every problem, and applies it (all or nothing) unless there is a problem, ``--dry-run`` is
given, or more people would leave than ``--most-leaving`` allows (a broken export that has
lost a school would otherwise end everyone's roles there).
"""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from coachloop.people.commands import trust_named
from coachloop.rosters import services
from coachloop.rosters.readers import read_bundle
from coachloop.rosters.records import Problem, problem_text


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"“{value}” is not a date like 2026-09-01.") from error


class Command(BaseCommand):
    help = "Import a trust's staff from a OneRoster export (folder or zip) or staff spreadsheet."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A OneRoster folder or .zip, or a .csv or .xlsx file.")
        parser.add_argument("--trust", required=True, help="The trust's short name.")
        parser.add_argument("--exported-on", type=_date, help="The export's date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="Check only; change nothing.")
        parser.add_argument(
            "--most-leaving",
            type=int,
            default=services.MOST_LEAVING_PERCENT,
            help="Refuse to apply if more than this percentage of staff would leave (10).",
        )
        parser.add_argument(
            "--invite", action="store_true", help="Email new people a link to choose a password."
        )
        parser.add_argument(
            "--full-list",
            action="store_true",
            help="For a staff spreadsheet: it lists everyone at its schools, so anyone missing "
            "has left (otherwise it only adds and changes people).",
        )
        parser.add_argument(
            "--no-leaders",
            action="store_true",
            help="Leave OneRoster administrators out instead of making them school leaders.",
        )

    def handle(self, *args, path, trust, exported_on, dry_run, most_leaving, invite, **options):
        full_list, leaders = options["full_list"], not options["no_leaders"]
        trust = trust_named(trust)
        source = Path(path)
        if not source.exists():
            raise CommandError(f"There is no file or folder at {source}.")
        bundle = read_bundle(source, file_name=source.name, exported_on=exported_on)
        roster_import = services.staff_import_start(
            actor=None,
            trust=trust,
            bundle=bundle,
            file_name=source.name,
            full_list=full_list,
            leaders=leaders,
        )
        services.staff_import_check(roster_import=roster_import)
        counts = roster_import.counts
        self.stdout.write(
            f"{source.name} for {trust.name}, exported on {roster_import.exported_on:%Y-%m-%d}: "
            f"{counts['staff_rows']} staff rows read; {counts['students_skipped']} student rows "
            f"and {counts['others_skipped']} others skipped unread."
        )
        self.stdout.write(
            f"New {counts.get('new', 0)}, changed {counts.get('changed', 0)}, leaving "
            f"{counts.get('leaving', 0)}, unchanged {counts.get('unchanged', 0)}, coaching "
            f"ending {counts.get('coaching_ending', 0)}."
        )
        if roster_import.problems:
            for problem in roster_import.problems:
                self.stderr.write(problem_text(Problem.from_dict(problem)))
            raise CommandError(
                f"Nothing was changed: the file has {len(roster_import.problems)} problems "
                f"(import {roster_import.pk})."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        leaving = services.many_leaving(roster_import, percent=most_leaving)
        if leaving:
            about = leaving + counts.get("changed", 0) + counts.get("unchanged", 0)
            raise CommandError(
                f"Nothing was changed: {leaving} of {about} staff would leave, more than "
                f"{most_leaving}%. Check the export, or pass --most-leaving to allow it."
            )
        services.staff_import_mark_applying(roster_import=roster_import)
        try:
            services.staff_import_apply(
                actor=None,
                roster_import=roster_import,
                invite_new_people=invite,
                base_url=settings.COACHLOOP_SITE_URL,
            )
        except services.PlanChanged as changed:
            raise CommandError(
                "Nothing was changed: the trust's people changed while the file was checked. "
                "Run the command again."
            ) from changed
        except ValidationError as refused:
            raise CommandError(roster_import.failure) from refused
        done = roster_import.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied (import {roster_import.pk}): {done['added']} added, {done['changed']} "
                f"changed, {done['left']} left; {done['roles_started']} roles started, "
                f"{done['roles_ended']} ended; {done['coaching_ended']} coaching ended."
            )
        )
