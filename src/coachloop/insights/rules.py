"""Who may see the dashboards: the aggregate tier (DESIGN.md).

A school's dashboard is for its headteacher and coaching lead, and for the trust's leads; the
trust's dashboard compares its schools, for the trust's leads and its headteachers. Neither
holds any individual's coaching content, and every small figure is suppressed.
"""

import rules

from coachloop.people.models import Role

SCHOOL_ROLES = (Role.HEADTEACHER, Role.COACHING_LEAD)


@rules.predicate
def is_trust_lead(viewer, school=None):
    return viewer.is_trust_lead


@rules.predicate
def leads_school(viewer, school):
    return any(school.pk in viewer.school_ids_with(role) for role in SCHOOL_ROLES)


@rules.predicate
def is_a_headteacher(viewer):
    return bool(viewer.school_ids_with(Role.HEADTEACHER))


rules.add_rule("insights.view_school", is_trust_lead | leads_school)
rules.add_rule("insights.view_trust", is_trust_lead | is_a_headteacher)
