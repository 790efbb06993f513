"""DRF's view of the token ``ApiTokenMiddleware`` already checked: resources are token-only
(no session authentication, so no CSRF question)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        token = getattr(request._request, "api_token", None)
        if token is None:
            return None
        return (token.user, token)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "coachloop.api.authentication.ApiTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal or integration token: Authorization: Bearer cl_…",
        }
