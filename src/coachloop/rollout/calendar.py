"""A person's calendar as iCalendar (RFC 5545), built with the ``icalendar`` library.

Given what ``rollout.queries.time.feed_data`` read, this only formats: drop-ins due and practice
planned together as all-day events, protected slots as weekly recurring events in the school's
local time, and CPD sessions at their times. Each event keeps the same UID from one fetch to
the next, so a calendar client updates it in place instead of adding a copy, and names the
site's host (from ``COACHLOOP_SITE_URL``), so two installations' events never share one (RFC 5545
asks a UID to be unique across the world, not one server). No coaching notes
or rehearsal plans are ever given to this module, so none can reach a calendar.
"""

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
)

PRODID = "-//Coachloop//Calendar feed//EN"
REFRESH = dt.timedelta(hours=1)
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LONDON = "Europe/London"


def _london():
    """Europe/London as calendar clients know it: BST from the last Sunday of March, GMT from
    the last Sunday of October (the compact form Outlook and Google publish themselves)."""
    zone = Timezone()
    zone.add("tzid", LONDON)
    zone.add("x-lic-location", LONDON)
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", dt.timedelta(hours=0))
    summer.add("tzoffsetto", dt.timedelta(hours=1))
    summer.add("dtstart", dt.datetime(1970, 3, 29, 1, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", dt.timedelta(hours=1))
    winter.add("tzoffsetto", dt.timedelta(hours=0))
    winter.add("dtstart", dt.datetime(1970, 10, 25, 2, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def uid_domain():
    """The site's host (with its port, if it has one), e.g. ``coaching.example.org``."""
    return urlsplit(settings.COACHLOOP_SITE_URL).netloc.rpartition("@")[2].lower() or "coachloop"


def _uid(kind, pk):
    return f"{kind}-{pk}@{uid_domain()}"


def _event(*, uid, summary, start, end, stamp, description="", location="", url="", busy=True):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    return event


def _all_day(day):
    return day, day + dt.timedelta(days=1)


def _first_on_or_after(day, weekday):
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _slot_event(slot, *, zone, stamp):
    """A weekly slot from its first occurrence; with a last date, RRULE UNTIL (in UTC, as the
    standard asks when the start has a time zone). ``None`` if it never occurs."""
    first = _first_on_or_after(slot.starts_on, slot.weekday)
    if slot.ends_on is not None and first > slot.ends_on:
        return None
    summary = _("Protected coaching time")
    if slot.label:
        summary = _("Protected coaching time: %(label)s") % {"label": slot.label}
    event = _event(
        uid=_uid("protected-slot", slot.pk),
        summary=summary,
        start=dt.datetime.combine(first, slot.starts_at, tzinfo=zone),
        end=dt.datetime.combine(first, slot.ends_at, tzinfo=zone),
        stamp=stamp,
        location=slot.school.name,
    )
    rule = {"freq": "weekly", "byday": BYDAY[slot.weekday]}
    if slot.ends_on is not None:
        last = dt.datetime.combine(slot.ends_on, slot.starts_at, tzinfo=zone)
        rule["until"] = last.astimezone(dt.UTC)
    event.add("rrule", rule)
    return event


def build_calendar(data, *, now=None, absolute_url=None) -> bytes:
    """The calendar for one person's ``FeedData``, as iCalendar bytes (UTF-8).

    ``absolute_url(name, *args)`` gives an event's link to the page that acts on it.
    """
    now = now or timezone.now()
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    zone_name = timezone.get_default_timezone_name()
    zone = ZoneInfo(zone_name)
    link = absolute_url or (lambda *args: "")

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = _("Coachloop: %(name)s") % {"name": data.name}
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-caldesc", _("Coaching and CPD from %(trust)s") % {"trust": data.trust_name})
    calendar.add("x-wr-timezone", zone_name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH).to_ical().decode())

    for due in data.dropins_due:
        template = _("Drop-in overdue: %(name)s") if due.overdue else _("Drop-in due: %(name)s")
        start, end = _all_day(due.due_on)
        calendar.add_component(
            _event(
                uid=_uid("dropin-due", due.relationship_id),
                summary=template % {"name": due.teacher_name},
                start=start,
                end=end,
                stamp=stamp,
                description=_("A drop-in is due under %(school)s's coaching rhythm.")
                % {"school": due.school_name},
                url=link("coaching:dropin_new", due.relationship_id),
                busy=False,
            )
        )
    for meeting in data.meetings:
        start, end = _all_day(meeting.planned_for)
        url = (
            link("coaching:coachee", meeting.relationship_id)
            if meeting.as_coach
            else link("coaching:teacher_home")
        )
        calendar.add_component(
            _event(
                uid=_uid("rehearsal", meeting.rehearsal_id),
                summary=_("Practice with %(name)s") % {"name": meeting.with_name},
                start=start,
                end=end,
                stamp=stamp,
                description=_("Rehearsing the current action step together."),
                url=url,
                busy=False,
            )
        )
    for slot in data.slots:
        event = _slot_event(slot, zone=zone, stamp=stamp)
        if event is not None:
            calendar.add_component(event)
    for session in data.sessions:
        place = ", ".join(part for part in (session.location, session.school_name) if part)
        notes = []
        if session.strand_title:
            notes.append(_("Framework strand: %(strand)s") % {"strand": session.strand_title})
        if session.leads:
            notes.append(_("You are leading this session."))
        calendar.add_component(
            _event(
                uid=_uid("cpd-session", session.session_id),
                summary=session.title,
                start=session.starts_at.astimezone(zone),
                end=session.ends_at.astimezone(zone),
                stamp=stamp,
                description="\n".join(notes),
                location=place,
                url=link("rollout:time_mine"),
            )
        )

    if data.slots or data.sessions:
        _add_time_zone(calendar, zone_name)
    return calendar.to_ical()


def _add_time_zone(calendar, zone_name):
    """Describe the time zone the timed events use, ahead of the events (as clients expect)."""
    if zone_name == LONDON:
        calendar.subcomponents.insert(0, _london())
        return
    calendar.add_missing_timezones()
    calendar.subcomponents.sort(key=lambda component: component.name != "VTIMEZONE")
