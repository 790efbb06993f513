"""The coaching lead's view of a school: activity only, never notes."""

from django.shortcuts import render

from coachloop.coaching.queries import loop as queries
from coachloop.common.decorators import member_required
from coachloop.people import queries as people_queries
from coachloop.people.models import Role

RECENT_VISITS = 10
MORE_VISITS = 100


@member_required(Role.COACHING_LEAD)
def lead_home(request, school_slug):
    school = people_queries.school_for(request.viewer, slug=school_slug, role=Role.COACHING_LEAD)
    rows = queries.lead_activity(request.viewer, school=school)
    limit = MORE_VISITS if request.GET.get("drop-ins") == "more" else RECENT_VISITS
    visits = queries.lead_recent_visits(request.viewer, school=school, limit=limit)
    context = {
        "school": school,
        "rows": rows,
        "visits": visits[:limit],
        "more_visits": len(visits) > limit and limit == RECENT_VISITS,
    }
    return render(request, "coaching/lead_home.html", context)
