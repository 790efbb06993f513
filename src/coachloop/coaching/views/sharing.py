"""Sharing: a teacher shares one of their items with a named person until a date, sees what
they have shared and stops a share; the person it is shared with reads it, read-only, through
the share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coachloop.coaching.forms.sharing import ShareForm
from coachloop.coaching.models import DropIn, EvidenceItem, EvidenceKind, Goal
from coachloop.coaching.queries import sharing as queries
from coachloop.coaching.services import sharing as services
from coachloop.coaching.views.evidence import evidence_file_response
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once


@member_required()
@creates_once
def share_new(request, kind, item_id):
    """Share one of the viewer's items: ``kind`` is reflection, goal, dropin or evidence."""
    item = queries.item_to_share(request.viewer, kind=kind, pk=item_id)
    form = ShareForm(posted(request), people=queries.people_to_share_with(request.viewer))
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.share_grant(viewer=request.viewer, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Shared with %(person)s until %(date)s.")
                % {
                    "person": grant.grantee.full_name,
                    "date": date_format(grant.expires_on, "j F Y"),
                },
            )
            return redirect("coaching:my_shares")
    context = {
        "form": form,
        "item": item,
        "kind": services.kind_of(item),
        "title": services.item_title(item),
    }
    return render(request, "coaching/sharing/form.html", context)


@member_required()
def my_shares(request):
    shares = queries.my_shares(request.viewer)
    return render(request, "coaching/sharing/mine.html", {"shares": shares})


@require_POST
@member_required()
def share_revoke(request, grant_id):
    grant = queries.grant_of_mine(request.viewer, grant_id)
    try:
        grant = services.share_revoke(viewer=request.viewer, grant=grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s can no longer read “%(title)s”.")
            % {"person": grant.grantee.full_name, "title": grant.item_title},
        )
    return redirect("coaching:my_shares")


@member_required()
def shared_with_me(request):
    grants = queries.shared_with_me(request.viewer)
    return render(request, "coaching/sharing/with_me.html", {"grants": grants})


@member_required()
def shared_item(request, grant_id):
    """The item one share lets the viewer read. ``?file=1`` downloads a shared file."""
    shared = queries.shared_item(request.viewer, grant_id)
    item = shared.item
    if request.GET.get("file"):
        if not isinstance(item, EvidenceItem):
            raise Http404
        return evidence_file_response(item)
    context = {
        "shared": shared,
        "grant": shared.grant,
        "item": item,
        "is_dropin": isinstance(item, DropIn),
        "is_goal": isinstance(item, Goal),
        "is_evidence": isinstance(item, EvidenceItem),
    }
    if isinstance(item, DropIn):
        context["dropin"] = item
    if isinstance(item, Goal):
        labels = dict(EvidenceKind.choices)
        context["evidence_kinds"] = [labels[k] for k in item.evidence_kinds if k in labels]
    return render(request, "coaching/sharing/item.html", context)


urlpatterns = [
    path("me/share/<slug:kind>/<int:item_id>/", share_new, name="share_new"),
    path("me/shared/", my_shares, name="my_shares"),
    path("me/shared/<int:grant_id>/stop/", share_revoke, name="share_revoke"),
    path("shared-with-me/", shared_with_me, name="shared_with_me"),
    path("shared-with-me/<int:grant_id>/", shared_item, name="shared_item"),
]
