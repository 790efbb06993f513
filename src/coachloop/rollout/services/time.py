"""Writes about time: protected coaching slots, CPD sessions and their attendance, and
calendar feeds. One transaction and one audit event each; bad input is a ValidationError
and nothing is saved.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.frameworks.models import Strand
from coachloop.people.models import Membership
from coachloop.people.rules import check_runs_school
from coachloop.rollout.models import (
    CalendarFeed,
    CpdInvitation,
    CpdSession,
    ProtectedSlot,
    feed_token_hash,
    new_feed_token,
)
from coachloop.rollout.services.checks import coach_problem

WEEKDAYS = {choice.value for choice in ProtectedSlot.Weekday}


YEARS_AHEAD = 5


# -- protected slots ---------------------------------------------------------------------------


def _far_ahead_message():
    return _("Choose a date within the next %(years)s years.") % {"years": YEARS_AHEAD}


def _too_far_ahead(day):
    """Dates more than a few years off are typing mistakes (and no calendar can repeat a
    weekly slot from the year 9999)."""
    return day is not None and day > timezone.localdate() + dt.timedelta(days=365 * YEARS_AHEAD)


@transaction.atomic
def protected_slot_add(
    *, viewer, school, coach, weekday, starts_at, ends_at, starts_on, ends_on=None, label=""
):
    """Keep a weekly slot in a coach's timetable for coaching, from ``starts_on``."""
    check_runs_school(viewer, school)
    problems = {}
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if _too_far_ahead(day):
            problems[name] = _far_ahead_message()
    if weekday not in WEEKDAYS:
        problems["weekday"] = _("Choose a day from Monday to Friday.")
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        problems["ends_at"] = _("The slot must end after it starts.")
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = _("The last date cannot be before the first date.")
    if coach is not None and (problem := coach_problem(coach, school)):
        problems["coach"] = problem
    if problems:
        raise ValidationError(problems)
    slot = ProtectedSlot.objects.create(
        trust_id=school.trust_id,
        school=school,
        coach=coach,
        weekday=weekday,
        starts_at=starts_at,
        ends_at=ends_at,
        starts_on=starts_on,
        ends_on=ends_on,
        label=label.strip(),
    )
    audit_record(
        actor=viewer.user,
        verb="protected_slot.added",
        target=slot,
        summary=f"{slot.get_weekday_display()} {starts_at:%H:%M}-{ends_at:%H:%M}",
    )
    return slot


@transaction.atomic
def protected_slot_end(*, viewer, slot, ends_on):
    """Set the slot's last date. The slot is kept, so the record of the time stays."""
    check_runs_school(viewer, slot.school_id)
    stored = ProtectedSlot.objects.select_for_update().get(pk=slot.pk)
    if stored.ends_on is not None and stored.ends_on < timezone.localdate():
        raise ValidationError(
            _("This slot already ended on %(date)s.")
            % {"date": date_format(stored.ends_on, "j F Y")}
        )
    if _too_far_ahead(ends_on):
        raise ValidationError({"ends_on": _far_ahead_message()})
    if ends_on < stored.starts_on:
        raise ValidationError(
            {
                "ends_on": _("The slot starts on %(date)s: end it on that day or later.")
                % {"date": date_format(stored.starts_on, "j F Y")}
            }
        )
    stored.ends_on = ends_on
    stored.save(update_fields=["ends_on"])
    audit_record(
        actor=viewer.user,
        verb="protected_slot.ended",
        target=stored,
        summary=f"until {ends_on:%Y-%m-%d}",
    )
    return stored


# -- CPD sessions ------------------------------------------------------------------------------


