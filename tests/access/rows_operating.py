"""The health checks answer everyone, signed in or not (a load balancer does not sign in)."""

from tests.access.codes import public_route

ROWS = {
    "healthz": ("get", None, public_route()),
    "healthz_web": ("get", None, public_route()),
}
