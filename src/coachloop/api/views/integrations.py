"""The trust's integrations, for its administrators: the list, setting one up, its page with
its tokens, making a token with scopes (after confirming who they are; the secret shown
once) and revoking one. Anyone else is refused; another trust's integration is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.api import queries
from coachloop.api.forms import IntegrationForm, IntegrationTokenForm, default_expiry
from coachloop.api.integrations import integration_create, integration_token_create
from coachloop.api.models import Scope
from coachloop.api.tokens import token_revoke
from coachloop.api.views.confirming import confirmed_first
from coachloop.api.views.tokens import secret_shown
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once
from coachloop.rosters.queries import open_schools

SCOPE_LABELS = dict(Scope.choices)


def scope_labels(token):
    return [SCOPE_LABELS.get(scope, scope) for scope in token.scopes]


@member_required()
def integrations(request):
    return render(
        request, "api/integrations.html", {"integrations": queries.integrations_of(request.viewer)}
    )


@member_required()
@creates_once
def integration_new(request):
    viewer = request.viewer
    queries.check_manages_integrations(viewer)
    form = IntegrationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            integration = integration_create(viewer=viewer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Integration set up. Now make it a token."))
            return redirect("api:integration", integration.pk)
    return render(request, "api/integration_new.html", {"form": form})


@member_required()
def integration(request, pk):
    viewer = request.viewer
    found = queries.integration_for(viewer, pk)
    tokens = [(token, scope_labels(token)) for token in queries.integration_tokens(viewer, found)]
    return render(
        request,
        "api/integration.html",
        {"integration": found, "tokens": tokens, "now": timezone.now()},
    )


@member_required()
@confirmed_first
@creates_once
def integration_token_new(request, pk):
    viewer = request.viewer
    found = queries.integration_for(viewer, pk)
    form = IntegrationTokenForm(
        posted(request),
        initial={"expires_on": default_expiry(), "rate_per_minute": 60},
        schools=open_schools(viewer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = integration_token_create(
                viewer=viewer, integration=found, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return secret_shown(
                request,
                "api/integration_token_shown.html",
                {"integration": found, "token": token, "secret": secret},
            )
    return render(request, "api/integration_token_new.html", {"integration": found, "form": form})


@member_required()
def integration_token_revoke(request, pk, token_pk):
    viewer = request.viewer
    found = queries.integration_for(viewer, pk)
    token = queries.integration_token_for(viewer, found, token_pk)
    if request.method == "POST":
        token_revoke(viewer=viewer, token=token)
        messages.success(
            request, _("Token “%(name)s” revoked. It no longer works.") % {"name": token.name}
        )
        return redirect("api:integration", found.pk)
    return render(
        request, "api/integration_token_revoke.html", {"integration": found, "token": token}
    )
