"""Checks the rollout services share: who is a coach where, text within its limit."""

from django.utils.translation import gettext as _

from coachloop.people.models import Role
from coachloop.people.queries import holds_role


def coach_problem(person, school, *, on=None):
    """Why ``person`` cannot be chosen as a coach at ``school``, or ``None``."""
    if holds_role(person, school=school, role=Role.COACH, on=on):
        return None
    return _("%(person)s is not a coach at %(school)s.") % {"person": person, "school": school}


def text_problem(value, *, limit, missing, too_long):
    """Why a text cannot be saved (``missing`` when empty; ``too_long`` takes ``%(n)d``), or
    ``None``."""
    if not value:
        return missing
    if len(value) > limit:
        return too_long % {"n": limit}
    return None
