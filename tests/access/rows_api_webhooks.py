"""An integration's webhook pages are its trust's administrators'; anyone else is refused,
and another trust's integration is a 404 for them."""

from coachloop.api.models import DeliveryStatus, Scope, WebhookDelivery
from coachloop.common.audit import audit_record
from coachloop.common.tenancy import scopes_disabled
from tests.access.codes import only
from tests.api.webhooks import make_endpoint


def _administrators(code):
    return {
        "own": only({"administrator": code}, others=403),
        "other_trust": only({"administrator": 404}, others=403),
    }


def _endpoint(r):
    return make_endpoint(
        r.school.trust,
        url="https://hooks.example.org/coachloop",
        scopes=[Scope.READ_PEOPLE],
        events=["role.started"],
    )


def _integration(r):
    endpoint = _endpoint(r)
    return {"integration_pk": endpoint.integration_id}


def _at_endpoint(r):
    endpoint = _endpoint(r)
    return {"integration_pk": endpoint.integration_id, "endpoint_pk": endpoint.pk}


def _failed_delivery(r):
    endpoint = _endpoint(r)
    with scopes_disabled():
        event = audit_record(actor=None, verb="webhook.test", target=endpoint)
        delivery = WebhookDelivery.objects.create(
            trust=endpoint.trust,
            endpoint=endpoint,
            event=event,
            event_type="role.started",
            payload={},
            status=DeliveryStatus.FAILED,
            attempts=1,
            last_status_code=500,
        )
    return {
        "integration_pk": endpoint.integration_id,
        "endpoint_pk": endpoint.pk,
        "delivery_pk": delivery.pk,
    }


ROWS = {
    "webhooks:endpoints": ("get", _integration, _administrators(200)),
    "webhooks:endpoint_new": ("get", _integration, _administrators(200)),
    "webhooks:endpoint": ("get", _at_endpoint, _administrators(200)),
    # the administrator is asked to confirm their password first (302), anyone else refused
    "webhooks:endpoint_rotate": ("post", _at_endpoint, _administrators(302)),
    "webhooks:endpoint_pause": ("post", _at_endpoint, _administrators(302)),
    "webhooks:delivery_send_again": ("post", _failed_delivery, _administrators(302)),
}
