"""Time for coaching: protected slots and twilight sessions (run by a school's coaching lead),
each person's own time, and their private calendar feed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once
from coachloop.common.tenancy import trust_scope
from coachloop.frameworks import queries as framework_queries
from coachloop.people import queries as people_queries
from coachloop.people.models import Role
from coachloop.rollout.calendar import build_calendar
from coachloop.rollout.forms.time import (
    AttendanceForm,
    CpdSessionForm,
    ProtectedSlotForm,
    SlotEndForm,
)
from coachloop.rollout.queries import time as queries
from coachloop.rollout.services import time as services


def _led_school(request, school_slug):
    return people_queries.school_for(request.viewer, slug=school_slug, role=Role.COACHING_LEAD)


# -- protected slots (coaching lead) -----------------------------------------------------------


@member_required(Role.COACHING_LEAD)
def slots(request, school_slug):
    school = _led_school(request, school_slug)
    found = queries.school_slots(request.viewer, school=school)
    return render(request, "rollout/time_slots.html", {"school": school, "slots": found})


@member_required(Role.COACHING_LEAD)
@creates_once
def slot_new(request, school_slug):
    school = _led_school(request, school_slug)
    coaches = queries.school_coaches(request.viewer, school=school)
    form = ProtectedSlotForm(posted(request), coaches=coaches)
    if request.method == "POST" and form.is_valid():
        try:
            slot = services.protected_slot_add(
                viewer=request.viewer, school=school, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Protected time added for %(coach)s on %(day)s.")
                % {"coach": slot.coach.full_name, "day": slot.get_weekday_display()},
            )
            return redirect("rollout:time_slots", school.slug)
    return render(
        request,
        "rollout/time_slot_form.html",
        {"school": school, "form": form, "has_coaches": coaches.exists()},
    )


@member_required(Role.COACHING_LEAD)
def slot_end(request, school_slug, slot_id):
    school = _led_school(request, school_slug)
    slot = queries.slot_for(request.viewer, school=school, pk=slot_id)
    form = SlotEndForm(posted(request), slot=slot)
    if request.method == "POST" and form.is_valid():
        try:
            services.protected_slot_end(
                viewer=request.viewer, slot=slot, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The slot for %(coach)s now ends on %(date)s.")
                % {
                    "coach": slot.coach.full_name,
                    "date": date_format(form.cleaned_data["ends_on"], "j F Y"),
                },
            )
            return redirect("rollout:time_slots", school.slug)
    return render(
        request, "rollout/time_slot_end.html", {"school": school, "slot": slot, "form": form}
    )


# -- CPD sessions (coaching lead) --------------------------------------------------------------


@member_required(Role.COACHING_LEAD)
def sessions(request, school_slug):
    school = _led_school(request, school_slug)
    found = queries.school_sessions(request.viewer, school=school)
    return render(request, "rollout/time_sessions.html", {"school": school, "sessions": found})


@member_required(Role.COACHING_LEAD)
@creates_once
def session_new(request, school_slug):
    school = _led_school(request, school_slug)
    form = CpdSessionForm(
        posted(request),
        strands=framework_queries.current_strands(request.viewer),
        staff=queries.school_staff(request.viewer, school=school),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.cpd_session_add(
                viewer=request.viewer, school=school, **form.session_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session added and staff invited."))
            return redirect("rollout:time_session", school.slug, session.pk)
    return render(request, "rollout/time_session_form.html", {"school": school, "form": form})


@member_required(Role.COACHING_LEAD)
def session_detail(request, school_slug, session_id):
    """A session's invitees; once it has started, the lead records who came."""
    school = _led_school(request, school_slug)
    session = queries.session_for(request.viewer, school=school, pk=session_id)
    started = session.starts_at <= timezone.now()
    form = None
    if started:
        form = AttendanceForm(posted(request), invitations=session.invitation_list)
        if request.method == "POST" and form.is_valid():
            try:
                services.cpd_attendance_record(
                    viewer=request.viewer,
                    session=session,
                    attendance=form.cleaned_data["attendance"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Attendance saved."))
                return redirect("rollout:time_session", school.slug, session.pk)
    elif request.method == "POST":
        messages.error(request, _("Attendance can be recorded once the session has started."))
        return redirect("rollout:time_session", school.slug, session.pk)
    return render(
        request,
        "rollout/time_session.html",
        {"school": school, "session": session, "started": started, "form": form},
    )


# -- each person's own time and calendar -------------------------------------------------------


@member_required()
def mine(request):
    context = {
        "slots": queries.my_slots(request.viewer),
        "invitations": queries.my_invitations(request.viewer),
    }
    return render(request, "rollout/time_mine.html", context)


def _calendar_page(request, *, feed, new=None):
    """The "Your calendar" page: whether the person has an address and, just after it is made
    (``new``, a ``services.time.NewAddress``), the address itself, this once."""
    context = {"feed": feed, "new": new}
    if new is not None:
        address = request.build_absolute_uri(
            reverse("rollout:time_feed", args=[new.feed.person_id, new.token])
        )
        context.update(address=address, webcal="webcal://" + address.split("://", 1)[1])
    return render(request, "rollout/time_calendar.html", context)


@require_safe
@never_cache
@member_required()
def calendar(request):
    """Whether the person has a private calendar address, and how to make one. Only a hash of
    an address's secret is kept, so the address itself is shown once, when it is made."""
    return _calendar_page(request, feed=queries.my_feed(request.viewer))


@require_POST
@never_cache
@member_required()
def calendar_reset(request):
    """Make the person's calendar address (a new one replaces the old, which stops working)
    and show it, this once: it is shown in this answer and kept nowhere it could be read
    again, so it is not sent through a redirect and the session."""
    new = services.calendar_feed_reset(viewer=request.viewer)
    return _calendar_page(request, feed=new.feed, new=new)


@require_safe
@never_cache
def feed(request, person_id, token):
    """The calendar itself. Calendar apps do not sign in: the secret address is the key."""
    _feed, person = queries.feed_by_address(
        person_id=person_id, token=token, signed_in=getattr(request, "viewer", None)
    )
    with trust_scope(person.trust):
        data = queries.feed_data(person)

        def absolute_url(name, *args):
            return request.build_absolute_uri(reverse(name, args=args))

        body = build_calendar(data, absolute_url=absolute_url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="coachloop.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


urlpatterns = [
    path("<slug:school_slug>/protected-time/", slots, name="time_slots"),
    path("<slug:school_slug>/protected-time/new/", slot_new, name="time_slot_new"),
    path(
        "<slug:school_slug>/protected-time/<int:slot_id>/end/",
        slot_end,
        name="time_slot_end",
    ),
    path("<slug:school_slug>/twilights/", sessions, name="time_sessions"),
    path("<slug:school_slug>/twilights/new/", session_new, name="time_session_new"),
    path(
        "<slug:school_slug>/twilights/<int:session_id>/",
        session_detail,
        name="time_session",
    ),
    path("my-time/", mine, name="time_mine"),
    path("calendar/", calendar, name="time_calendar"),
    path("calendar/new-address/", calendar_reset, name="time_calendar_reset"),
    path("calendar/<int:person_id>/<str:token>.ics", feed, name="time_feed"),
]
