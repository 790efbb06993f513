"""The one shape of an error the API answers, also for the site's own 400, 403, 404 and 500 under
``/api/`` (a client reading JSON never gets an HTML page).

``{"status": 404, "code": "not_found", "detail": "Not found."}``, with ``"fields"`` (name ->
messages) when what was sent had mistakes.
"""

from django.http import JsonResponse

API_PATH = "/api/"


def is_api(request):
    return request.path_info.startswith(API_PATH)


def error_body(status, code, detail, fields=None):
    body = {"status": status, "code": code, "detail": str(detail)}
    if fields:
        body["fields"] = fields
    return body


def json_error(status, code, detail, *, headers=None):
    return JsonResponse(error_body(status, code, detail), status=status, headers=headers)
