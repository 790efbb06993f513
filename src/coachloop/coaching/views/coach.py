"""The coach's pages: my teachers, and one teacher's coaching record."""

from django.shortcuts import render

from coachloop.coaching.queries import loop as queries
from coachloop.common import navigation
from coachloop.common.decorators import member_required
from coachloop.people.models import Role

LATEST = 8  # drop-ins shown before "show all"


@member_required(Role.COACH)
def coach_home(request):
    rows = queries.coachees(request.viewer)
    ended = queries.recently_ended(request.viewer)
    offers = navigation.offers("coaching:coach_home", request.viewer)
    context = {"rows": rows, "ended": ended, "offers": offers}
    return render(request, "coaching/coach_home.html", context)


@member_required()
def coachee(request, relationship_id):
    relationship = queries.relationship_for(request.viewer, relationship_id)
    show_all = request.GET.get("drop-ins") == "all"
    page = queries.coachee_page(
        request.viewer, relationship=relationship, dropin_limit=None if show_all else LATEST
    )
    return render(request, "coaching/coachee.html", {"page": page, "relationship": relationship})
