"""Learning agreements: the agreement in force and any change waiting, proposing a change,
each version with who agreed when, and agreeing. The same pages serve a relationship and a
group; each view fetches the agreement the viewer may touch, or 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coachloop.coaching.forms.agreements import AgreementForm
from coachloop.coaching.queries import agreements as queries
from coachloop.coaching.services import agreements as services
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once


def _names(people):
    return get_text_list([person.full_name or person.email for person in people], _("and"))


# -- the viewer's agreements -------------------------------------------------------------------


@member_required()
def mine(request):
    rows = queries.my_agreements(request.viewer)
    return render(request, "coaching/agreements/mine.html", {"rows": rows})


# -- one agreement, for a relationship or a group ----------------------------------------------


def _page(request, agreement):
    return render(request, "coaching/agreements/page.html", {"agreement": agreement})


def _propose(request, agreement):
    latest = agreement.latest
    if latest is not None:
        terms = {name: getattr(latest, name) for name in services.TERMS}
    else:
        terms = services.agreement_starting_terms(
            relationship=agreement.relationship, group=agreement.group
        )
    based_on = latest.number if latest else 0
    form = AgreementForm(
        posted(request), initial=AgreementForm.initial_from(terms, based_on=based_on)
    )
    if request.method == "POST" and form.is_valid():
        subject = (
            {"group": agreement.group}
            if agreement.group is not None
            else {"relationship": agreement.relationship}
        )
        try:
            version = services.agreement_propose(
                viewer=request.viewer,
                based_on=form.cleaned_data["based_on"],
                **subject,
                **form.terms(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if version.in_force_from is not None:
                messages.success(
                    request, _("Version %(number)d is in force.") % {"number": version.number}
                )
            else:
                others = [p for p in agreement.parties if p.pk != request.viewer.pk]
                messages.success(
                    request,
                    ngettext(
                        "You proposed version %(number)d. It comes into force once %(names)s "
                        "agrees to it; until then, nothing changes.",
                        "You proposed version %(number)d. It comes into force once %(names)s "
                        "agree to it; until then, nothing changes.",
                        len(others),
                    )
                    % {"number": version.number, "names": _names(others)},
                )
            return redirect(agreement.page_url)
    queries.agreement_shown(request.viewer, agreement)
    return render(
        request,
        "coaching/agreements/propose.html",
        {"agreement": agreement, "form": form, "starting": latest is None},
    )


def _version(request, agreement, number):
    version = queries.version_of(request.viewer, agreement, number)
    return render(
        request,
        "coaching/agreements/version.html",
        {"agreement": agreement, "version": version},
    )


def _agree(request, agreement, number):
    version = next((v for v in agreement.versions if v.number == number), None)
    if version is None:
        return redirect(agreement.page_url)
    try:
        services.agreement_agree(viewer=request.viewer, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(agreement.page_url)
    if version.in_force_from is not None:
        messages.success(
            request,
            _("Everyone has agreed: version %(number)d is now in force.") % {"number": number},
        )
    else:
        waiting = [p for p in agreement.waiting_for if p.pk != request.viewer.pk]
        messages.success(
            request,
            ngettext(
                "You agreed to version %(number)d. It comes into force once %(names)s agrees "
                "to it.",
                "You agreed to version %(number)d. It comes into force once %(names)s agree to it.",
                len(waiting),
            )
            % {"number": number, "names": _names(waiting)},
        )
    return redirect(agreement.page_url)


# Relationships


@member_required()
def agreement(request, relationship_id):
    return _page(request, queries.relationship_agreement(request.viewer, relationship_id))


@member_required()
@creates_once
def agreement_propose(request, relationship_id):
    found = queries.relationship_agreement(
        request.viewer, relationship_id, change=True, audit=False
    )
    return _propose(request, found)


@member_required()
def agreement_version(request, relationship_id, number):
    found = queries.relationship_agreement(request.viewer, relationship_id, audit=False)
    return _version(request, found, number)


@require_POST
@member_required()
@creates_once
def agreement_agree(request, relationship_id, number):
    found = queries.relationship_agreement(
        request.viewer, relationship_id, change=True, audit=False
    )
    return _agree(request, found, number)


# Groups


@member_required()
def group_agreement(request, group_id):
    return _page(request, queries.group_agreement(request.viewer, group_id))


@member_required()
@creates_once
def group_agreement_propose(request, group_id):
    return _propose(request, queries.group_agreement(request.viewer, group_id, change=True))


@member_required()
def group_agreement_version(request, group_id, number):
    return _version(request, queries.group_agreement(request.viewer, group_id), number)


@require_POST
@member_required()
@creates_once
def group_agreement_agree(request, group_id, number):
    return _agree(request, queries.group_agreement(request.viewer, group_id, change=True), number)


urlpatterns = [
    path("agreements/", mine, name="agreements_mine"),
    path("agreements/coaching/<int:relationship_id>/", agreement, name="agreement"),
    path(
        "agreements/coaching/<int:relationship_id>/change/",
        agreement_propose,
        name="agreement_propose",
    ),
    path(
        "agreements/coaching/<int:relationship_id>/versions/<int:number>/",
        agreement_version,
        name="agreement_version",
    ),
    path(
        "agreements/coaching/<int:relationship_id>/versions/<int:number>/agree/",
        agreement_agree,
        name="agreement_agree",
    ),
    path("agreements/groups/<int:group_id>/", group_agreement, name="group_agreement"),
    path(
        "agreements/groups/<int:group_id>/change/",
        group_agreement_propose,
        name="group_agreement_propose",
    ),
    path(
        "agreements/groups/<int:group_id>/versions/<int:number>/",
        group_agreement_version,
        name="group_agreement_version",
    ),
    path(
        "agreements/groups/<int:group_id>/versions/<int:number>/agree/",
        group_agreement_agree,
        name="group_agreement_agree",
    ),
]
