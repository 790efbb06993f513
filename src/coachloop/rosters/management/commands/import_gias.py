"""``manage.py import_gias --trust SLUG --establishments PATH [--links PATH]``: bring a trust's
schools in from England's schools register (Get Information about Schools), for a first
import or a scheduled sync.

Every problem is listed (one a line, on standard error, with its file, row and column) and
nothing is written, and the command exits non-zero. Otherwise it prints what it did; with
``--dry-run`` what it would do, writing nothing. Running it again with the same files
changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from coachloop.people.commands import trust_named
from coachloop.rosters.records import Problem, problem_text
from coachloop.rosters.register import group_uid_problem, read_register
from coachloop.rosters.register_services import (
    RegisterRefused,
    register_plan,
    schools_import_apply,
)

FIELDS = {
    "name": "name",
    "phase": "phase",
    "establishment_type": "type",
    "local_authority": "local authority",
    "closed_on": "close date",
}

TRUST_FIELDS = {
    "register_group_uid": "group UID",
    "register_group_id": "group ID",
    "companies_house_number": "Companies House number",
}


class Command(BaseCommand):
    help = (
        "Import a trust's schools from the schools register's establishments CSV (and its "
        "links CSV): new schools are added, changed ones updated, closed ones marked closed. "
        "All or nothing, listing every problem if there are any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--trust", metavar="SLUG", required=True, help="The trust's short name."
        )
        parser.add_argument(
            "--establishments",
            metavar="PATH",
            required=True,
            help="The establishments CSV (edubasealldataYYYYMMDD.csv, or the trust's own).",
        )
        parser.add_argument(
            "--links", metavar="PATH", help="The links CSV that ties schools to their trust."
        )
        parser.add_argument(
            "--group-uid",
            metavar="UID",
            help="The trust's group UID in the register (default: the one the trust has).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )

    def handle(self, *args, **options):
        trust = trust_named(options["trust"])
        group_uid = (options["group_uid"] or trust.register_group_uid or "").strip()
        if not group_uid:
            raise CommandError(
                f"{trust.name} has no group UID from the schools register: give it with "
                "--group-uid."
            )
        problem = group_uid_problem(group_uid)
        if problem:
            raise CommandError(problem)
        try:
            extract = read_register(
                options["establishments"], options["links"], group_uid=group_uid
            )
        except OSError as error:
            raise CommandError(
                f"Could not read {error.filename}: {error.strerror or error}"
            ) from error
        plan = register_plan(trust=trust, extract=extract)
        if plan["problems"]:
            self._refuse([Problem(**problem) for problem in plan["problems"]])
        if options["dry_run"]:
            self._show(plan)
            self.stdout.write("Nothing was changed: this was a dry run.")
            return
        try:
            result = schools_import_apply(actor=None, trust=trust, extract=extract)
        except RegisterRefused as refused:
            self._refuse(refused.problems)
        self._show(result.plan)
        counts = result.counts
        totals = (
            f"{counts['new']} new, {counts['changed']} changed, {counts['closed']} closed, "
            f"{counts['reopened']} reopened, {counts['unchanged']} unchanged"
        )
        if result.changed_anything:
            self.stdout.write(
                f"Imported the schools of {trust.name} from the register "
                f"(group UID {extract.group.uid}): {totals}."
            )
        else:
            self.stdout.write(
                f"Nothing to change: {trust.name}'s schools already match the register "
                f"(group UID {extract.group.uid}): {totals}."
            )

    def _refuse(self, problems):
        for problem in problems:
            self.stderr.write(f"- {problem_text(problem)}")
        count = len(problems)
        raise CommandError(
            f"Nothing was imported: the files have {count} "
            f"problem{'' if count == 1 else 's'} (listed above)."
        )

    def _show(self, plan):
        for entry in plan["new"]:
            self.stdout.write(f"New: {entry['name']} (URN {entry['urn']})")
        for entry in plan["changed"]:
            before, after = entry["before"], entry["after"]
            changes = ", ".join(
                f"{FIELDS[field]} “{before[field] or ''}” → “{after[field] or ''}”"
                for field in after
            )
            self.stdout.write(f"Changed: {entry['name']} (URN {entry['urn']}): {changes}")
        for entry in plan["closing"]:
            day = entry["after"]["closed_on"]
            self.stdout.write(f"Closed: {entry['name']} (URN {entry['urn']}) on {day}")
        for entry in plan["reopened"]:
            self.stdout.write(f"Reopened: {entry['name']} (URN {entry['urn']})")
        for entry in plan["closed_not_added"]:
            self.stdout.write(
                f"Not added, closed in the register: {entry['name']} (URN {entry['urn']})"
            )
        for entry in plan["not_listed"]:
            self.stdout.write(
                f"Left as it is, not listed for this trust in the register: {entry['name']} "
                f"(URN {entry['urn']})"
            )
        if plan["trust"]:
            for field, value in plan["trust"]["after"].items():
                before = plan["trust"]["before"][field] or "none"
                self.stdout.write(f"Trust: {TRUST_FIELDS[field]} {before} → {value}")
