"""The dashboards the benchmark measures, and the raw SQL behind each.

Each dashboard is a page of the ``insights`` app, requested as the person it is for. Its
baseline is ``raw_figures``: hand-written SQL, run through a database cursor, that computes the
same figures live from the raw tables (coaching_relationship, coaching_dropin,
coaching_actionstep, people_membership, rollout_*), for the same schools and the same weeks,
the way a dashboard without rollups would have to. The school dashboard's baseline covers one
school; the trust dashboard's covers every school of the trust.

The figures, for each school and each week since the school year began (the week running to
today is cut at today):

- teachers (current teacher roles), teachers with a coach (an active relationship at the end
  of the week, and a current teacher role in that school), trained coaches (current coach
  roles with a training completed by then);
- visits due and kept: a teacher is due once coached for a full cadence of their school's
  model and staff group, and kept if seen within that cadence; drop-ins in the week;
- in the week running to today, each coach's teachers and the share seen on rhythm (for the
  caseload and coach-rhythm tables);
- steps set and embedded since the year began, per framework step (with its strand), the days
  each embedded step took (for the median time to embed) and the teachers who embedded one;
- steps set in each week, and how many of them the teacher proposed themselves (for the share
  of steps teachers proposed, per term);
- each school's coverage targets.

``figures_match`` compares them with what the rollup tables hold, so the benchmark also checks
that the dashboards show what the raw data says.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.insights.models import SchoolWeek, SchoolWeekEmbedTime, SchoolWeekStep
from coachloop.insights.rollups import ON_RHYTHM, PART_RHYTHM, week_of, year_start_of

__all__ = ["DASHBOARDS", "Dashboard", "figures_match", "raw_figures", "weeks_since"]


@dataclass(frozen=True)
class Dashboard:
    name: str
    title: str
    route: str
    who: str  # "headteacher" or "trust_lead": whom the page is requested as
    per_school: bool  # True: the measured school alone; False: every school of the trust

    def url(self, subject) -> str:
        return reverse(self.route, args=[subject.school.slug] if self.per_school else [])

    def user(self, subject):
        return subject.head if self.who == "headteacher" else subject.trust_lead

    def school_ids(self, subject) -> list[int]:
        return [subject.school.pk] if self.per_school else list(subject.trust_school_ids)


DASHBOARDS = (
    Dashboard("school", "A school's dashboard", "insights:school", "headteacher", True),
    Dashboard("trust", "A trust's dashboard", "insights:trust", "trust_lead", False),
)


def weeks_since(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(Monday, last day) of each week the dashboards show: from the start of the school year
    to the week running to today, which ends today."""
    week, weeks = year_start_of(today), []
    while week <= week_of(today):
        weeks.append((week, min(week + dt.timedelta(days=6), today)))
        week += dt.timedelta(days=7)
    return weeks


# ---------------------------------------------------------------------------------------------
# The SQL. Written once for PostgreSQL and SQLite: date arithmetic is the only difference.
# ---------------------------------------------------------------------------------------------


def _minus_days(day, days):
    if connection.vendor == "postgresql":
        return f"({day} - {days})"
    return f"date({day}, '-' || {days} || ' days')"


def _days_between(first, last):
    if connection.vendor == "postgresql":
        return f"({last} - {first})"
    return f"CAST(julianday({last}) - julianday({first}) AS INTEGER)"


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


# The effective cadence of each school: its model's, unless the trust standardises the rhythm
# or the school has no model (then the trust's policy, or the defaults). Also its caseload limit.
CADENCE = """
cadence AS (
    SELECT s.id AS school_id,
        CASE WHEN sm.id IS NULL OR p.cadence_level = 'standardised'
            THEN COALESCE(p.cadence_early_career, 7) ELSE sm.cadence_early_career END AS early,
        CASE WHEN sm.id IS NULL OR p.cadence_level = 'standardised'
            THEN COALESCE(p.cadence_teachers, 7) ELSE sm.cadence_teachers END AS teachers,
        CASE WHEN sm.id IS NULL OR p.cadence_level = 'standardised'
            THEN COALESCE(p.cadence_leaders, 14) ELSE sm.cadence_leaders END AS leaders,
        COALESCE(sm.caseload_limit, 6) AS caseload_limit
    FROM people_school s
    LEFT JOIN rollout_schoolmodel sm ON sm.school_id = s.id
    LEFT JOIN rollout_trustpolicy p ON p.trust_id = s.trust_id
    WHERE s.id IN ({schools})
)"""

