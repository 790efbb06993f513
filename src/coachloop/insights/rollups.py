"""Filling the rollup tables for a range of weeks, incrementally.

``rollups_update`` picks up where the trust's ``RollupState`` left off. Each run computes the
current week again (it is still going) and the ``REFILL_WEEKS`` before the last one written,
since a drop-in can be recorded a few days after the visit; from empty, it fills every week
since the trust's first coaching began.

However many weeks a run covers, it reads the trust's rows with the same few queries
(``_Rows``): drop-ins and steps set counted per school and week in the database, and the
memberships, trainings, relationships, embedded steps and visit dates of the range read once.
Each week's figures are then worked out in Python from those rows, and written with one
``DELETE`` and one ``COPY`` (or ``executemany``) per table.

Every figure is stored as it stood at the end of the week (or today, for the current week).
"""

import datetime as dt
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Min, Q
from django.db.models.functions import Cast, TruncWeek
from django.utils import timezone

from coachloop.coaching.models import ActionStep, DropIn, Relationship
from coachloop.coaching.services.relationships import MAX_CADENCE_DAYS
from coachloop.common.tenancy import trust_scope
from coachloop.insights.models import (
    RollupState,
    SchoolCaseload,
    SchoolWeek,
    SchoolWeekEmbedTime,
    SchoolWeekStep,
)
from coachloop.people.models import Membership, Role, StaffGroup
from coachloop.policy.models import Cadence
from coachloop.policy.queries import school_models
from coachloop.rollout.models import CoachTraining

REFILL_WEEKS = 2
ON_RHYTHM = 0.8
PART_RHYTHM = 0.5
WEEK = dt.timedelta(days=7)
# A mentoring relationship may keep a longer rhythm of its own than any school's model.
LONGEST_CADENCE = dt.timedelta(days=max(*Cadence.values, MAX_CADENCE_DAYS))
TABLES = (SchoolWeek, SchoolWeekStep, SchoolWeekEmbedTime, SchoolCaseload)
WEEK_FIGURES = (
    "teachers",
    "coached_teachers",
    "coaches",
    "trained_coaches",
    "visits_due",
    "visits_kept",
    "dropins",
    "steps_set",
    "steps_proposed_by_teacher",
    "steps_embedded",
    "embedders_to_date",
    "coaches_on_rhythm",
    "coaches_part_rhythm",
    "coaches_off_rhythm",
)
COLUMNS = {
    SchoolWeek: ("trust", "school", "week", *WEEK_FIGURES),
    SchoolWeekStep: ("trust", "school", "week", "step", "set_count", "embedded_count"),
    SchoolWeekEmbedTime: ("trust", "school", "week", "days", "count"),
    SchoolCaseload: ("trust", "school", "week", "teachers", "coaches", "over_limit"),
}


def week_of(day: dt.date) -> dt.date:
    """The Monday that starts ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def year_start_of(day: dt.date) -> dt.date:
    """The Monday of the week the school year began (1 September)."""
    year = day.year if day.month >= 9 else day.year - 1
    return week_of(dt.date(year, 9, 1))


def rollups_update(*, trust, today=None) -> int:
    """Bring one trust's rollups up to date. Returns the number of weeks written."""
    today = today or timezone.localdate()
    with trust_scope(trust), transaction.atomic():
        state, _created = RollupState.objects.select_for_update().get_or_create(trust=trust)
        start = _first_week(trust, state, today)
        if start is None:
            return 0
        written = fill_weeks(trust, start=start, today=today)
        state.last_week = week_of(today)
        state.save(update_fields=["last_week", "updated_at"])
    return written


def _first_week(trust, state, today):
    if state.last_week:
        return min(state.last_week, week_of(today)) - dt.timedelta(weeks=REFILL_WEEKS)
    first = (
        Relationship.objects.filter(trust=trust, school__isnull=False)
        .aggregate(first=Min("started_on"))
        .get("first")
    )
    return week_of(min(first, today)) if first else None