@transaction.atomic
def cpd_session_add(
    *, viewer, school, title, starts_at, ends_at, invitees, strand=None, location=""
):
    """A session led by the viewer, with the staff it is for invited."""
    check_runs_school(viewer, school)
    problems = {}
    title = (title or "").strip()
    if not title:
        problems["title"] = _("Enter a title for the session.")
    if starts_at is None or ends_at is None:
        problems["starts_at"] = _("Enter when the session starts and ends.")
    elif ends_at <= starts_at:
        problems["ends_at"] = _("The session must end after it starts.")
    elif _too_far_ahead(timezone.localtime(starts_at).date()):
        problems["starts_at"] = _far_ahead_message()
    if (
        strand is not None
        and not Strand.objects.filter(
            pk=strand.pk, trust_id=school.trust_id, version__is_current=True
        ).exists()
    ):
        problems["strand"] = _("Choose a strand of one of the trust's current frameworks.")
    invitee_ids = {person.pk for person in invitees}
    if not invitee_ids:
        problems["invitees"] = _("Choose at least one person to invite.")
    else:
        staff = set(
            Membership.objects.current(timezone.localdate())
            .filter(trust_id=school.trust_id, school=school, user__in=invitee_ids)
            .values_list("user_id", flat=True)
        )
        if invitee_ids - staff:
            problems["invitees"] = _("Invite only people who work at %(school)s.") % {
                "school": school
            }
    if problems:
        raise ValidationError(problems)
    session = CpdSession.objects.create(
        trust_id=school.trust_id,
        school=school,
        title=title,
        strand=strand,
        starts_at=starts_at,
        ends_at=ends_at,
        location=(location or "").strip(),
        led_by=viewer.user,
    )
    CpdInvitation.objects.bulk_create(
        CpdInvitation(trust_id=school.trust_id, session=session, person_id=pk, attended=None)
        for pk in sorted(invitee_ids)
    )
    audit_record(
        actor=viewer.user,
        verb="cpd_session.added",
        target=session,
        summary=f"{len(invitee_ids)} invited",
    )
    return session


@transaction.atomic
def cpd_attendance_record(*, viewer, session, attendance, now=None):
    """Record who came, once the session has started: ``attendance`` maps invitation ids to
    ``True`` (came) or ``False`` (did not). Invitations not mentioned are left as they are."""
    check_runs_school(viewer, session.school_id)
    now = now or timezone.now()
    stored = CpdSession.objects.select_for_update().get(pk=session.pk)
    if stored.starts_at > now:
        raise ValidationError(_("Attendance can be recorded once the session has started."))
    if not attendance:
        raise ValidationError(_("Say who came to the session."))
    if any(value not in (True, False) for value in attendance.values()):
        raise ValidationError(_("Say yes or no for each person."))
    known = set(
        CpdInvitation.objects.filter(session=stored, pk__in=attendance).values_list("pk", flat=True)
    )
    if known != set(attendance):
        raise ValidationError(_("Someone on this list was not invited to the session."))
    came = [pk for pk, value in attendance.items() if value]
    missed = [pk for pk, value in attendance.items() if not value]
    CpdInvitation.objects.filter(session=stored, pk__in=came).update(attended=True)
    CpdInvitation.objects.filter(session=stored, pk__in=missed).update(attended=False)
    audit_record(
        actor=viewer.user,
        verb="cpd_session.attendance_recorded",
        target=stored,
        summary=f"{len(came)} attended, {len(missed)} did not",
    )
    return stored


# -- calendar feeds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewAddress:
    """A calendar address just made. ``token`` is its secret, known only now: the feed keeps a
    hash of it, so it can be shown this once and never again."""

    feed: CalendarFeed
    token: str
    replaced: bool  # the person had an address before, which has stopped working


@transaction.atomic
def calendar_feed_reset(*, viewer):
    """Make the viewer's calendar address in their trust: their first, or a new one in place
    of the old, which stops working at once."""
    token = new_feed_token()
    feed, created = CalendarFeed.objects.get_or_create(
        trust=viewer.trust, person=viewer.user, defaults={"token_hash": feed_token_hash(token)}
    )
    if not created:
        feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
        feed.token_hash = feed_token_hash(token)
        feed.created_at = timezone.now()
        feed.save(update_fields=["token_hash", "created_at"])
    verb = "calendar_feed.created" if created else "calendar_feed.reset"
    audit_record(actor=viewer.user, verb=verb, target=feed)
    return NewAddress(feed=feed, token=token, replaced=not created)
