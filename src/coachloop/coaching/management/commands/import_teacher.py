"""``manage.py import_teacher FILE --trust SLUG``: bring a teacher's record in from elsewhere.

The whole file is checked first; any problem is listed (one a line, on standard error) and
nothing is written, and the command exits non-zero. Otherwise it prints what arrived. The
teacher is found by email address, or added with no password and no role: give them their
roles in the admin site. The import is in the trust's audit trail.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coachloop.coaching.portability.format import all_parts
from coachloop.coaching.portability.importer import RecordProblems
from coachloop.coaching.services.portability import teacher_record_import
from coachloop.people.commands import trust_named


class Command(BaseCommand):
    help = (
        "Import a teacher-record JSON file (from “Download my record” or export_teacher) into a "
        "trust, all or nothing, listing every problem if there are any."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The teacher-record JSON file.")
        parser.add_argument(
            "--trust", metavar="SLUG", required=True, help="The trust's short name."
        )

    def handle(self, *args, file, trust, **options):
        target = trust_named(trust)
        try:
            raw = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Could not read {file}: {error.strerror or error}") from error
        try:
            result = teacher_record_import(trust=target, raw=raw)
        except RecordProblems as refused:
            for problem in refused.problems:
                self.stderr.write(f"- {problem}")
            count = len(refused.problems)
            raise CommandError(
                f"Nothing was imported: the file has {count} "
                f"problem{'' if count == 1 else 's'} (listed above)."
            ) from refused
        teacher = result.teacher
        self.stdout.write(
            f"Imported the record of {teacher.full_name} <{teacher.email}> into {target.name}:"
        )
        for part in all_parts():
            self.stdout.write(f"  {part.heading}: {result.counts[part.key]}")
        for note in result.notes:
            self.stdout.write(f"Note: {note}")
        if result.created_teacher:
            self.stdout.write(
                "They had no account, so one was made with no password and no role: give them "
                "their roles in the admin site."
            )
        else:
            self.stdout.write("They already had an account; no role was given or changed.")
