"""A person's own API tokens: the list, making one (after confirming who they are; the
secret shown once, on the answer to the form) and revoking one. Anyone with a current role
may; another person's token, or another trust's, is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.api import queries
from coachloop.api.forms import PersonalTokenForm, default_expiry
from coachloop.api.tokens import longest_days, personal_token_create, token_revoke
from coachloop.api.views.confirming import confirmed_first
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once, saved_here


def secret_shown(request, template, context):
    """The page showing a new token's secret, the one time it is shown: saved here (the same
    form sent again shows no secret), and kept by no cache."""
    saved_here(request)
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


@member_required()
def tokens(request):
    return render(
        request,
        "api/tokens.html",
        {"tokens": queries.own_tokens(request.viewer), "now": timezone.now()},
    )


@member_required()
@confirmed_first
@creates_once
def token_new(request):
    viewer = request.viewer
    form = PersonalTokenForm(
        posted(request),
        initial={"expires_on": default_expiry()},
        longest_days=longest_days(viewer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = personal_token_create(viewer=viewer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return secret_shown(request, "api/token_shown.html", {"token": token, "secret": secret})
    return render(request, "api/token_new.html", {"form": form})


@member_required()
def token_revoke_page(request, pk):
    token = queries.own_token(request.viewer, pk)
    if request.method == "POST":
        token_revoke(viewer=request.viewer, token=token)
        messages.success(
            request, _("Token “%(name)s” revoked. It no longer works.") % {"name": token.name}
        )
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"token": token})
