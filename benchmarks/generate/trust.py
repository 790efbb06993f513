"""One trust's rows: its people, schools, coaching and a year of drop-ins (``TrustBuilder``),
and its framework, loaded through the application (``framework``)."""

import bisect
import datetime as dt
import itertools
from dataclasses import dataclass

from coachloop.coaching.models import ActionStep, DropIn, Relationship
from coachloop.common.tenancy import trust_scope
from coachloop.demo import calendar as demo_calendar
from coachloop.demo import names as demo_names
from coachloop.demo.coaching import sentences as demo_sentences
from coachloop.frameworks import loader as framework_loader
from coachloop.frameworks import services as framework_services
from coachloop.frameworks.models import ReferenceFramework, Step
from coachloop.people.models import (
    AcademicYear,
    Membership,
    Role,
    School,
    StaffGroup,
    Term,
    User,
)
from coachloop.policy.models import FrameworkPolicy, SchoolModel, TrustPolicy
from coachloop.rollout.models import CoachTraining, CoverageTarget, RolloutPhase

from .plan import BENCH_DOMAIN, ECF_SLUG, GenerateError, SchoolPlan, _apportion

# Words: places and people come from the demo's pools, so the data reads like the demo.
COURSES = (
    "Instructional coaching: the foundations",
    "Coaching conversations that stick",
    "Deliberate practice for coaches",
    "Mentoring early-career teachers",
    "Leading coaching in a school",
)
PROVIDERS = (
    "The trust's teaching school hub",
    "The school's coaching lead",
    "A national coaching programme",
    "A local teaching school alliance",
)
MINUTES = (10, 12, 15, 15, 15, 20, 20, 25, 30)
FOLLOWUPS = DropIn.FollowUp
FOLLOWUP_VALUES = tuple(
    str(f.value)
    for f in (FOLLOWUPS.NO_CHANCE, FOLLOWUPS.HABIT, FOLLOWUPS.EMERGING, FOLLOWUPS.NOT_YET)
)
PRACTISING = ActionStep.Status.PRACTISING
VISIT_MINUTES = 7 * 60  # a visit's time: 09:00 to 15:59
# A version 4 UUID from 128 random bits, as ``uuid.UUID(int=bits, version=4)`` makes it, but
# straight to the 32 hex digits the database takes (about a third of the time).
UUID_KEEP = ~((0xC000 << 48) | (0xF000 << 64)) & (2**128 - 1)
UUID_V4 = (0x8000 << 48) | (4 << 76)
VISIT_TIMES = {}  # school day -> each minute of the visiting hours, as the database's text


def visit_times(day):
    """The times a drop-in can be recorded on ``day`` (09:00 to 15:59 UTC), as text in the
    database's form, made once per day in a process: formatting a datetime per row costs more
    than the rest of the row."""
    times = VISIT_TIMES.get(day)
    if times is None:
        date = day.isoformat()
        times = VISIT_TIMES[day] = tuple(
            f"{date} {9 + m // 60:02d}:{m % 60:02d}:00+00:00" for m in range(VISIT_MINUTES)
        )
    return times


def _secondary_class(rng):
    year = rng.randint(7, 13)
    subject = rng.choice(demo_names.SUBJECTS)
    return f"{year}{rng.choice(demo_names.SECONDARY_FORM_LETTERS)} {subject}"


def _primary_class(rng):
    year = rng.choice(demo_names.PRIMARY_YEARS)
    if rng.random() < 0.2:
        return rng.choice(demo_names.PRIMARY_GROUPS).format(year=year)
    return f"{year} {rng.choice(demo_names.PRIMARY_FORMS)}"


# ---------------------------------------------------------------------------------------------
# One trust
# ---------------------------------------------------------------------------------------------


DROPIN_FIELDS = (
    "id",
    "trust_id",
    "uuid",
    "relationship_id",
    "visited_on",
    "class_or_group",
    "minutes",
    "strengths",
    "noticed",
    "evidence",
    "followup_step_id",
    "followup",
    "is_draft",
    "version",
    "created_at",
    "updated_at",
)


@dataclass
class Segment:
    """A coaching relationship and the school days on which its coach could visit."""

    relationship: dict
    days: list
    cadence: int
    weight: float
    teacher: dict
    ends: bool  # whether the relationship finishes (its last step closes with it)
    dropins: int = 0


