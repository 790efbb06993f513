"""Refusing input no page can use before anything looks it up.

PostgreSQL cannot hold a NUL character in text, so a lookup by a value with one in it (a
token in an address, a session cookie, a search term) fails inside the database instead of
finding nothing. No address, query, cookie or form of Coachloop has a use for one, so a
request that carries one is answered "Bad request" here, before the session, the viewer or
any view reads it: one check for every route, rather than one in each lookup.
"""

from django.core.exceptions import BadRequest

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded",)


def _carries_nul(values):
    return any(NUL in value for value in values)


def _query_values(query):
    for key, values in query.lists():
        yield key
        yield from values


def has_nul(request):
    """Whether the address, its query, a cookie or a posted (non-file) form field holds NUL.

    Uploads (multipart forms) are left to their views, which set their own upload handlers
    before the body is read; their text fields meet Django's own check for NUL in a form.
    """
    if NUL in request.path_info or _carries_nul(_query_values(request.GET)):
        return True
    if _carries_nul(request.COOKIES) or _carries_nul(request.COOKIES.values()):
        return True
    if request.method == "POST" and request.content_type in FORM_TYPES:
        return _carries_nul(_query_values(request.POST))
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            raise BadRequest("The request holds a NUL character.")
        return self.get_response(request)
