"""Checks the rollout services share: who is a coach where."""

from django.utils.translation import gettext as _

from coachloop.people.models import Role
from coachloop.people.queries import holds_role


def coach_problem(person, school, *, on=None):
    """Why ``person`` cannot be chosen as a coach at ``school``, or ``None``."""
    if holds_role(person, school=school, role=Role.COACH, on=on):
        return None
    return _("%(person)s is not a coach at %(school)s.") % {"person": person, "school": school}
