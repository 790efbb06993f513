"""Who is told what: due reminders and weekly digests, read for a whole trust at once.

These run outside any request, inside one trust's scope (the tasks in ``rollout.tasks`` open
it). Each function reads a fixed number of queries, whatever the size of the trust. Every row
is built from named columns (names, dates, step titles, counts), so coaching notes never leave
the database for an email. Whether someone is due follows their school's coaching model
(``coaching.rhythm.cadences``) and ``coaching.rhythm``, as the coach's and lead's pages do.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coachloop.coaching.models import ActionStep, DropIn, Relationship
from coachloop.coaching.rhythm import cadences, rhythm_for
from coachloop.people.models import Membership, Role
from coachloop.rollout import unsubscribe
from coachloop.rollout.models import EmailPreference, ReminderSent

DUE = "due"
OVERDUE = "overdue"
REMINDER_KINDS = (DUE, OVERDUE)
LEAD_NAMES_SHOWN = 10  # overdue teachers named in a lead's digest; the rest are counted


def site_url(name, *args):
    """An absolute link for an email, from ``COACHLOOP_SITE_URL``."""
    return settings.COACHLOOP_SITE_URL + reverse(name, args=args)


@dataclass(frozen=True)
class Recipient:
    pk: int
    name: str
    email: str

    @property
    def short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


@dataclass(frozen=True)
class TeacherRhythm:
    """One coached teacher as a reminder or digest shows them: no content."""

    relationship_id: int
    school_id: int
    coach: Recipient
    coach_holds_role: bool
    teacher_id: int
    teacher_name: str
    due_on: dt.date
    rhythm: object

    @property
    def status(self):
        return self.rhythm.status

    @property
    def link(self):
        return site_url("coaching:coachee", self.relationship_id)


def _rhythms(trust, today) -> list[TeacherRhythm]:
    """Every current coaching relationship in the trust with its rhythm today (four queries).

    ``coach_holds_role`` says whether the coach still has a current coach role at the school:
    only they are emailed about their teachers; a lead's figures count every relationship.
    """
    coach_role = Membership.objects.current(today).filter(
        user=OuterRef("coach"), school=OuterRef("school"), role=Role.COACH
    )
    rows = list(
        Relationship.objects.filter(trust=trust, finished_on__isnull=True, started_on__lte=today)
        # The rows carry their own rhythm, so ``cadences`` need not read it again.
        .only("pk", "school", "teacher", "coach", "started_on", "cadence_days")
        .annotate(
            last_visit=Max(
                "dropins__visited_on",
                filter=Q(dropins__is_draft=False, dropins__visited_on__lte=today),
            ),
            coach_holds_role=Exists(coach_role),
            teacher_name=F("teacher__full_name"),
            coach_name=F("coach__full_name"),
            coach_email=F("coach__email"),
            coach_is_active=F("coach__is_active"),
        )
        .order_by("teacher__full_name", "pk")
    )
    cadence = cadences(trust, rows, on=today)
    result = []
    for row in rows:
        days = cadence[row.pk]
        anchor = row.last_visit or row.started_on
        result.append(
            TeacherRhythm(
                relationship_id=row.pk,
                school_id=row.school_id,
                coach=Recipient(row.coach_id, row.coach_name, row.coach_email),
                coach_holds_role=row.coach_holds_role and row.coach_is_active,
                teacher_id=row.teacher_id,
                teacher_name=row.teacher_name,
                due_on=anchor + dt.timedelta(days=days),
                rhythm=rhythm_for(
                    last_visit=row.last_visit,
                    started_on=row.started_on,
                    today=today,
                    cadence_days=days,
                ),
            )
        )
    return result


def _opted_out(trust, kind) -> set[int]:
    """People in the trust who turned ``kind`` off (one query)."""
    return set(
        EmailPreference.objects.filter(trust=trust, **{kind: False}).values_list(
            "person_id", flat=True
        )
    )


# ---------------------------------------------------------------------------------------------
# Due reminders
# ---------------------------------------------------------------------------------------------


@dataclass
class DueReminder:
    """One email to one coach: the teachers who have become due or overdue since last told."""

    coach: Recipient
    teachers: list[TeacherRhythm] = field(default_factory=list)


def due_reminders(trust, *, today) -> list[DueReminder]:
    """What each coach has not yet been told (six queries for the whole trust).

    A teacher is included once per due date and kind (due, then overdue), so a coach told
    yesterday is not told again today. Coaches who turned reminders off, or no longer hold a
    coach role at the school, are left out.
    """
    opted_out = _opted_out(trust, "due_reminders")
    candidates = [
        row
        for row in _rhythms(trust, today)
        if row.status in REMINDER_KINDS and row.coach_holds_role and row.coach.pk not in opted_out
    ]
    if not candidates:
        return []
    sent = set(
        ReminderSent.objects.filter(
            trust=trust,
            kind__in=REMINDER_KINDS,
            due_on__in={row.due_on for row in candidates},
        ).values_list("relationship_id", "kind", "due_on")
    )
    by_coach = {}
    for row in candidates:
        if (row.relationship_id, row.status, row.due_on) in sent:
            continue
        by_coach.setdefault(row.coach.pk, DueReminder(coach=row.coach)).teachers.append(row)
    for reminder in by_coach.values():
        # Overdue first, then the longest unseen.
        reminder.teachers.sort(key=lambda row: (row.status != OVERDUE, row.due_on))
    return sorted(by_coach.values(), key=lambda r: (r.coach.name, r.coach.pk))


def due_reminder_message(reminder: DueReminder, *, trust) -> EmailMessage:
    count = len(reminder.teachers)
    if count == 1:
        subject = _("%(name)s is due a drop-in") % {"name": reminder.teachers[0].teacher_name}
    else:
        subject = ngettext(
            "%(count)d teacher is due a drop-in",
            "%(count)d teachers are due a drop-in",
            count,
        ) % {"count": count}
    lines = []
    for row in reminder.teachers:
        if row.status == OVERDUE:
            when = _("overdue (due on %(date)s)") % {"date": _day(row.due_on)}
        else:
            when = _("due by %(date)s") % {"date": _day(row.due_on)}
        lines.append({"row": row, "when": when, "since": _since(row.rhythm)})
    body = render_to_string(
        "rollout/email/due_reminder.txt",
        {
            "recipient": reminder.coach,
            "lines": lines,
            "coach_home": site_url("coaching:coach_home"),
            "preferences": site_url("rollout:emails"),
        },
    )
    return _message(subject, body, reminder.coach, trust=trust, preference="due_reminders")


# ---------------------------------------------------------------------------------------------
# Weekly digests
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    """The seven days before the digest is sent: Monday to Sunday when it goes on a Monday."""

    first: dt.date
    last: dt.date

    @classmethod
    def before(cls, today):
        return cls(first=today - dt.timedelta(days=7), last=today - dt.timedelta(days=1))

    @property
    def label(self):
        return _("%(first)s to %(last)s") % {"first": _day(self.first), "last": _day(self.last)}

    @property
    def short_label(self):
        return _("the week of %(date)s") % {"date": date_format(self.first, "j F")}


@dataclass
class CoachDigest:
    coach: Recipient
    teachers: list[TeacherRhythm] = field(default_factory=list)
    dropins: int = 0
    embedded: list[dict] = field(default_factory=list)  # teacher name and step title

    @property
    def needing_visit(self):
        return [row for row in self.teachers if row.status in REMINDER_KINDS]


@dataclass
class SchoolWeekFigures:
    """A school's coaching last week, for its coaching lead: activity, never notes."""

    school_id: int
    name: str
    slug: str
    coached: int = 0
    dropins: int = 0
    teachers_seen: int = 0
    steps_set: int = 0
    steps_embedded: int = 0
    overdue: list[TeacherRhythm] = field(default_factory=list)

    @property
    def overdue_named(self):
        return self.overdue[:LEAD_NAMES_SHOWN]

    @property
    def overdue_unnamed(self):
        return max(0, len(self.overdue) - LEAD_NAMES_SHOWN)

    @property
    def link(self):
        return site_url("coaching:lead_home", self.slug)