def fill_weeks(trust, *, start, today) -> int:
    """Write every week from the one starting ``start`` to today's, replacing what was there.
    A fixed number of queries, whatever the number of weeks. Returns the weeks written."""
    weeks = []
    week = start
    while week <= week_of(today):
        weeks.append((week, min(week + dt.timedelta(days=6), today)))
        week += WEEK
    rows = _Rows.read(trust, start=start, first_end=weeks[0][1], today=today)
    embedders = rows.embedders(weeks)
    embedded = defaultdict(list)
    for row in rows.embedded:
        embedded[week_of(row[4])].append(row)
    written = {model: [] for model in TABLES}
    for week, week_end in weeks:
        figures = _Week(rows, week_end, embedded[week], embedders[week])
        for model, rows_of_week in figures.rows_for(trust.pk, week).items():
            written[model].extend(rows_of_week)
    for model in TABLES:
        model.objects.filter(trust=trust, week__gte=start, week__lte=weeks[-1][0]).delete()
    for model in TABLES:
        _insert(model, written[model])
    return len(weeks)


def _insert(model, rows):
    """Write rows given as tuples in ``COLUMNS`` order: one COPY on PostgreSQL, one
    ``executemany`` elsewhere. Building a model instance per row, as ``bulk_create`` does,
    costs more than working out the figures. Every row names its trust."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in COLUMNS[model])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            values = ", ".join(["%s"] * len(COLUMNS[model]))
            adapt = connection.ops.adapt_datefield_value
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({values})",  # noqa: S608  # nosec B608
                [[adapt(v) if isinstance(v, dt.date) else v for v in row] for row in rows],
            )


def _week_of(day_field):
    """The Monday of a date column's week, as a date (a timestamp on PostgreSQL otherwise)."""
    return Cast(TruncWeek(day_field), output_field=DateField())


def _current(started_on, finished_on, day):
    return started_on <= day and (finished_on is None or finished_on >= day)


