"""Who may run coaching in a school: its coaching lead. The roles in a ``Viewer`` are all in
the viewer's trust, so another trust's school never passes."""

import rules

from coachloop.people.models import Role


@rules.predicate
def leads_school(viewer, school):
    school_id = getattr(school, "pk", school)
    return school_id in viewer.school_ids_with(Role.COACHING_LEAD)


rules.add_rule("rollout.run_school", leads_school)
