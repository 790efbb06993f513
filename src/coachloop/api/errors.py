"""Every API error in one shape (``common.api_errors``), with no internals in it.

DRF's own exceptions keep their status and message; Django's ``Http404`` and
``PermissionDenied`` are DRF's; a service's ``ValidationError`` is a 400 with its messages by
field; a ``ScopeError`` (a read outside any trust) is a bug, so it is left to become a 500.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from coachloop.common.api_errors import error_body


def _fields(detail):
    """DRF's error detail as field -> list of messages."""
    if isinstance(detail, dict):
        return {
            str(key): [str(m) for m in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(status, "invalid", "What was sent has mistakes.", _fields(exc.detail))
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = error_body(status, code if isinstance(code, str) else "error", detail)
    return Response(body, status=status, headers=dict(response.items()))
