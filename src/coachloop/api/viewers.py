"""The ``Viewer`` a token acts as, so resources call the pages' own queries and rules.

A personal token is its person in the token's trust only (``only_trust_id``: their roles in
another trust never count). An integration's token is its service account with synthetic,
unsaved memberships, one per scope (survey 2.1-4), and never a role the scopes do not give.
"""

from coachloop.api.models import Scope
from coachloop.people.models import Membership, Role
from coachloop.people.queries import viewer_for
from coachloop.people.viewer import Viewer


def token_viewer(token):
    """The viewer ``token`` acts as, or ``None`` when its person has no current role in the
    token's trust."""
    if token.integration_id is None:
        return viewer_for(token.user, trust_id=token.trust_id, only_trust_id=token.trust_id)
    return integration_viewer(token)


def integration_viewer(token):
    scopes = set(token.scopes)
    memberships = []

    def add(role, school=None):
        memberships.append(Membership(user=token.user, trust=token.trust, school=school, role=role))

    if Scope.READ_AGGREGATES in scopes:
        add(Role.TRUST_LEAD)
    if Scope.READ_ACTIVITY in scopes:
        for school in token.schools.all():
            add(Role.COACHING_LEAD, school)
    if scopes & {Scope.READ_PEOPLE, Scope.WRITE_ROLES}:
        add(Role.ADMINISTRATOR)
    return Viewer(
        user=token.user,
        trust=token.trust,
        memberships=tuple(memberships),
        trusts=(token.trust,),
    )
