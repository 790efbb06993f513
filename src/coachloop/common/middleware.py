"""Headers on every answer Django gives (docs/operating.md "Headers").

- ``Cache-Control: no-store, private``: pages show coaching notes, names and a form's token,
  and none of them may be kept by a browser's cache, a school's web proxy or a shared
  computer's disk. Static files are served before this (by WhiteNoise) and are cached as usual.
- ``Permissions-Policy``: no page uses the camera, microphone, location, payments or
  devices, so none may, even if a script were ever slipped onto one. Passkeys
  (``publickey-credentials-*``) keep their default, this site only.
"""

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
