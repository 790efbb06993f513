"""The ``Viewer`` a token acts as, so resources call the pages' own queries and rules.

A personal token is its person in the token's trust only (their roles in another trust never
count), while they have held a role there since it was made. An integration's token is its
service account with synthetic, unsaved memberships, one per scope (survey 2.1-4), and never a
role the scopes do not give.
"""

import datetime as dt

from django.utils import timezone

from coachloop.api.models import Scope
from coachloop.api.queries import open_schools_of_token
from coachloop.api.tokens import LONGEST_DAYS_FOR_LEADERS
from coachloop.people.models import Membership, Role
from coachloop.people.queries import viewer_held_since
from coachloop.people.two_step import LEADER_ROLES, has_two_step
from coachloop.people.viewer import Viewer


def token_viewer(token):
    """The viewer ``token`` acts as, or ``None`` when it may not act (a 401)."""
    if token.integration_id is None:
        return personal_viewer(token)
    return integration_viewer(token)


def personal_viewer(token):
    """The token's person in the token's trust, while they have held a role there every day
    since it was made (a leaver's token never works again, even if they come back). Holding a
    leader's role, they act only with a token made to last a leader's 90 days at most, and
    with two-step sign-in set up where their trust asks it of leaders: a token made before a
    promotion does not carry a leader's powers past the checks a leader's session passes."""
    made_on = timezone.localdate(token.created_at)
    viewer = viewer_held_since(token.user, trust_id=token.trust_id, since=made_on)
    if viewer is None or not viewer.roles() & LEADER_ROLES:
        return viewer
    lasts = timezone.localdate(token.expires_at) - made_on
    if lasts > dt.timedelta(days=LONGEST_DAYS_FOR_LEADERS):
        return None
    if not viewer.trust.two_step_waived_for_demo and not has_two_step(token.user):
        return None
    return viewer


def integration_viewer(token):
    scopes = set(token.scopes)
    memberships = []

    def add(role, school=None):
        memberships.append(Membership(user=token.user, trust=token.trust, school=school, role=role))

    if Scope.READ_AGGREGATES in scopes:
        add(Role.TRUST_LEAD)
    if Scope.READ_ACTIVITY in scopes:
        for school in open_schools_of_token(token):
            add(Role.COACHING_LEAD, school)
    if scopes & {Scope.READ_PEOPLE, Scope.WRITE_ROLES}:
        add(Role.ADMINISTRATOR)
    return Viewer(
        user=token.user,
        trust=token.trust,
        memberships=tuple(memberships),
        trusts=(token.trust,),
    )
