"""Helpers for management commands that act on one trust."""

from django.core.management.base import CommandError

from coachloop.people.models import Trust


def trust_named(slug):
    """The trust with this short name, or a ``CommandError`` that says there is none."""
    trust = Trust.objects.filter(slug=slug).first()
    if trust is None:
        raise CommandError(f"There is no trust with the short name “{slug}”.")
    return trust
