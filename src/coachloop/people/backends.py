"""Signing in, and finding the signed-in person on each request with their current roles.

``AuthenticationBackend`` is allauth's (email and password, single sign-on, passkeys), with
one change: ``get_user``, which Django's ``AuthenticationMiddleware`` calls once per request
for the session's person, reads the person together with their current roles, their schools
and trusts in one query, rather than the person first and their roles in a second query
(``TrustScopeMiddleware`` builds the viewer from them, ``queries.viewer_for``). The roles are
read afresh on every request, as before: nothing is kept between requests, so a role ended a
moment ago no longer works on the very next page.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from coachloop.people.queries import current_memberships

# Where ``get_user`` leaves the person's current roles for ``TrustScopeMiddleware`` to take.
CURRENT_MEMBERSHIPS = "_coachloop_current_memberships"


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        memberships = current_memberships(user_id, with_user=True)
        if not memberships:
            # No current role: the person alone (the session then ends, people.sessions).
            user = super().get_user(user_id)
            if user is not None:
                setattr(user, CURRENT_MEMBERSHIPS, [])
            return user
        user = memberships[0].user
        for membership in memberships:
            membership.user = user
        if not self.user_can_authenticate(user):
            return None
        setattr(user, CURRENT_MEMBERSHIPS, memberships)
        return user


def take_current_memberships(user):
    """The current roles ``get_user`` read with the person on this request, once; ``None``
    when it did not (a person found another way), so that the caller reads them itself."""
    memberships = getattr(user, CURRENT_MEMBERSHIPS, None)
    if memberships is not None:
        delattr(user, CURRENT_MEMBERSHIPS)
    return memberships
