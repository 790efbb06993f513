"""The base of every resource: token-only, JSON, with the request's ``Viewer``.

A resource calls the page's own query or service given ``self.viewer`` (survey 2.1-2), and
checks an integration token's scope first with ``self.needs(scope)``: an integration's
synthetic roles reach only what its scopes name.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.views import APIView

from coachloop.api.authentication import ApiTokenAuthentication
from coachloop.api.permissions import HasViewer
from coachloop.api.throttling import TokenRate


class ApiView(APIView):
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [HasViewer]
    throttle_classes = [TokenRate]

    @property
    def viewer(self):
        return self.request._request.api_viewer

    @property
    def token(self):
        return self.request._request.api_token

    def people_only(self):
        """Refuse an integration's token: content is a person's, and no scope reaches it."""
        if self.token.integration_id is not None:
            raise PermissionDenied(_("This token may not do that."))

    def needs(self, scope):
        """Refuse an integration token without ``scope`` (a personal token is its person)."""
        token = self.token
        if token.integration_id is not None and scope not in token.scopes:
            raise PermissionDenied(_("This token may not do that."))