# Relationships active at the end of each week, with the teacher's cadence (from their staff
# group on that day), and whether a visit was due (coached for a full cadence) and kept.
ACTIVE = """
active AS (
    SELECT w.week, w.week_end, r.id, r.school_id, r.coach_id, r.teacher_id, r.started_on,
        m.user_id AS teaching_here,
        CASE COALESCE(m.staff_group, 'teacher')
            WHEN 'early_career' THEN c.early WHEN 'leader' THEN c.leaders ELSE c.teachers
        END AS days
    FROM weeks w
    JOIN coaching_relationship r
        ON r.started_on <= w.week_end AND (r.finished_on IS NULL OR r.finished_on >= w.week_end)
    JOIN cadence c ON c.school_id = r.school_id
    LEFT JOIN people_membership m
        ON m.user_id = r.teacher_id AND m.school_id = r.school_id AND m.role = 'teacher'
        AND m.started_on <= w.week_end AND (m.finished_on IS NULL OR m.finished_on >= w.week_end)
    WHERE r.school_id IN ({schools})
),
flags AS (
    SELECT a.week, a.school_id, a.coach_id, a.teacher_id, a.teaching_here,
        CASE WHEN a.started_on <= {since} THEN 1 ELSE 0 END AS due,
        CASE WHEN a.started_on <= {since} AND EXISTS (
            SELECT 1 FROM coaching_dropin d
            WHERE d.relationship_id = a.id AND NOT d.is_draft
                AND d.visited_on > {since} AND d.visited_on <= a.week_end
        ) THEN 1 ELSE 0 END AS kept
    FROM active a
)"""

WEEKLY = """
WITH weeks(week, week_end) AS (VALUES {weeks}),
{cadence},
{active},
staff AS (
    SELECT w.week, w.week_end, m.school_id, m.role, m.user_id
    FROM weeks w
    JOIN people_membership m
        ON m.started_on <= w.week_end AND (m.finished_on IS NULL OR m.finished_on >= w.week_end)
    WHERE m.school_id IN ({schools}) AND m.role IN ('teacher', 'coach')
),
teachers AS (
    SELECT week, school_id, COUNT(DISTINCT user_id) AS n FROM staff
    WHERE role = 'teacher' GROUP BY week, school_id
),
trained AS (
    SELECT st.week, st.school_id, COUNT(DISTINCT st.user_id) AS n FROM staff st
    WHERE st.role = 'coach' AND EXISTS (
        SELECT 1 FROM rollout_coachtraining t
        WHERE t.trust_id = %s AND t.coach_id = st.user_id AND t.completed_on <= st.week_end
    )
    GROUP BY st.week, st.school_id
),
rhythm AS (
    SELECT week, school_id, COUNT(DISTINCT teaching_here) AS coached, SUM(due) AS due,
        SUM(kept) AS kept
    FROM flags GROUP BY week, school_id
),
visits AS (
    SELECT w.week, r.school_id, COUNT(*) AS n
    FROM coaching_dropin d
    JOIN coaching_relationship r ON r.id = d.relationship_id
    JOIN weeks w ON d.visited_on >= w.week AND d.visited_on <= w.week_end
    WHERE r.school_id IN ({schools}) AND NOT d.is_draft
        AND d.visited_on >= %s AND d.visited_on <= %s
    GROUP BY w.week, r.school_id
)
SELECT w.week, c.school_id, COALESCE(t.n, 0), COALESCE(rh.coached, 0), COALESCE(tr.n, 0),
    COALESCE(rh.due, 0), COALESCE(rh.kept, 0), COALESCE(v.n, 0)
FROM weeks w
CROSS JOIN cadence c
LEFT JOIN teachers t ON t.week = w.week AND t.school_id = c.school_id
LEFT JOIN trained tr ON tr.week = w.week AND tr.school_id = c.school_id
LEFT JOIN rhythm rh ON rh.week = w.week AND rh.school_id = c.school_id
LEFT JOIN visits v ON v.week = w.week AND v.school_id = c.school_id
ORDER BY c.school_id, w.week
"""

# Each coach in the week running to today: teachers coached, visits due and kept.
COACHES = """
WITH weeks(week, week_end) AS (VALUES (%s, %s)),
{cadence},
{active}
SELECT f.school_id, f.coach_id, c.caseload_limit, COUNT(DISTINCT f.teacher_id), SUM(f.due),
    SUM(f.kept)
FROM flags f
JOIN cadence c ON c.school_id = f.school_id
GROUP BY f.school_id, f.coach_id, c.caseload_limit
"""

