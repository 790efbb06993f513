"""``manage.py create_trust``: a new trust and its first administrator, for a new installation."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email, validate_slug

from coachloop.people import services


class Command(BaseCommand):
    help = (
        "Create a trust (or a single school's own tenant) and its first administrator, who is "
        "emailed a link to choose a password. Everyone else is then added in the admin site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The trust's name.")
        parser.add_argument("--slug", required=True, help="A short name for the trust.")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", required=True)
        parser.add_argument(
            "--site-url",
            default="http://127.0.0.1:8000",
            help="Where Coachloop is served, for the link in the email (default %(default)s).",
        )

    def handle(self, *args, **options):
        try:
            validate_slug(options["slug"])
            validate_email(options["admin_email"])
            trust, administrator = services.trust_create(
                name=options["name"],
                slug=options["slug"],
                administrator_email=options["admin_email"],
                administrator_name=options["admin_name"],
                base_url=options["site_url"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Created {trust.name} ({trust.slug}). {administrator.email} is its administrator: "
            f"they can sign in at {options['site_url'].rstrip('/')}/admin/ once they have "
            "chosen a password."
        )
