"""Who may load a framework into the trust: its administrators (a new version of a framework
changes the steps every coach chooses from). Any member may read the trust's frameworks."""

import rules

from coachloop.people.models import Role


@rules.predicate
def is_administrator(viewer):
    return Role.ADMINISTRATOR in viewer.roles()


rules.add_rule("frameworks.load", is_administrator)
