"""Who may run coaching in a school: its coaching lead. The roles in a ``Viewer`` are all in
the viewer's trust, so another trust's school never passes."""

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coachloop.people.models import Role


@rules.predicate
def leads_school(viewer, school):
    school_id = getattr(school, "pk", school)
    return school_id in viewer.school_ids_with(Role.COACHING_LEAD)


rules.add_rule("people.run_school", leads_school)


def check_runs_school(viewer, school, *, hide=False):
    """Stop anyone but the school's coaching lead: a write is refused (PermissionDenied); a
    read (``hide``) is a 404, so another school's page never hints that it exists."""
    if not leads_school(viewer, school):
        raise Http404 if hide else PermissionDenied


@rules.predicate
def is_administrator(viewer):
    return viewer.is_administrator


# Who may read the trust's people and start and end their roles: its administrators (an
# integration's token with ``read_people`` or ``write_roles`` acts as one, within its scopes).
rules.add_rule("people.manage_roles", is_administrator)
