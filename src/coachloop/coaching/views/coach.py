"""The coach's pages: my teachers, and one teacher's coaching record."""

from django.shortcuts import render

from coachloop.coaching.models import HomeLook
from coachloop.coaching.queries import homes
from coachloop.coaching.queries import loop as queries
from coachloop.coaching.services.looks import home_look
from coachloop.common import navigation
from coachloop.common.decorators import member_required
from coachloop.people.models import Role

LATEST = 8  # drop-ins shown before "show all"


@member_required(Role.COACH)
def coach_home(request):
    since = home_look(viewer=request.viewer, page=HomeLook.Page.COACH)
    home = homes.coach_home(request.viewer, since=since)
    offers = navigation.offers("coaching:coach_home", request.viewer)
    context = {"home": home, "rows": home.rows, "ended": home.ended, "offers": offers}
    return render(request, "coaching/coach_home.html", context)


@member_required()
def coachee(request, relationship_id):
    relationship = queries.relationship_for(request.viewer, relationship_id)
    show_all = request.GET.get("drop-ins") == "all"
    page = queries.coachee_page(
        request.viewer, relationship=relationship, dropin_limit=None if show_all else LATEST
    )
    return render(request, "coaching/coachee.html", {"page": page, "relationship": relationship})
