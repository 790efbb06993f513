"""A resource needs the viewer ``ApiTokenMiddleware`` found: no token is a 401."""

from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission


class HasViewer(BasePermission):
    def has_permission(self, request, view):
        if getattr(request._request, "api_viewer", None) is None:
            raise NotAuthenticated()
        return True
