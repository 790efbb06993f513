"""An integration's webhook pages over the demo, for its administrator: the endpoints, the
form, and an endpoint's delivery log with a page of deliveries (as many at ten times the
demo: a page is a page)."""

from django.urls import reverse

from coachloop.api.models import DeliveryStatus, Scope, WebhookDelivery
from coachloop.common.models import AuditEvent
from coachloop.demo.accounts import DEMO_TRUST_SLUG
from coachloop.people.models import Trust, User
from tests.api.webhooks import make_endpoint


def pages():
    trust = Trust.objects.get(slug=DEMO_TRUST_SLUG)
    admin = User.objects.get(email="admin@riverside.example.org")
    endpoint = make_endpoint(
        trust,
        url="https://hooks.example.org/coachloop",
        scopes=[Scope.READ_PEOPLE],
        events=["role.started", "role.ended"],
    )
    events = AuditEvent.objects.filter(trust=trust).order_by("pk")[:30]
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            trust=trust,
            endpoint=endpoint,
            event=event,
            event_type="role.started",
            payload={},
            status=DeliveryStatus.FAILED if n % 3 else DeliveryStatus.DELIVERED,
            attempts=1 + n % 3,
        )
        for n, event in enumerate(events)
    )
    integration = endpoint.integration_id
    return [
        (admin, reverse("webhooks:endpoints", args=[integration])),
        (admin, reverse("webhooks:endpoint_new", args=[integration])),
        (admin, reverse("webhooks:endpoint", args=[integration, endpoint.pk])),
    ]
