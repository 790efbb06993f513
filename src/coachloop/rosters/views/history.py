"""The imports page: what has been imported, by whom and when, and where to start another."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from coachloop.common.decorators import member_required
from coachloop.people.models import Role
from coachloop.rosters import queries


@require_safe
@member_required(Role.ADMINISTRATOR)
def imports_home(request):
    context = {"imports": queries.recent_imports(request.viewer), "shown": queries.RECENT}
    return render(request, "rosters/home.html", context)