class TrustBuilder:
    def __init__(self, *, trust_plan, rows, rng, today, days, password_hash):
        self.plan = trust_plan
        self.rows = rows
        rows.tuples(DropIn, DROPIN_FIELDS)
        self.rng = rng
        self.today = today
        self.days = days
        self.start = days[0]
        self.password_hash = password_hash
        self.stamp = dt.datetime.combine(today, dt.time(18, 0), tzinfo=dt.UTC)

    def person(self, name=None, email=None):
        rng = self.rng
        name = name or f"{rng.choice(demo_names.FIRST_NAMES)} {rng.choice(demo_names.SURNAMES)}"
        user = self.rows.add(
            User,
            password=self.password_hash,
            email="",
            full_name=name,
            is_active=True,
            is_superuser=False,
            last_login=None,
            date_joined=self.stamp,
        )
        user["email"] = email or f"person-{user['id']}@{self.plan.slug}.{BENCH_DOMAIN}"
        return user

    def member(self, user, role, school=None, *, started_on, finished_on=None, group=None):
        return self.rows.add(
            Membership,
            trust_id=self.trust_id,
            user_id=user["id"],
            school_id=school["id"] if school else None,
            role=role,
            staff_group=group or StaffGroup.TEACHER,
            started_on=started_on,
            finished_on=finished_on,
        )

    def build(self, trust_id, steps, framework_id):
        """Every row of the trust but the trust and its framework (already written)."""
        self.trust_id = trust_id
        self.steps = steps
        rng = self.rng
        long_ago = dt.date(self.start.year - 3, 9, 1)
        self.trust_lead = self.person(email=f"trust-lead@{self.plan.slug}.{BENCH_DOMAIN}")
        self.member(self.trust_lead, Role.TRUST_LEAD, started_on=long_ago)
        if rng.random() < 0.5:
            self.member(self.person(), Role.TRUST_LEAD, started_on=long_ago)
        self.member(
            self.person(email=f"admin@{self.plan.slug}.{BENCH_DOMAIN}"),
            Role.ADMINISTRATOR,
            started_on=long_ago,
        )
        self.rows.add(
            TrustPolicy,
            trust_id=trust_id,
            framework_id=framework_id,
            version=1,
            updated_at=self.stamp,
        )
        self._academic_years()
        for school_plan in self.plan.schools:
            self._school(school_plan)
            # Every row of the school is final: send it while the next school is made.
            self.rows.flush(wait=False)

    def _academic_years(self):
        first = demo_calendar.academic_start_year(self.start)
        for year in range(first, demo_calendar.academic_start_year(self.today) + 1):
            calendar = demo_calendar.school_year(year)
            academic = self.rows.add(
                AcademicYear,
                trust_id=self.trust_id,
                name=calendar.name,
                starts_on=calendar.starts_on,
                ends_on=calendar.ends_on,
            )
            for name, starts_on, ends_on in calendar.terms:
                self.rows.add(
                    Term,
                    trust_id=self.trust_id,
                    academic_year_id=academic["id"],
                    name=name,
                    starts_on=starts_on,
                    ends_on=ends_on,
                )

    # -- a school -------------------------------------------------------------------------------

    def _school(self, sp: SchoolPlan):
        rng = self.rng
        school = self.rows.add(
            School,
            trust_id=self.trust_id,
            name=sp.name,
            slug=sp.slug,
            urn=str(100000 + sp.number),
            phase=sp.phase,
        )
        cadence = {
            StaffGroup.EARLY_CAREER: 7,
            StaffGroup.TEACHER: 14 if sp.fortnightly else 7,
            StaffGroup.LEADER: 14,
        }
        if sp.has_model:
            self.rows.add(
                SchoolModel,
                trust_id=self.trust_id,
                school_id=school["id"],
                cadence_early_career=cadence[StaffGroup.EARLY_CAREER],
                cadence_teachers=cadence[StaffGroup.TEACHER],
                cadence_leaders=cadence[StaffGroup.LEADER],
                framework_policy=FrameworkPolicy.ADAPT
                if rng.random() < 0.2
                else FrameworkPolicy.TRUST,
                caseload_limit=sp.caseload_limit,
                version=1,
                updated_at=self.stamp,
            )
        head = self.person(email=f"head.{sp.slug}@{self.plan.slug}.{BENCH_DOMAIN}")
        self.member(head, Role.HEADTEACHER, school, started_on=dt.date(self.start.year - 4, 9, 1))

        # Teachers: a few early-career teachers and leaders; some joined this year, a few left.
        teachers = []
        classes = _primary_class if sp.phase == School.Phase.PRIMARY else _secondary_class
        for _ in range(sp.teachers):
            r = rng.random()
            group = (
                StaffGroup.EARLY_CAREER
                if r < 0.15
                else StaffGroup.LEADER
                if r < 0.27
                else StaffGroup.TEACHER
            )
            joined = rng.random() < 0.05
            started_on = (
                self.days[rng.randrange(len(self.days) * 7 // 10)]
                if joined
                else dt.date(self.start.year - rng.randint(1, 9), 9, 1)
            )
            teacher = {
                "user": self.person(),
                "group": group,
                "started_on": started_on,
                "finished_on": None,
                "joined": joined,
                "classes": [classes(rng) for _ in range(rng.randint(3, 5))],
            }
            teachers.append(teacher)

        # Coaches: leaders first, then experienced teachers; the first one leads coaching.
        ranked = sorted(
            (t for t in teachers if not t["joined"]),
            key=lambda t: (t["group"] != StaffGroup.LEADER, t["group"] == StaffGroup.EARLY_CAREER),
        ) or list(teachers)
        coaches = ranked[: sp.coaches]
        coach_ids = {c["user"]["id"] for c in coaches}
        for t in teachers:
            if t["user"]["id"] not in coach_ids and not t["joined"] and rng.random() < 0.03:
                t["finished_on"] = self.days[rng.randrange(len(self.days) // 2, len(self.days))]
        for t in teachers:
            self.member(
                t["user"],
                Role.TEACHER,
                school,
                started_on=t["started_on"],
                finished_on=t["finished_on"],
                group=t["group"],
            )
        for c in coaches:
            self.member(c["user"], Role.COACH, school, started_on=c["started_on"])
        lead = coaches[0]
        self.member(lead["user"], Role.COACHING_LEAD, school, started_on=lead["started_on"])

        self._rollout(sp, school, coaches, lead)
        segments = self._relationships(sp, school, teachers, coaches, cadence)
        self._dropins(sp, school, segments)

    def _rollout(self, sp, school, coaches, lead):
        rng, days = self.rng, self.days
        for coach in coaches:
            if rng.random() < 0.8:
                for _ in range(1 if rng.random() < 0.85 else 2):
                    within = rng.random() < 0.4
                    completed_on = (
                        days[rng.randrange(len(days) - 1)]
                        if within
                        else self.start - dt.timedelta(days=rng.randint(1, 700))
                    )
                    self.rows.add(
                        CoachTraining,
                        trust_id=self.trust_id,
                        coach_id=coach["user"]["id"],
                        course=rng.choice(COURSES),
                        completed_on=completed_on,
                        delivered_by=rng.choice(PROVIDERS),
                        recorded_by_id=lead["user"]["id"],
                    )
        year_end = dt.date(self.today.year + (1 if self.today.month >= 8 else 0), 7, 31)
        for due_by in (days[len(days) // 2], year_end):
            self.rows.add(
                CoverageTarget,
                trust_id=self.trust_id,
                school_id=school["id"],
                trained_coaches=max(1, sp.coaches + rng.randint(-1, 2)),
                coached_percent=rng.choice((60, 70, 75, 80, 90, 100)),
                due_by=due_by,
                set_by_id=self.trust_lead["id"],
                created_at=dt.datetime.combine(self.start, dt.time(9, 0), tzinfo=dt.UTC),
            )
        soft_end = days[len(days) // 5]
        self.rows.add(
            RolloutPhase,
            trust_id=self.trust_id,
            school_id=school["id"],
            kind=RolloutPhase.Kind.SOFT_LAUNCH,
            starts_on=self.start,
            ends_on=soft_end,
            notes="A first team of coaches and volunteers.",
        )
        every = rng.random() < 0.3
        scale_end = days[len(days) * 7 // 10] if every else None
        self.rows.add(
            RolloutPhase,
            trust_id=self.trust_id,
            school_id=school["id"],
            kind=RolloutPhase.Kind.SCALE_UP,
            starts_on=soft_end + dt.timedelta(days=1),
            ends_on=scale_end,
        )
        if every:
            self.rows.add(
                RolloutPhase,
                trust_id=self.trust_id,
                school_id=school["id"],
                kind=RolloutPhase.Kind.EVERY_TEACHER,
                starts_on=scale_end + dt.timedelta(days=1),
            )

    def _relationships(self, sp, school, teachers, coaches, cadence) -> list[Segment]:
        """Who is coached by whom, from when: a first team at the start, the rest through
        the first half of the year; some handovers to another coach; leavers' coaching ends."""
        rng, days = self.rng, self.days
        capacity = {c["user"]["id"]: rng.uniform(0.5, 1.6) for c in coaches}
        candidates = [
            t for t in teachers if not (len(coaches) == 1 and t["user"]["id"] in capacity)
        ]
        coached = rng.sample(candidates, min(sp.coached, len(candidates)))
        segments = []
        for t in coached:
            uid = t["user"]["id"]
            choices = [c for c in coaches if c["user"]["id"] != uid]
            if not choices:
                continue
            weights = [capacity[c["user"]["id"]] for c in choices]
            first = 0 if rng.random() < 0.5 else rng.randrange(len(days) * 4 // 10)
            first = max(first, bisect.bisect_left(days, t["started_on"]))
            last = len(days) - 1
            if t["finished_on"]:
                last = bisect.bisect_right(days, t["finished_on"]) - 1
            if last - first < 2:
                continue
            spans = [(first, last, rng.choices(choices, weights)[0])]
            if len(choices) > 1 and last - first > 30 and rng.random() < 0.05:
                split = rng.randrange(first + (last - first) // 3, first + 2 * (last - first) // 3)
                old = spans[0][2]
                new = rng.choice([c for c in choices if c is not old])
                spans = [(first, split - 1, old), (split, last, new)]
            engagement = rng.uniform(0.4, 1.2)
            for n, (a, b, coach) in enumerate(spans):
                ends = n < len(spans) - 1 or t["finished_on"] is not None
                relationship = self.rows.add(
                    Relationship,
                    trust_id=self.trust_id,
                    school_id=school["id"],
                    coach_id=coach["user"]["id"],
                    teacher_id=uid,
                    kind=Relationship.Kind.INSTRUCTIONAL,
                    started_on=days[a],
                    finished_on=days[b] if ends else None,
                    # Recorded the day it began, as a lead records coaching.
                    created_at=dt.datetime.combine(days[a], dt.time(9, 0), tzinfo=dt.UTC),
                )
                window = days[a : b + 1]
                days_between = cadence[t["group"]]
                segments.append(
                    Segment(
                        relationship=relationship,
                        days=window,
                        cadence=days_between,
                        weight=len(window)
                        * engagement
                        * capacity[coach["user"]["id"]]
                        / days_between,
                        teacher=t,
                        ends=ends,
                    )
                )
        return segments

    def _dropins(self, sp, school, segments):
        if not segments:
            if sp.dropins:
                raise GenerateError(f"{sp.name} has drop-ins to place and nobody coached.")
            return
        _allocate(sp.dropins, segments)
        rng = self.rng
        strands = sorted({s["strand_id"] for s in self.steps})
        focus = rng.choice(strands)
        # Cumulative weights, once: ``choices`` would add them up again at every step set.
        weights_by_focus = list(
            itertools.accumulate(3 if s["strand_id"] == focus else 1 for s in self.steps)
        )
        strengths = demo_sentences.STRENGTHS + demo_sentences.STRENGTHS_BY_PHASE.get(sp.phase, ())
        for seg in segments:
            n = seg.dropins
            if not n:
                continue
            window, count = seg.days, len(seg.days)
            dates = [window[rng.randrange(i * count // n, (i + 1) * count // n)] for i in range(n)]
            self._visits(seg, dates, weights_by_focus, strengths)

    def _visits(self, seg, dates, weights, strengths):
        """The drop-ins of one relationship, each following up the step current before it,
        and the steps: set at a visit, embedded after being seen as habit twice, or moved on."""
        rng, rows = self.rng, self.rows
        # The commonest row, so the loop is lean: locals, ``random()`` indexing a sequence
        # rather than ``choice`` (the same thing, without the bit-by-bit draw), the time of
        # day and the UUID as the text COPY sends (``visit_times``, ``UUID_KEEP``).
        random, getrandbits, pending = rng.random, rng.getrandbits, rows.pending[DropIn]
        noticed, evidence = demo_sentences.NOTICED, demo_sentences.EVIDENCE
        keep, v4 = UUID_KEEP, UUID_V4
        no_chance, habit_, emerging, not_yet = FOLLOWUP_VALUES
        relationship = seg.relationship
        rid, coach_id = relationship["id"], relationship["coach_id"]
        teacher_id = relationship["teacher_id"]
        trust_id = self.trust_id
        classes = seg.teacher["classes"]
        current, visits, habits, steps_set = None, 0, 0, 0
        for day in dates:
            followup = ""
            if current is not None:
                visits += 1
                r = random()
                habit = min(0.55, 0.08 * visits)
                if r < 0.06:
                    followup = no_chance
                elif r < 0.06 + habit:
                    followup = habit_
                    habits += 1
                elif r < 0.51 + habit:
                    followup = emerging
                else:
                    followup = not_yet
                current["status"] = PRACTISING
            at = visit_times(day)[int(random() * VISIT_MINUTES)]
            dropin_id = rows.next_id[DropIn]
            rows.next_id[DropIn] = dropin_id + 1
            # DROPIN_FIELDS, in order: a tuple, not a dict, for the commonest row.
            pending.append(
                (
                    dropin_id,
                    trust_id,
                    f"{getrandbits(128) & keep | v4:032x}",
                    rid,
                    day,
                    classes[int(random() * len(classes))],
                    MINUTES[int(random() * len(MINUTES))],
                    strengths[int(random() * len(strengths))],
                    noticed[int(random() * len(noticed))] if random() < 0.6 else "",
                    evidence[int(random() * len(evidence))] if random() < 0.5 else "",
                    current["id"] if current else None,
                    followup,
                    False,
                    1,
                    at,
                    at,
                )
            )
            if current is not None:
                if habits >= 2:
                    current.update(
                        closed_on=day,
                        status=ActionStep.Status.EMBEDDED,
                        outcome=ActionStep.Outcome.EMBEDDED,
                    )
                    current = None
                elif visits >= 8 and rng.random() < 0.25:
                    current.update(closed_on=day, outcome=ActionStep.Outcome.MOVED_ON)
                    current = None
            if current is None:
                step = rng.choices(self.steps, cum_weights=weights)[0]
                # Self-direction grows: the more steps a teacher has worked on, the likelier
                # they are to propose the next one themselves.
                by_teacher = rng.random() < min(0.5, 0.06 * steps_set)
                steps_set += 1
                current = rows.add(
                    ActionStep,
                    trust_id=trust_id,
                    relationship_id=rid,
                    framework_step_id=step["id"],
                    title=step["title"],
                    success_looks_like=step["looks_like"],
                    status=ActionStep.Status.SET,
                    set_on=day,
                    closed_on=None,
                    outcome="",
                    proposed_by_id=teacher_id if by_teacher else coach_id,
                )
                visits, habits = 0, 0
        if seg.ends and current is not None:
            current.update(
                closed_on=relationship["finished_on"], outcome=ActionStep.Outcome.COACHING_ENDED
            )


def _allocate(total, segments):
    """Share a school's drop-ins between its relationships by weight, at most one a day."""
    shares = _apportion(total, [s.weight for s in segments], [len(s.days) for s in segments])
    for segment, share in zip(segments, shares, strict=True):
        segment.dropins = share


# ---------------------------------------------------------------------------------------------
# The framework of each trust
# ---------------------------------------------------------------------------------------------


def framework(trust):
    """Load the starter framework for the trust (with England's ECF mappings when the shared
    reference data is there) and return its current steps."""
    with trust_scope(trust):
        if _reference_ready():
            version = framework_services.starter_framework_load(trust=trust)
        else:
            data = framework_loader.starter_framework_data()
            for strand in data.get("strands", []):
                for step in strand.get("steps", []):
                    step.pop("maps_to", None)
            version = framework_services.framework_load(trust=trust, data=data)
        steps = list(
            Step.objects.filter(strand__version=version)
            .order_by("strand__position", "position")
            .values("id", "title", "looks_like", "strand_id")
        )
    return version.framework_id, steps


REFERENCE = {}


def _reference_ready():
    if "ready" not in REFERENCE:
        from django.conf import settings

        ready = ReferenceFramework.objects.filter(slug=ECF_SLUG).exists()
        path = settings.COACHLOOP_ECF_FILE
        if not ready and path.exists():
            framework_services.reference_framework_import_ecf(path=path)
            ready = True
        REFERENCE["ready"] = ready
