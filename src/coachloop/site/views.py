"""The site's own pages: home (which sends each person to the page they use most), the pages
about Coachloop, the error pages and signing out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import defaults

from coachloop.common.api_errors import is_api, json_error
from coachloop.people.models import Role
from coachloop.site import leader_facts


@login_required
def home(request):
    """Send each person to the page they use most; the header links to the others."""
    viewer = request.viewer
    if viewer is None:
        return render(request, "site/no_role.html", status=403)
    roles = viewer.roles()
    if Role.COACH in roles:
        return redirect("coaching:coach_home")
    if Role.TEACHER in roles:
        return redirect("coaching:teacher_home")
    lead_schools = viewer.schools_with(Role.COACHING_LEAD)
    if lead_schools:
        return redirect("coaching:lead_home", lead_schools[0].slug)
    if roles == {Role.PARTNER_STAFF}:
        return redirect("programmes:home")
    head_schools = viewer.schools_with(Role.HEADTEACHER)
    context = {
        "is_head": Role.HEADTEACHER in roles,
        "head_schools": head_schools,
        "school_facts": leader_facts.school_facts(viewer, head_schools),
        "trust_facts": leader_facts.trust_facts(viewer) if viewer.is_trust_lead else None,
        "roster_facts": leader_facts.roster_facts(viewer),
    }
    return render(request, "site/leader_home.html", context)


def not_found(request, exception=None):
    if is_api(request):
        return json_error(404, "not_found", _("Not found."))
    return render(request, "common/404.html", status=404)


# Under /api/ a client reads JSON, so these answer in the API's error shape there; elsewhere
# they are Django's own (the 400 and 500 templates).
def bad_request(request, exception=None):
    if is_api(request):
        return json_error(400, "bad_request", _("The request could not be read."))
    return defaults.bad_request(request, exception)


def server_error(request):
    if is_api(request):
        return json_error(500, "server_error", _("Something went wrong on our side."))
    return defaults.server_error(request)


def forbidden(request, exception=None):
    if is_api(request):
        return json_error(403, "permission_denied", _("You may not do this."))
    return render(request, "common/403.html", status=403)


def privacy(request):
    return render(request, "site/privacy.html")


def accessibility(request):
    return render(request, "site/accessibility.html")


class SignOutView(LogoutView):
    """Django's sign-out, saying so on the sign-in page it returns to."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.info(request, _("You have signed out."))
        return response