@dataclass
class LeadDigest:
    lead: Recipient
    schools: list[SchoolWeekFigures] = field(default_factory=list)


@dataclass
class Digests:
    week: Week
    coaches: list[CoachDigest]
    leads: list[LeadDigest]


def weekly_digests(trust, *, today) -> Digests:
    """Each coach's and each coaching lead's digest of last week (nine queries for the trust).

    People who turned the digest off are left out. A coach gets one when they coach someone
    now; a lead gets one for each school they lead, even in a quiet week.
    """
    week = Week.before(today)
    opted_out = _opted_out(trust, "weekly_digest")
    rhythms = _rhythms(trust, today)
    dropins = list(
        DropIn.objects.filter(
            trust=trust, is_draft=False, visited_on__gte=week.first, visited_on__lte=week.last
        )
        .values("relationship__coach_id", "relationship__school_id", "relationship__teacher_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    steps_set = list(
        ActionStep.objects.filter(trust=trust, set_on__gte=week.first, set_on__lte=week.last)
        .values("relationship__school_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    embedded = list(
        ActionStep.objects.filter(
            trust=trust,
            outcome=ActionStep.Outcome.EMBEDDED,
            closed_on__gte=week.first,
            closed_on__lte=week.last,
        )
        .order_by("closed_on", "pk")
        .values(
            "relationship__coach_id",
            "relationship__school_id",
            "relationship__teacher__full_name",
            "title",
        )
    )
    return Digests(
        week=week,
        coaches=_coach_digests(rhythms, dropins, embedded, opted_out),
        leads=_lead_digests(trust, today, rhythms, dropins, steps_set, embedded, opted_out),
    )


def _coach_digests(rhythms, dropins, embedded, opted_out):
    digests = {}
    for row in rhythms:
        if row.coach_holds_role and row.coach.pk not in opted_out:
            digests.setdefault(row.coach.pk, CoachDigest(coach=row.coach)).teachers.append(row)
    for row in dropins:
        digest = digests.get(row["relationship__coach_id"])
        if digest:
            digest.dropins += row["count"]
    for row in embedded:
        digest = digests.get(row["relationship__coach_id"])
        if digest:
            digest.embedded.append(
                {"teacher_name": row["relationship__teacher__full_name"], "title": row["title"]}
            )
    for digest in digests.values():
        digest.teachers.sort(key=lambda row: (row.status != OVERDUE, row.status != DUE))
    return sorted(digests.values(), key=lambda d: (d.coach.name, d.coach.pk))


def _lead_digests(trust, today, rhythms, dropins, steps_set, embedded, opted_out):
    leads = list(
        Membership.objects.current(today)
        .filter(trust=trust, role=Role.COACHING_LEAD, school__isnull=False, user__is_active=True)
        .exclude(user__in=opted_out)
        .order_by("user__full_name", "user_id", "school__name")
        .values(
            "user_id", "user__full_name", "user__email", "school_id", "school__name", "school__slug"
        )
    )
    schools = {}
    for row in leads:
        schools.setdefault(
            row["school_id"],
            SchoolWeekFigures(
                school_id=row["school_id"], name=row["school__name"], slug=row["school__slug"]
            ),
        )
    coached = defaultdict(set)
    seen = defaultdict(set)
    for row in rhythms:
        figures = schools.get(row.school_id)
        if figures:
            coached[row.school_id].add(row.teacher_id)
            if row.status == OVERDUE:
                figures.overdue.append(row)
    for row in dropins:
        figures = schools.get(row["relationship__school_id"])
        if figures:
            figures.dropins += row["count"]
            seen[figures.school_id].add(row["relationship__teacher_id"])
    for figures in schools.values():
        # Seen of those coached now: a teacher whose coaching has since ended is not counted.
        figures.coached = len(coached[figures.school_id])
        figures.teachers_seen = len(seen[figures.school_id] & coached[figures.school_id])
        figures.overdue.sort(key=lambda row: row.due_on)
    for row in steps_set:
        figures = schools.get(row["relationship__school_id"])
        if figures:
            figures.steps_set += row["count"]
    for row in embedded:
        figures = schools.get(row["relationship__school_id"])
        if figures:
            figures.steps_embedded += 1
    digests = {}
    for row in leads:
        lead = Recipient(row["user_id"], row["user__full_name"], row["user__email"])
        digest = digests.setdefault(lead.pk, LeadDigest(lead=lead))
        if all(figures.school_id != row["school_id"] for figures in digest.schools):
            digest.schools.append(schools[row["school_id"]])
    return list(digests.values())


def coach_digest_message(digest: CoachDigest, week: Week, *, trust) -> EmailMessage:
    subject = _("Your coaching digest for %(week)s") % {"week": week.short_label}
    needing = [
        {
            "row": row,
            "when": _("overdue") if row.status == OVERDUE else _("due"),
            "since": _since(row.rhythm),
        }
        for row in digest.needing_visit
    ]
    body = render_to_string(
        "rollout/email/coach_digest.txt",
        {
            "recipient": digest.coach,
            "week": week,
            "digest": digest,
            "needing": needing,
            "coach_home": site_url("coaching:coach_home"),
            "preferences": site_url("rollout:emails"),
        },
    )
    return _message(subject, body, digest.coach, trust=trust, preference="weekly_digest")


def lead_digest_message(digest: LeadDigest, week: Week, *, trust) -> EmailMessage:
    if len(digest.schools) == 1:
        subject = _("Coaching at %(school)s: %(week)s") % {
            "school": digest.schools[0].name,
            "week": week.short_label,
        }
    else:
        subject = _("Coaching in your schools: %(week)s") % {"week": week.short_label}
    schools = [
        {
            "figures": figures,
            "overdue": [{"row": row, "since": _since(row.rhythm)} for row in figures.overdue_named],
        }
        for figures in digest.schools
    ]
    body = render_to_string(
        "rollout/email/lead_digest.txt",
        {
            "recipient": digest.lead,
            "week": week,
            "schools": schools,
            "preferences": site_url("rollout:emails"),
        },
    )
    return _message(subject, body, digest.lead, trust=trust, preference="weekly_digest")


# ---------------------------------------------------------------------------------------------


def _day(day):
    return date_format(day, "l j F")


def _since(rhythm):
    days = rhythm.days_since
    if days is None:
        return _("not visited yet")
    if days == 0:
        return _("last drop-in today")
    if days == 1:
        return _("last drop-in yesterday")
    return ngettext("last drop-in %(days)d day ago", "last drop-in %(days)d days ago", days) % {
        "days": days
    }


def _message(subject, body, recipient, *, trust, preference):
    """The email, with the headers that let a mail app stop this kind with one click."""
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    headers = unsubscribe.headers(trust_id=trust.pk, person_id=recipient.pk, preference=preference)
    return EmailMessage(subject=subject, body=body, to=[recipient.email], headers=headers)


def in_site_language():
    """Emails are written in the site's language: a task has no request to take one from."""
    return translation.override(settings.LANGUAGE_CODE)