@dataclass
class _Rows:
    """What a range of weeks needs from the trust's tables, read once."""

    memberships: (
        list  # (user, school, role, staff group, started on, finished on), teachers, coaches
    )
    first_trained: dict  # coach -> the day they first completed a course
    relationships: list  # (pk, school, teacher, coach, started on, finished on, cadence days)
    dropins: dict  # week -> school -> drop-ins recorded
    steps_set: dict  # week -> school -> framework step -> (set, proposed by the teacher)
    embedded: list  # (school, teacher, framework step, set on, closed on), since the year began
    visits: dict  # relationship -> the days it had a drop-in, in order
    models: dict  # school -> its effective coaching model
    cadences: dict = field(default_factory=dict)  # (school, staff group) -> days, as used

    @classmethod
    def read(cls, trust, *, start, first_end, today):
        in_range = Q(finished_on__isnull=True) | Q(finished_on__gte=start)
        memberships = list(
            Membership.objects.filter(
                in_range,
                trust=trust,
                school__isnull=False,
                role__in=[Role.TEACHER, Role.COACH],
                started_on__lte=today,
            )
            .order_by("pk")
            .values_list("user_id", "school_id", "role", "staff_group", "started_on", "finished_on")
        )
        first_trained = dict(
            CoachTraining.objects.filter(trust=trust, completed_on__lte=today)
            .order_by()
            .values("coach_id")
            .annotate(first=Min("completed_on"))
            .values_list("coach_id", "first")
        )
        # Coaching imported from another trust has no school here: no school's figure counts it.
        relationships = list(
            Relationship.objects.filter(
                in_range, trust=trust, school__isnull=False, started_on__lte=today
            )
            .order_by("pk")
            .values_list(
                "pk",
                "school_id",
                "teacher_id",
                "coach_id",
                "started_on",
                "finished_on",
                "cadence_days",
            )
        )
        dropins = defaultdict(dict)
        for week, school, n in (
            DropIn.objects.filter(
                trust=trust,
                relationship__trust=trust,
                relationship__school__isnull=False,
                is_draft=False,
                visited_on__gte=start,
                visited_on__lte=today,
            )
            .annotate(week=_week_of("visited_on"))
            .order_by()
            .values("week", "relationship__school_id")
            .annotate(n=Count("pk"))
            .values_list("week", "relationship__school_id", "n")
        ):
            dropins[week][school] = n
        steps_set = defaultdict(lambda: defaultdict(dict))
        by_teacher = Q(proposed_by=F("relationship__teacher"))
        for week, school, step, n, proposed in (
            ActionStep.objects.filter(
                trust=trust,
                relationship__trust=trust,
                relationship__school__isnull=False,
                set_on__gte=start,
                set_on__lte=today,
            )
            .annotate(week=_week_of("set_on"))
            .order_by()
            .values("week", "relationship__school_id", "framework_step_id")
            .annotate(n=Count("pk"), proposed=Count("pk", filter=by_teacher))
            .values_list("week", "relationship__school_id", "framework_step_id", "n", "proposed")
        ):
            steps_set[week][school][step] = (n, proposed)
        embedded = list(
            ActionStep.objects.filter(
                trust=trust,
                relationship__trust=trust,
                relationship__school__isnull=False,
                outcome=ActionStep.Outcome.EMBEDDED,
                closed_on__gte=year_start_of(first_end),
                closed_on__lte=today,
            )
            .order_by("closed_on", "pk")
            .values_list(
                "relationship__school_id",
                "relationship__teacher_id",
                "framework_step_id",
                "set_on",
                "closed_on",
            )
        )
        visits = defaultdict(list)
        for relationship, day in (
            DropIn.objects.filter(
                trust=trust,
                is_draft=False,
                visited_on__gt=first_end - LONGEST_CADENCE,
                visited_on__lte=today,
            )
            .order_by("relationship_id", "visited_on")
            .values_list("relationship_id", "visited_on")
            .distinct()
        ):
            visits[relationship].append(day)
        models = school_models(trust, {row[1] for row in relationships})
        return cls(
            memberships=memberships,
            first_trained=first_trained,
            relationships=relationships,
            dropins=dropins,
            steps_set=steps_set,
            embedded=embedded,
            visits=visits,
            models=models,
        )

    def cadence(self, school, staff_group):
        """The school's model's days between drop-ins for a group of staff (teachers' when the
        group is not known)."""
        key = (school, staff_group or StaffGroup.TEACHER)
        if key not in self.cadences:
            self.cadences[key] = dt.timedelta(days=self.models[school].cadence_days(key[1]))
        return self.cadences[key]

    def embedders(self, weeks):
        """Per week, per school: different teachers with a step embedded since the school year
        began, to the week's end. One pass over the embedded steps, in the order closed."""
        closed = [row[4] for row in self.embedded]
        found, year, at, teachers = {}, None, 0, defaultdict(set)
        for week, week_end in weeks:
            if year_start_of(week_end) != year:
                year = year_start_of(week_end)
                at, teachers = bisect_right(closed, year - dt.timedelta(days=1)), defaultdict(set)
            while at < len(closed) and closed[at] <= week_end:
                school, teacher = self.embedded[at][:2]
                teachers[school].add(teacher)
                at += 1
            found[week] = {school: len(people) for school, people in teachers.items()}
        return found