# Steps set and embedded since the year began, per framework step.
STEPS = """
SELECT st.title, fs.title, SUM(x.set_n), SUM(x.embedded_n)
FROM (
    SELECT a.framework_step_id AS step_id, 1 AS set_n, 0 AS embedded_n
    FROM coaching_actionstep a JOIN coaching_relationship r ON r.id = a.relationship_id
    WHERE r.school_id IN ({schools}) AND a.set_on >= %s AND a.set_on <= %s
    UNION ALL
    SELECT a.framework_step_id, 0, 1
    FROM coaching_actionstep a JOIN coaching_relationship r ON r.id = a.relationship_id
    WHERE r.school_id IN ({schools}) AND a.outcome = 'embedded'
        AND a.closed_on >= %s AND a.closed_on <= %s
) x
JOIN frameworks_step fs ON fs.id = x.step_id
JOIN frameworks_strand st ON st.id = fs.strand_id
GROUP BY st.title, fs.title
"""

# Embedded steps since the year began, per school, by the days each took.
EMBED_DAYS = """
SELECT r.school_id, {days} AS days, COUNT(*)
FROM coaching_actionstep a JOIN coaching_relationship r ON r.id = a.relationship_id
WHERE r.school_id IN ({schools}) AND a.outcome = 'embedded'
    AND a.closed_on >= %s AND a.closed_on <= %s
GROUP BY r.school_id, {days}
"""

# Teachers who have embedded a step since the year began, per school.
EMBEDDERS = """
SELECT r.school_id, COUNT(DISTINCT r.teacher_id)
FROM coaching_actionstep a JOIN coaching_relationship r ON r.id = a.relationship_id
WHERE r.school_id IN ({schools}) AND a.outcome = 'embedded'
    AND a.closed_on >= %s AND a.closed_on <= %s
GROUP BY r.school_id
"""

# Steps set in each week, per school, and those the teacher proposed themselves.
PROPOSED = """
WITH weeks(week, week_end) AS (VALUES {weeks})
SELECT w.week, r.school_id, COUNT(*),
    SUM(CASE WHEN a.proposed_by_id = r.teacher_id THEN 1 ELSE 0 END)
FROM coaching_actionstep a
JOIN coaching_relationship r ON r.id = a.relationship_id
JOIN weeks w ON a.set_on >= w.week AND a.set_on <= w.week_end
WHERE r.school_id IN ({schools})
GROUP BY w.week, r.school_id
"""

TARGETS = """
SELECT t.school_id, t.due_by, t.coached_percent, t.trained_coaches, t.created_at, s.name
FROM rollout_coveragetarget t JOIN people_school s ON s.id = t.school_id
WHERE t.trust_id = %s AND t.school_id IN ({schools})
ORDER BY t.due_by, t.id
"""


def _statements(trust_id, school_ids, today):
    weeks = weeks_since(today)
    start = weeks[0][0]
    schools = _marks(school_ids)
    cadence = CADENCE.format(schools=schools)
    active = ACTIVE.format(schools=schools, since=_minus_days("a.week_end", "a.days"))
    values = ", ".join(["(%s, %s)"] * len(weeks))
    flat_weeks = [day for week in weeks for day in week]
    latest = weeks[-1]
    return {
        "weekly": (
            WEEKLY.format(weeks=values, cadence=cadence, active=active, schools=schools),
            [*flat_weeks, *school_ids, *school_ids, *school_ids, trust_id, *school_ids]
            + [start, today],
        ),
        "coaches": (
            COACHES.format(cadence=cadence, active=active),
            [*latest, *school_ids, *school_ids],
        ),
        "steps": (
            STEPS.format(schools=schools),
            [*school_ids, start, today, *school_ids, start, today],
        ),
        "embed_days": (
            EMBED_DAYS.format(schools=schools, days=_days_between("a.set_on", "a.closed_on")),
            [*school_ids, start, today],
        ),
        "embedders": (EMBEDDERS.format(schools=schools), [*school_ids, start, today]),
        "proposed": (PROPOSED.format(weeks=values, schools=schools), [*flat_weeks, *school_ids]),
        "targets": (TARGETS.format(schools=schools), [trust_id, *school_ids]),
    }


