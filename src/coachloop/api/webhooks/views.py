"""The webhook pages of an integration, for the trust's administrators: its endpoints, adding
one, an endpoint's delivery log, sending a failed delivery again, rotating the secret (shown
once) and pausing or resuming. Adding an address and making a new secret ask the
administrator to confirm who they are first, as making a token does: a session taken over
could otherwise send everyone's names and email addresses anywhere."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from coachloop.api.queries import integration_for
from coachloop.api.views.confirming import confirmed_first
from coachloop.api.webhooks import queries, services
from coachloop.api.webhooks.events import EVENT_TYPES
from coachloop.api.webhooks.forms import EndpointForm
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once, saved_here

EVENT_LABELS = {name: label for name, (_scope, label) in EVENT_TYPES.items()}


def _labels(names):
    """What each event type is, in words ("A role started"), for people rather than code."""
    return [EVENT_LABELS.get(name, name) for name in names]


@require_safe
@member_required()
def endpoints(request, integration_pk):
    integration, found = queries.endpoints_of(request.viewer, integration_pk)
    for endpoint in found:
        endpoint.event_labels = _labels(endpoint.events)
    return render(
        request,
        "api/webhooks/endpoints.html",
        {"integration": integration, "endpoints": found},
    )


def _administrators_first(view):
    """Refuse anyone but the integration's administrators (another trust's integration is a
    404) before asking them to confirm who they are: nobody else is asked for a password."""

    @wraps(view)
    def checked(request, integration_pk, *args, **kwargs):
        if request.method == "POST":
            integration_for(request.viewer, integration_pk)
        return view(request, integration_pk, *args, **kwargs)

    return checked


@never_cache
@member_required()
@_administrators_first
@confirmed_first
@creates_once
def endpoint_new(request, integration_pk):
    integration, _endpoints = queries.endpoints_of(request.viewer, integration_pk)
    tokens = queries.working_tokens_of(integration)
    form = EndpointForm(posted(request), tokens=tokens)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.endpoint_add(
                viewer=request.viewer, integration=integration, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            saved_here(request)
            return _secret_page(request, endpoint, secret, added=True)
    return render(
        request,
        "api/webhooks/endpoint_form.html",
        {"integration": integration, "form": form, "has_tokens": bool(tokens)},
    )


def _secret_page(request, endpoint, secret, *, added):
    return render(
        request,
        "api/webhooks/secret.html",
        {
            "integration": endpoint.integration,
            "endpoint": endpoint,
            "secret": secret,
            "added": added,
        },
    )


@require_safe
@member_required()
def endpoint(request, integration_pk, endpoint_pk):
    found = queries.endpoint_for(request.viewer, integration_pk, endpoint_pk)
    page = queries.deliveries_page(found, request.GET.get("page"))
    for delivery in page:
        delivery.event_label = EVENT_LABELS.get(delivery.event_type, delivery.event_type)
        delivery.can_send_again = services.can_send_again(delivery)
    return render(
        request,
        "api/webhooks/endpoint.html",
        {
            "integration": found.integration,
            "endpoint": found,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=1),
            "event_labels": _labels(found.events),
        },
    )


@never_cache
@require_POST
@member_required()
@_administrators_first
@confirmed_first
@creates_once
def endpoint_rotate(request, integration_pk, endpoint_pk):
    """A new secret, shown once; the same form sent again (a reload) makes no other, which
    would stop the one the receiver still holds at once, and goes back to the address."""
    found = queries.endpoint_for(request.viewer, integration_pk, endpoint_pk)
    try:
        stored, secret = services.endpoint_secret_rotate(viewer=request.viewer, endpoint=found)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("webhooks:endpoint", integration_pk, endpoint_pk)
    stored.integration = found.integration
    saved_here(request, then=reverse("webhooks:endpoint", args=[integration_pk, endpoint_pk]))
    return _secret_page(request, stored, secret, added=False)


@require_POST
@member_required()
def endpoint_pause(request, integration_pk, endpoint_pk):
    found = queries.endpoint_for(request.viewer, integration_pk, endpoint_pk)
    active = request.POST.get("active") == "yes"
    services.endpoint_pause(viewer=request.viewer, endpoint=found, active=active)
    if active:
        messages.success(request, _("Events are sent to this address again."))
    else:
        messages.success(request, _("Paused: no events are sent to this address until resumed."))
    return redirect("webhooks:endpoint", integration_pk, found.pk)


@require_POST
@member_required()
def delivery_send_again(request, integration_pk, endpoint_pk, delivery_pk):
    delivery = queries.delivery_for(request.viewer, integration_pk, endpoint_pk, delivery_pk)
    services.delivery_send_again(viewer=request.viewer, delivery=delivery)
    messages.success(request, _("The event will be sent again in a moment."))
    return redirect("webhooks:endpoint", integration_pk, endpoint_pk)
