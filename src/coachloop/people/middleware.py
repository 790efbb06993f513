"""The request's viewer and trust scope, found from the signed-in person's memberships."""

from coachloop.common.tenancy import trust_scope
from coachloop.people.queries import viewer_for

SESSION_TRUST_KEY = "coachloop_trust_id"


class TrustScopeMiddleware:
    """Sets ``request.viewer`` and runs the request inside the viewer's trust scope.

    Without a signed-in member no trust scope is opened, so any tenant query fails closed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = None
        if request.user.is_authenticated:
            request.viewer = viewer_for(
                request.user, trust_id=request.session.get(SESSION_TRUST_KEY)
            )
        if request.viewer is None:
            return self.get_response(request)
        with trust_scope(request.viewer.trust):
            return self.get_response(request)
