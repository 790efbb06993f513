"""Two middlewares of every request.

``SecurityHeadersMiddleware`` adds headers to every answer Django gives (docs/operating.md
"Headers"):
- ``Cache-Control: no-store, private``: pages show coaching notes, names and a form's token,
  and none of them may be kept by a browser's cache, a school's web proxy or a shared
  computer's disk. Static files are served before this (by WhiteNoise) and are cached as usual.
- ``Permissions-Policy``: no page uses the camera, microphone, location, payments or
  devices, so none may, even if a script were ever slipped onto one. Passkeys
  (``publickey-credentials-*``) keep their default, this site only.

``RefuseNulMiddleware`` refuses input no page can use before anything looks it up.
PostgreSQL cannot hold a NUL character in text, so a lookup by a value with one in it (a
token in an address, a session cookie, a search term) fails inside the database instead of
finding nothing. No address, query, cookie or form of Coachloop has a use for one, so a
request that carries one is answered "Bad request": one check for every route, rather than
one in each lookup. It covers:

- the address, its query (names and values) and the cookies (names and values), and the
  fields of a URL-encoded form (names and values): here, before the session, the viewer or
  any view reads them;
- the text fields of a multipart form (names and values) as soon as anything first reads
  ``request.POST`` or ``request.FILES`` (the CSRF check, a sign-in limit, a view's form):
  the body is not read here, because a view that takes a file sets its own upload handlers
  (size limits) before it is read. ``BadRequest`` raised there is Django's 400, like this.

An uploaded file's content and name are not checked here: the upload checks read the one
(``common.uploads``) and keep only a cleaned copy of the other.
"""

from django.core.exceptions import BadRequest
from django.utils.cache import patch_cache_control

DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded",)
MULTIPART = "multipart/form-data"


def _carries_nul(values):
    return any(NUL in value for value in values)


def _query_values(query):
    for key, values in query.lists():
        yield key
        yield from values


def has_nul(request):
    """Whether the address, its query, a cookie or a URL-encoded form's field holds NUL.

    A multipart form's fields are checked when its body is read (``check_multipart_when_read``).
    """
    if NUL in request.path_info or _carries_nul(_query_values(request.GET)):
        return True
    if _carries_nul(request.COOKIES) or _carries_nul(request.COOKIES.values()):
        return True
    if request.method == "POST" and request.content_type in FORM_TYPES:
        return _carries_nul(_query_values(request.POST))
    return False


def check_multipart_when_read(request):
    """Make the first read of a multipart body (``request.POST`` or ``request.FILES``, by
    whoever asks first, after any upload handlers a view sets) refuse a text field holding NUL
    with ``BadRequest``. What was read is kept, so the 400 page (and an error report) can
    read the request again without raising."""
    load = request._load_post_and_files

    def load_and_check():
        load()
        if _carries_nul(_query_values(request._post)):
            raise BadRequest("The request holds a NUL character.")

    # An instance attribute is found before the class's method: Django's own POST and FILES
    # call ``self._load_post_and_files()``.
    request._load_post_and_files = load_and_check


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            raise BadRequest("The request holds a NUL character.")
        if request.method == "POST" and request.content_type == MULTIPART:
            check_multipart_when_read(request)
        return self.get_response(request)
