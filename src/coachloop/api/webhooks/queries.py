"""Reads of an integration's webhook endpoints and their deliveries, for the trust's
administrators only (through ``api.queries.integration_for``)."""

from django.core.paginator import Paginator
from django.http import Http404

from coachloop.api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from coachloop.api.queries import integration_for
from coachloop.api.webhooks.events import token_works

PER_PAGE = 25


def endpoints_of(viewer, integration_pk):
    """The integration and its endpoints (refused, or a 404, as ``integration_for``)."""
    integration = integration_for(viewer, integration_pk)
    endpoints = list(
        WebhookEndpoint.objects.filter(integration=integration).select_related("token")
    )
    return integration, endpoints


def endpoint_for(viewer, integration_pk, pk):
    integration = integration_for(viewer, integration_pk)
    endpoint = (
        WebhookEndpoint.objects.filter(integration=integration, pk=pk)
        .select_related("token", "integration")
        .first()
    )
    if endpoint is None:
        raise Http404
    return endpoint


def deliveries_page(endpoint, page):
    """One page of the endpoint's deliveries, newest first."""
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint).only(
        "pk",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "delivered_at",
        "next_attempt_at",
        "endpoint_id",
    )
    return Paginator(deliveries, PER_PAGE).get_page(page)


def delivery_for(viewer, integration_pk, endpoint_pk, pk):
    endpoint = endpoint_for(viewer, integration_pk, endpoint_pk)
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint, pk=pk).first()
    if delivery is None:
        raise Http404
    delivery.endpoint = endpoint
    return delivery


def working_tokens_of(integration):
    """The integration's tokens that still work, for the endpoint form."""
    tokens = ApiToken.objects.filter(integration=integration).select_related("user")
    return [token for token in tokens if token_works(token)]
