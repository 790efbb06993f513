"""Demo rows for time: protected coaching slots and twilight sessions with attendance, for
the demo trust that ``demo.build.build_demo`` builds.

Everything follows from ``rng``, so the same seed and ``today`` give the same slots and
sessions. The demo makes no calendar addresses: an address is shown only once, when its
person makes it, so one made here could never be used and the page would claim its person
had made it. Each demo person makes theirs on "Your calendar", as anyone does.
"""

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from coachloop.demo.calendar import school_days_after, school_days_until
from coachloop.frameworks.models import Strand
from coachloop.people.models import Membership, Role, School
from coachloop.rollout.models import CpdInvitation, CpdSession, ProtectedSlot

BATCH_SIZE = 500

# Lesson periods a coach might keep free: (starts, ends).
PERIODS = (
    (dt.time(8, 50), dt.time(9, 50)),
    (dt.time(10, 10), dt.time(11, 10)),
    (dt.time(11, 30), dt.time(12, 30)),
    (dt.time(13, 30), dt.time(14, 30)),
    (dt.time(14, 30), dt.time(15, 20)),
)
SLOT_LABELS = (
    "Drop-ins",
    "Feedback conversations",
    "Drop-ins and feedback",
    "Rehearsal with coachees",
    "",
)
LOCATIONS = ("Library", "Main hall", "Staff room", "Room 12", "Learning resource centre")
TWILIGHT_TIMES = ((dt.time(15, 45), dt.time(17, 0)), (dt.time(15, 30), dt.time(16, 30)))
TWILIGHT_TITLES = (
    "Deliberate practice: {strand}",
    "Rehearsing together: {strand}",
    "Twilight: {strand}",
)
COACH_TITLE = "Coaching skills: giving one clear action step"
ATTENDED = 0.85  # most invited staff come


def _first_on_or_after(day, weekday):
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def demo_time(trust, today, rng):
    """Add each coach one or two protected slots, each school two or three twilights (the
    past ones with attendance recorded, one still to come). Runs inside the trust's scope."""
    schools = list(School.objects.filter(trust=trust).order_by("pk"))
    roles = list(
        Membership.objects.current(today)
        .filter(trust=trust)
        .order_by("school_id", "user__full_name", "user_id", "role")
        .values_list("user_id", "school_id", "role")
    )
    coaches, leads, staff, coaches_by_school = {}, {}, defaultdict(list), defaultdict(list)
    for user_id, school_id, role in roles:
        if school_id is None:
            continue
        if user_id not in staff[school_id]:
            staff[school_id].append(user_id)
        if role == Role.COACH:
            coaches[(user_id, school_id)] = True
            coaches_by_school[school_id].append(user_id)
        elif role == Role.COACHING_LEAD:
            leads.setdefault(school_id, user_id)
    strands = list(
        Strand.objects.filter(trust=trust, version__is_current=True).order_by(
            "version__framework__name", "position", "pk"
        )
    )

    term_start = school_days_until(today - dt.timedelta(weeks=8), 1)[0]
    slots = []
    for coach_id, school_id in coaches:
        days = rng.sample(range(5), rng.choice((1, 1, 2)))
        for n, weekday in enumerate(sorted(days)):
            starts, ends = rng.choice(PERIODS)
            starts_on = _first_on_or_after(term_start, weekday)
            ends_on = None
            if n == 1 and rng.random() < 0.3:
                # A second slot that was kept for half a term and then given up.
                ends_on = starts_on + dt.timedelta(weeks=rng.randint(3, 6))
            slots.append(
                ProtectedSlot(
                    trust=trust,
                    school_id=school_id,
                    coach_id=coach_id,
                    weekday=weekday,
                    starts_at=starts,
                    ends_at=ends,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    label=rng.choice(SLOT_LABELS),
                )
            )
    ProtectedSlot.objects.bulk_create(slots, batch_size=BATCH_SIZE)

    sessions, invitations = [], []
    for school in schools:
        lead = leads.get(school.pk)
        if lead is None or not staff[school.pk]:
            continue
        dates = [
            school_days_until(today - dt.timedelta(weeks=weeks), 1)[0]
            for weeks in sorted(rng.sample((2, 3, 5, 7), rng.choice((1, 2))), reverse=True)
        ]
        # The first school day on or after a day a week or two ahead.
        upcoming = school_days_after(today + dt.timedelta(days=rng.randint(4, 14)), 1)[0]
        dates.append(upcoming)
        for index, day in enumerate(dates):
            starts, ends = rng.choice(TWILIGHT_TIMES)
            strand = rng.choice(strands) if strands else None
            for_coaches = index == 0 and len(dates) == 3 and coaches_by_school[school.pk]
            if for_coaches:
                title, invited = COACH_TITLE, coaches_by_school[school.pk]
                strand = None
            else:
                title = rng.choice(TWILIGHT_TITLES).format(
                    strand=strand.title if strand else "behaviour routines"
                )
                invited = [pk for pk in staff[school.pk] if pk != lead]
            session = CpdSession(
                trust=trust,
                school=school,
                title=title[:200],
                strand=strand,
                starts_at=timezone.make_aware(dt.datetime.combine(day, starts)),
                ends_at=timezone.make_aware(dt.datetime.combine(day, ends)),
                location=rng.choice(LOCATIONS),
                led_by_id=lead,
            )
            sessions.append(session)
            past = day < today
            for person_id in invited:
                invitations.append(
                    CpdInvitation(
                        trust=trust,
                        session=session,
                        person_id=person_id,
                        attended=(rng.random() < ATTENDED) if past else None,
                    )
                )
    CpdSession.objects.bulk_create(sessions, batch_size=BATCH_SIZE)
    CpdInvitation.objects.bulk_create(invitations, batch_size=BATCH_SIZE)
    return {"slots": len(slots), "sessions": len(sessions), "invitations": len(invitations)}
