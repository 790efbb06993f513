from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def member_required(*roles):
    """Signed in, with a current role in a school; with ``roles``, holding one of them."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            viewer = request.viewer
            if viewer is None:
                raise PermissionDenied
            if roles and not (viewer.roles() & set(roles)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
