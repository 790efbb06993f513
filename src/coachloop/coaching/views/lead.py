"""The coaching lead's view of a school: activity only, never notes."""

from django.shortcuts import render

from coachloop.coaching.queries import lead as lead_queries
from coachloop.coaching.queries import loop as queries
from coachloop.common.decorators import member_required
from coachloop.common.navigation import offers
from coachloop.people import queries as people_queries
from coachloop.people.models import Role

RECENT_VISITS = 10
MORE_VISITS = 100
# Other apps' pages for running coaching at the school, offered in the lead's list of them
# (their templates read the page's ``school``): the pages that set coaching up come straight
# after starting it, everything else at the end of the list.
SETTING_UP = "coaching:lead_home#setting-up"


@member_required(Role.COACHING_LEAD)
def lead_home(request, school_slug):
    viewer = request.viewer
    school = people_queries.school_for(viewer, slug=school_slug, role=Role.COACHING_LEAD)
    home = lead_queries.lead_home(viewer, school=school, page=request.GET.get("page"))
    limit = MORE_VISITS if request.GET.get("drop-ins") == "more" else RECENT_VISITS
    visits = queries.lead_recent_visits(viewer, school=school, limit=limit)
    context = {
        "school": school,
        "home": home,
        "rows": home.page,
        "visits": visits[:limit],
        "more_visits": len(visits) > limit and limit == RECENT_VISITS,
        "setting_up": offers(SETTING_UP, viewer),
        "offers": offers("coaching:lead_home", viewer),
    }
    return render(request, "coaching/lead_home.html", context)
