"""The health check answers everyone, signed in or not (a load balancer does not sign in)."""

from tests.access.codes import public_route

ROWS = {
    "healthz": ("get", None, public_route()),
}