class _Week:
    """One week's figures, from the rows read for the whole range."""

    def __init__(self, rows, week_end, embedded, embedders):
        self.rows, self.week_end, self.embedders = rows, week_end, embedders
        self.teachers, self.coaches, self.trained = (
            defaultdict(set),
            defaultdict(set),
            defaultdict(set),
        )
        self.groups = {}
        for user, school, role, group, started_on, finished_on in rows.memberships:
            if not _current(started_on, finished_on, week_end):
                continue
            if role == Role.TEACHER:
                self.teachers[school].add(user)
                self.groups[(user, school)] = group
            else:
                self.coaches[school].add(user)
                trained_on = rows.first_trained.get(user)
                if trained_on is not None and trained_on <= week_end:
                    self.trained[school].add(user)
        self.active = [r for r in rows.relationships if _current(r[4], r[5], week_end)]
        # Coached teachers are counted among the school's teachers, so the share never
        # passes 100%.
        self.coached = defaultdict(set)
        for _pk, school, teacher, *_rest in self.active:
            if teacher in self.teachers.get(school, ()):
                self.coached[school].add(teacher)
        self.embedded, self.days = defaultdict(Counter), defaultdict(Counter)
        for school, _teacher, step, set_on, closed_on in embedded:
            if closed_on <= week_end:
                self.embedded[school][step] += 1
                self.days[school][(closed_on - set_on).days] += 1

    def rows_for(self, trust, week):
        """The rows of each rollup table for the week, as tuples in ``COLUMNS`` order."""
        dropins = self.rows.dropins.get(week, {})
        steps_set = self.rows.steps_set.get(week, {})
        rhythm = self.rhythm()
        schools = (
            set(self.teachers)
            | set(self.coaches)
            | set(self.coached)
            | set(dropins)
            | set(steps_set)
        )
        weekly = []
        for school in sorted(schools):
            steps = steps_set.get(school, {}).values()
            figures = {
                "teachers": len(self.teachers.get(school, ())),
                "coached_teachers": len(self.coached.get(school, ())),
                "coaches": len(self.coaches.get(school, ())),
                "trained_coaches": len(self.trained.get(school, ())),
                "dropins": dropins.get(school, 0),
                "steps_set": sum(n for n, _proposed in steps),
                "steps_proposed_by_teacher": sum(proposed for _n, proposed in steps),
                "steps_embedded": sum(self.embedded.get(school, {}).values()),
                "embedders_to_date": self.embedders.get(school, 0),
                **rhythm.get(school, {}),
            }
            weekly.append((trust, school, week, *(figures.get(name, 0) for name in WEEK_FIGURES)))
        return {
            SchoolWeek: weekly,
            SchoolWeekStep: [
                (
                    trust,
                    school,
                    week,
                    step,
                    steps_set.get(school, {}).get(step, (0, 0))[0],
                    self.embedded.get(school, {}).get(step, 0),
                )
                for school in sorted(set(steps_set) | set(self.embedded))
                # Steps in a coach's own words (no framework step) are counted in
                # ``SchoolWeek`` only.
                for step in sorted(
                    (set(steps_set.get(school, {})) | set(self.embedded.get(school, {}))) - {None}
                )
            ],
            SchoolWeekEmbedTime: [
                (trust, school, week, days, n)
                for school, counter in sorted(self.days.items())
                for days, n in sorted(counter.items())
            ],
            SchoolCaseload: [
                (trust, school, week, size, n, size > limit)
                for school, (limit, counter) in sorted(self.caseloads().items())
                for size, n in sorted(counter.items())
            ],
        }

    def rhythm(self):
        """Per school: teachers due a drop-in by the end of the week (coached for at least one
        cadence), how many were seen within it, and coaches by the share they kept."""
        week_end = self.week_end
        per_school = defaultdict(lambda: {"visits_due": 0, "visits_kept": 0})
        per_coach = defaultdict(lambda: [0, 0])
        for pk, school, teacher, coach, started_on, _finished_on, own in self.active:
            # A relationship's own rhythm (a mentoring one's), else the school's model for the
            # teacher's group of staff, as ``coaching.rhythm.cadences`` has it.
            days = (
                dt.timedelta(days=own)
                if own
                else self.rows.cadence(school, self.groups.get((teacher, school)))
            )
            if started_on > week_end - days:
                continue  # not yet a full cycle into coaching: nothing was due
            visits = self.rows.visits.get(pk, ())
            seen = bisect_right(visits, week_end)
            last = visits[seen - 1] if seen else None
            kept = last is not None and last > week_end - min(days, LONGEST_CADENCE)
            per_school[school]["visits_due"] += 1
            per_school[school]["visits_kept"] += int(kept)
            tally = per_coach[(school, coach)]
            tally[0] += 1
            tally[1] += int(kept)
        for (school, _coach), (due, kept) in per_coach.items():
            figures = per_school[school]
            rate = kept / due
            key = (
                "coaches_on_rhythm"
                if rate >= ON_RHYTHM
                else "coaches_part_rhythm"
                if rate >= PART_RHYTHM
                else "coaches_off_rhythm"
            )
            figures[key] = figures.get(key, 0) + 1
        return per_school

    def caseloads(self):
        """Per school: its caseload limit, and coaches counted by how many teachers they
        coach."""
        teachers = defaultdict(set)
        for _pk, school, teacher, coach, *_rest in self.active:
            teachers[(school, coach)].add(teacher)
        sizes = defaultdict(Counter)
        for (school, _coach), people in teachers.items():
            sizes[school][len(people)] += 1
        return {
            school: (self.rows.models[school].caseload_limit, counter)
            for school, counter in sizes.items()
        }
