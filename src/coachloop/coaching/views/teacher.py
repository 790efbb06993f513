"""The teacher's own pages: my current step and history, and who has read my records."""

from django.shortcuts import render

from coachloop.coaching.models import HomeLook
from coachloop.coaching.queries import homes
from coachloop.coaching.queries import teacher_home as queries
from coachloop.coaching.services.looks import home_look
from coachloop.common import navigation, trail
from coachloop.common.decorators import member_required
from coachloop.people.models import Role

RECENT = 20  # history entries shown before "show all"


@member_required(Role.TEACHER)
def teacher_home(request):
    show_all = request.GET.get("history") == "all"
    since = home_look(viewer=request.viewer, page=HomeLook.Page.TEACHER)
    home = queries.teacher_home(request.viewer, history_limit=None if show_all else RECENT)
    lead = homes.teacher_lead(request.viewer, home=home, since=since)
    offers = navigation.offers("coaching:teacher_home", request.viewer)
    context = {"home": home, "lead": lead, "offers": offers}
    return render(request, "coaching/teacher_home.html", context)


@member_required()
def my_audit(request):
    found = trail.reads_of(request.viewer, page=request.GET.get("page"))
    return render(request, "coaching/my_audit.html", {"trail": found})
