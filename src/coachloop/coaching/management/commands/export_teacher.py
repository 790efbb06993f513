"""``manage.py export_teacher EMAIL``: a teacher's record as JSON on standard output.

For sending a record on when a teacher moves. The file is the one the teacher gets from
"Download my record" (docs/export-format.md). It holds their coaching as a teacher only: a
subject access request is answered with everything held about the person, from the person's
page ("Their data", ``people.subject_access``). Each export is in the trust's audit trail.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coachloop.coaching.portability.export import build_document, document_bytes
from coachloop.coaching.portability.pdf import render_record_pdf
from coachloop.coaching.queries.portability import teacher_record, trusts_holding_records_of
from coachloop.coaching.services.portability import teacher_record_exported
from coachloop.common.tenancy import trust_scope
from coachloop.people.models import User


class Command(BaseCommand):
    help = (
        "Write a teacher's record (their coaching as a teacher, goals, reflections, evidence "
        "and stages) to standard output as JSON in Coachloop's teacher-record format."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The teacher's email address.")
        parser.add_argument(
            "--trust",
            metavar="SLUG",
            help="The trust's short name; needed when the person has records in several.",
        )
        parser.add_argument(
            "--pdf",
            metavar="FILE",
            help="Also write the record as a readable PDF to FILE.",
        )

    def handle(self, *args, email, trust=None, pdf=None, **options):
        person = User.objects.filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f"Nobody has the email address {email}.")
        chosen = self._trust(person, trust)
        with trust_scope(chosen):
            record = teacher_record(teacher=person, trust=chosen)
            document = build_document(record)
            teacher_record_exported(actor=None, teacher=person, trust=chosen, file_format="JSON")
            if pdf:
                body = render_record_pdf(record)
                teacher_record_exported(actor=None, teacher=person, trust=chosen, file_format="PDF")
        if pdf:
            try:
                Path(pdf).write_bytes(body)
            except OSError as error:
                raise CommandError(f"Could not write the PDF to {pdf}: {error}") from error
        self.stdout.write(document_bytes(document).decode("utf-8"))

    @staticmethod
    def _trust(person, slug):
        trusts = trusts_holding_records_of(person)
        if not trusts:
            raise CommandError(f"{person.email} has no records in any trust.")
        slugs = ", ".join(t.slug for t in trusts)
        if slug:
            chosen = next((t for t in trusts if t.slug == slug), None)
            if chosen is None:
                raise CommandError(
                    f"{person.email} has no records in “{slug}”; they have in: {slugs}."
                )
            return chosen
        if len(trusts) > 1:
            raise CommandError(
                f"{person.email} has records in several trusts ({slugs}): choose one with --trust."
            )
        return trusts[0]