def raw_figures(*, trust_id, school_ids, today) -> dict:
    """Every figure of the dashboard, computed live from the raw tables with SQL."""
    results = {}
    with connection.cursor() as cursor:
        for key, (sql, params) in _statements(trust_id, school_ids, today).items():
            cursor.execute(sql, params)
            results[key] = cursor.fetchall()
    coaches = defaultdict(lambda: {"on": 0, "part": 0, "off": 0, "caseloads": Counter()})
    for school, _coach, limit, teachers, due, kept in results["coaches"]:
        figures = coaches[school]
        figures["caseloads"][(teachers, teachers > limit)] += 1
        if due:
            rate = kept / due
            bucket = "on" if rate >= ON_RHYTHM else "part" if rate >= PART_RHYTHM else "off"
            figures[bucket] += 1
    return {
        "weekly": {
            (school, _date(week)): tuple(int(n) for n in figures)
            for week, school, *figures in results["weekly"]
        },
        "coaches": dict(coaches),
        "steps": {
            (strand, step): (int(n_set), int(n_embedded))
            for strand, step, n_set, n_embedded in results["steps"]
        },
        "embed_days": {(school, int(days)): int(n) for school, days, n in results["embed_days"]},
        "embedders": {school: int(n) for school, n in results["embedders"]},
        "proposed": {
            (school, _date(week)): (int(n_set), int(n_proposed))
            for week, school, n_set, n_proposed in results["proposed"]
        },
        "targets": results["targets"],
    }


def _date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def figures_match(raw: dict, *, trust_id, school_ids, today) -> list[str]:
    """Where the rollup tables differ from the raw figures (an empty list when they agree)."""
    start = weeks_since(today)[0][0]
    differences = []
    with scopes_disabled():
        weeks = SchoolWeek.objects.filter(
            trust_id=trust_id, school_id__in=school_ids, week__gte=start
        )
        embedders = {(w.school_id, w.week): w.embedders_to_date for w in weeks}
        proposed = {
            (w.school_id, w.week): (w.steps_set, w.steps_proposed_by_teacher) for w in weeks
        }
        rollup = {
            (w.school_id, w.week): (
                w.teachers,
                w.coached_teachers,
                w.trained_coaches,
                w.visits_due,
                w.visits_kept,
                w.dropins,
            )
            for w in weeks
        }
        steps = Counter()
        for strand, step, n_set, n_embedded in SchoolWeekStep.objects.filter(
            trust_id=trust_id, school_id__in=school_ids, week__gte=start
        ).values_list("step__strand__title", "step__title", "set_count", "embedded_count"):
            steps[(strand, step, "set")] += n_set
            steps[(strand, step, "embedded")] += n_embedded
        embed_days = Counter()
        for school, days, n in SchoolWeekEmbedTime.objects.filter(
            trust_id=trust_id, school_id__in=school_ids, week__gte=start
        ).values_list("school_id", "days", "count"):
            embed_days[(school, days)] += n
    names = ("teachers", "coached", "trained coaches", "visits due", "visits kept", "drop-ins")
    for key, figures in sorted(raw["weekly"].items()):
        stored = rollup.get(key, (0,) * len(names))
        for name, live, kept in zip(names, figures, stored, strict=True):
            if live != kept:
                differences.append(f"school {key[0]}, week {key[1]}: {name} {kept} != {live}")
    for (strand, step), (n_set, n_embedded) in sorted(raw["steps"].items()):
        for kind, live in (("set", n_set), ("embedded", n_embedded)):
            if steps[(strand, step, kind)] != live:
                differences.append(f"step {step!r}: {kind} {steps[(strand, step, kind)]} != {live}")
    for key, (n_set, n_proposed) in sorted(raw["proposed"].items()):
        stored = proposed.get(key, (0, 0))
        if stored != (n_set, n_proposed):
            differences.append(
                f"school {key[0]}, week {key[1]}: steps set and proposed by the teacher "
                f"{stored} != {(n_set, n_proposed)}"
            )
    latest = max((week for _school, week in raw["weekly"]), default=None)
    for school in school_ids:
        stored = embedders.get((school, latest), 0)
        if stored != raw["embedders"].get(school, 0):
            differences.append(
                f"school {school}: teachers embedding {stored} != {raw['embedders'].get(school, 0)}"
            )
    live_days = Counter(raw["embed_days"])
    if +embed_days != +live_days:
        differences.append("days to embed differ")
    return differences
