"""``manage.py reset_two_step``: an operator resets someone's two-step sign-in.

A trust's administrator resets it from the person's page in the admin site; someone who works
in more than one trust is reset here, by Coachloop's operators, once they have checked who is
asking.
"""

from django.core.management.base import BaseCommand, CommandError

from coachloop.common.tenancy import scopes_disabled
from coachloop.people import services
from coachloop.people.commands import trust_named
from coachloop.people.models import Membership, User


class Command(BaseCommand):
    help = (
        "Reset a person's two-step sign-in: forget their authenticator app, passkeys, security "
        "keys and recovery codes, sign them out everywhere and email them. The audit event is "
        "written in the trust given."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's email address.")
        parser.add_argument("--trust", required=True, help="The short name of a trust of theirs.")

    def handle(self, *args, **options):
        trust = trust_named(options["trust"])
        with scopes_disabled():
            person = User.objects.filter(email__iexact=options["email"].strip()).first()
            if person is None or not Membership.objects.filter(user=person, trust=trust).exists():
                raise CommandError(f"Nobody with that email address has a role in {trust.name}.")
            forgotten = services.two_step_reset(
                actor=None, trust=trust, person=person, by_operator=True
            )
        self.stdout.write(
            f"Reset the two-step sign-in of {person.email} ({forgotten} ways of signing in "
            "forgotten); they were signed out everywhere and emailed."
        )
