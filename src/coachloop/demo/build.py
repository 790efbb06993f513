"""The demo trust: invented schools, people and a term of coaching history.

``build_demo`` builds "Riverside Learning Trust" deterministically from a seed, so the same
seed (and the same ``today``) always gives the same people, visits and steps. Everything is
invented: staff names are random pairings from small pools, and the drop-in notes are composed
from sentences written for the demo. No pupil is ever named; drop-ins name a class or a group.

The history rows are written with ``bulk_create``, which does not call ``save()``: every field
is set here explicitly. ``manage.py load_demo`` is the command-line front end.
"""

import datetime as dt
import functools
import random
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.text import slugify

from coachloop.coaching.models import ActionStep, DropIn, Rehearsal, Relationship
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import AcademicYear, Membership, Role, School, Term, Trust, User

DEMO_TRUST_NAME = "Riverside Learning Trust"
DEMO_TRUST_SLUG = "riverside"
DEFAULT_SEED = 2026
DEFAULT_PASSWORD = "coachloop-demo"  # noqa: S105 (a published demo password)
MIN_STAFF_PER_SCHOOL = 6
HISTORY_SCHOOL_DAYS = 60  # about twelve teaching weeks: a term of coaching
MIN_HISTORY_SCHOOL_DAYS = 25  # early in the year, the history reaches back into the last one
BATCH_SIZE = 500

__all__ = [
    "DEFAULT_PASSWORD",
    "DEFAULT_SEED",
    "DEMO_TRUST_NAME",
    "DEMO_TRUST_SLUG",
    "DemoError",
    "DemoExists",
    "build_demo",
    "delete_demo",
    "demo_logins",
    "is_school_day",
]


class DemoError(Exception):
    """The demo cannot be built as asked."""


class DemoExists(DemoError):
    """The demo trust is already there."""


# ---------------------------------------------------------------------------------------------
# The school calendar (England): three terms, half-terms, Easter and the May bank holiday.
# ---------------------------------------------------------------------------------------------

MONDAY, FRIDAY = 0, 4


def _easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_weekday_from(day: dt.date) -> dt.date:
    while day.weekday() > FRIDAY:
        day += dt.timedelta(days=1)
    return day


def _last_weekday_until(day: dt.date) -> dt.date:
    while day.weekday() > FRIDAY:
        day -= dt.timedelta(days=1)
    return day


def _last_on_or_before(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def _first_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


@dataclass(frozen=True)
class SchoolYear:
    """One academic year, 1 September to 31 August, with realistic English term dates."""

    start_year: int
    terms: tuple  # ((name, starts_on, ends_on), ...)
    half_term_mondays: tuple
    bank_holidays: tuple

    @property
    def name(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.start_year, 9, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.start_year + 1, 8, 31)

    def is_school_day(self, day: dt.date) -> bool:
        if day.weekday() > FRIDAY or day in self.bank_holidays:
            return False
        if day - dt.timedelta(days=day.weekday()) in self.half_term_mondays:
            return False
        return any(starts <= day <= ends for _, starts, ends in self.terms)


@functools.lru_cache(maxsize=16)
def school_year(start_year: int) -> SchoolYear:
    autumn = (
        "Autumn term",
        _first_weekday_from(dt.date(start_year, 9, 3)),
        _last_on_or_before(dt.date(start_year, 12, 19), FRIDAY),
    )
    easter = _easter_sunday(start_year + 1)
    good_friday = easter - dt.timedelta(days=2)
    spring = (
        "Spring term",
        _first_weekday_from(dt.date(start_year + 1, 1, 5)),
        good_friday - dt.timedelta(days=7),  # two weeks off around Easter
    )
    summer = (
        "Summer term",
        easter + dt.timedelta(days=8),  # the Monday a week after Easter Monday
        _last_weekday_until(dt.date(start_year + 1, 7, 22)),
    )
    half_terms = (
        _last_on_or_before(dt.date(start_year, 10, 31), MONDAY),  # last week of October
        _first_on_or_after(dt.date(start_year + 1, 2, 1), MONDAY) + dt.timedelta(weeks=2),
        _last_on_or_before(dt.date(start_year + 1, 5, 31), MONDAY),
    )
    early_may = _first_on_or_after(dt.date(start_year + 1, 5, 1), MONDAY)
    return SchoolYear(start_year, (autumn, spring, summer), half_terms, (early_may,))


def academic_start_year(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def is_school_day(day: dt.date) -> bool:
    """A weekday in term time, not in a half-term week or on a bank holiday."""
    return school_year(academic_start_year(day)).is_school_day(day)


def school_days_until(day: dt.date, count: int) -> list[dt.date]:
    """The last ``count`` school days on or before ``day``, oldest first."""
    found = []
    while len(found) < count:
        if is_school_day(day):
            found.append(day)
        day -= dt.timedelta(days=1)
    return found[::-1]


def school_days_after(day: dt.date, count: int) -> list[dt.date]:
    """The next ``count`` school days after ``day``."""
    found = []
    while len(found) < count:
        day += dt.timedelta(days=1)
        if is_school_day(day):
            found.append(day)
    return found


def history_window(today: dt.date) -> list[dt.date]:
    """The school days the demo history covers: this school year so far, up to about a term.

    Early in the year (fewer than ``MIN_HISTORY_SCHOOL_DAYS`` school days in), the history
    reaches back into the previous year instead, so there is always a term's worth.
    """
    days = school_days_until(today, HISTORY_SCHOOL_DAYS)
    this_year = [d for d in days if academic_start_year(d) == academic_start_year(today)]
    return this_year if len(this_year) >= MIN_HISTORY_SCHOOL_DAYS else days


# ---------------------------------------------------------------------------------------------
# Invented people and places. Pools avoid names that are also everyday words, so a test can
# check that no drop-in text ever contains a name.
# ---------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Aaron", "Abdul", "Adam", "Agnieszka", "Ahmed", "Aisha", "Alice", "Alistair", "Amelia",
    "Amir", "Andrew", "Anika", "Beatrice", "Bethan", "Callum", "Caitlin", "Chidinma", "Chinedu",
    "Chloe", "Claire", "Daniel", "David", "Deborah", "Declan", "Dominic", "Eilidh", "Eleanor",
    "Emeka", "Euan", "Ewan", "Farhan", "Fatima", "Fiona", "Freya", "Gemma", "George", "Hamza",
    "Hannah", "Harriet", "Imogen", "Imran", "Isaac", "Isla", "Jamal", "James", "Joanna",
    "Jonathan", "Katherine", "Kavita", "Kofi", "Kwame", "Laura", "Leah", "Liam", "Lucy", "Luke",
    "Marcus", "Maryam", "Matthew", "Megan", "Mei", "Mohammed", "Nadia", "Naomi", "Nathan",
    "Niamh", "Olivia", "Oliver", "Owen", "Patrick", "Priya", "Rachel", "Rebecca", "Rhiannon",
    "Rhys", "Rohan", "Ruth", "Ryan", "Sadia", "Samuel", "Sanjay", "Sarah", "Shreya", "Simon",
    "Siobhan", "Sophie", "Stephen", "Tamsin", "Thomas", "Tomasz", "Usman", "Vikram", "Yasmin",
    "Yusuf", "Zainab", "Zoe",
)  # fmt: skip
SURNAMES = (
    "Abbott", "Adeyemi", "Akhtar", "Allen", "Anderson", "Ashworth", "Bailey", "Begum", "Bhatt",
    "Brennan", "Campbell", "Carter", "Chaudhry", "Chen", "Clarke", "Coleman", "Davies", "Doyle",
    "Edwards", "Ellison", "Evans", "Farrell", "Fernandes", "Fitzgerald", "Fletcher", "Foster",
    "Fraser", "Gallagher", "Goldberg", "Gordon", "Griffiths", "Harrison", "Hayes", "Hollis",
    "Hughes", "Hussain", "Iqbal", "Jenkins", "Johal", "Kaur", "Kelly", "Khan", "Kowalski",
    "Lambert", "Lawson", "Lloyd", "MacDonald", "Mahmood", "Malik", "Mensah", "Mistry", "Morgan",
    "Murphy", "Nowak", "Nwosu", "O'Connor", "Okafor", "Osei", "Owusu", "Parry", "Patel",
    "Pereira", "Phillips", "Pryce", "Quinn", "Rahman", "Reid", "Richards", "Roberts",
    "Robinson", "Sharma", "Singh", "Sutherland", "Thornton", "Townsend", "Vaughan", "Walsh",
    "Wilson", "Wong", "Yilmaz", "Zielinski",
)  # fmt: skip

# The accounts the README and the login table point to: stable emails, first school.
KEY_ACCOUNTS = {
    "teacher": "Tom Whitfield",
    "coach": "Amara Okafor",
    "lead": "Helen Marsh",
    "head": "Richard Pemberton",
    "trustlead": "Sunita Rao",
    "admin": "Gareth Lloyd",
}

NAMED_SCHOOLS = (
    ("Willow Brook Primary", "willow-brook", School.Phase.PRIMARY, 14),
    ("Castle Hill Academy", "castle-hill", School.Phase.SECONDARY, 23),
    ("Northgate School", "northgate", School.Phase.SECONDARY, 23),
)
PLACES = (
    "Ashcombe", "Brackenfield", "Coldharbour", "Dunmore", "Elmstead", "Fairholme", "Greywell",
    "Hatherley", "Ivybridge Lane", "Kestrel Park", "Larkfield", "Marlpit", "Netherby",
    "Orchard Vale", "Penhallow", "Quarry Bank", "Redmoor", "Saltings", "Thistledown",
    "Upton Fields", "Vicarage Lane", "Wrenfield", "Yewtree", "Alderbrook", "Bramblecote",
    "Copperfield", "Deanscroft", "Eastwick", "Foxlea", "Gorsebrook", "Heathmere", "Kingsmoor",
    "Linthorpe", "Millbrook", "Oakenshaw", "Riverbank", "Stonebridge", "Tanners Green",
)  # fmt: skip
SECONDARY_SUFFIXES = ("Academy", "School", "High School", "Community College")

SUBJECTS = (
    "English", "Maths", "Biology", "Chemistry", "Physics", "History", "Geography", "French",
    "Spanish", "Art", "Music", "Computing", "PE", "RE", "Drama", "Psychology", "Sociology",
    "Design and Technology",
)  # fmt: skip
PRIMARY_YEARS = ("Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6")
PRIMARY_FORMS = ("Oak", "Elm", "Birch", "Cedar", "Maple", "Beech")
PRIMARY_GROUPS = (
    "{year} phonics group", "{year} reading group", "{year} maths group",
    "{year} booster group", "{year} writing group",
)  # fmt: skip
SECONDARY_FORM_LETTERS = "ABCDEHKLMNPRSTWXY"

# ---------------------------------------------------------------------------------------------
# Sentences for drop-ins and rehearsals: strengths first, specific and warm; no grades, no
# judgement of the teacher, and never a pupil's name.
# ---------------------------------------------------------------------------------------------

STRENGTHS = (
    "You were at the door as the class arrived and the do-now was already on the board, so "
    "pupils were writing within a minute.",
    "Your explanation of the worked example was calm and clear: you narrated each step and "
    "paused before the tricky one.",
    "Every pupil answered on a mini-whiteboard, and you scanned the whole room before moving on.",
    "You used cold calling warmly: everyone had thinking time before you chose who would answer.",
    "You praised effort precisely ('you checked your units before answering'), and the rest of "
    "the table followed suit.",
    "Instructions came one at a time with a clear signal to start, and the room settled quickly.",
    "You circulated with purpose, going first to the tables that had started slowly.",
    "Key vocabulary was on the board and you used it consistently, so pupils used it back in "
    "their answers.",
    "Your tone stayed calm and positive when the room got louder, and one countdown brought it "
    "back.",
    "You modelled the answer live under the visualiser, thinking aloud about each choice.",
    "The retrieval questions at the start linked back to last week's work, and pupils clearly "
    "recognised them.",
    "You checked for understanding before the independent task and re-explained the one step "
    "several pupils had missed.",
    "The success criteria were short and visible, and you referred back to them twice.",
    "Pupils knew exactly where to find equipment; nobody needed to ask.",
    "You gave a pupil who was stuck a prompt rather than the answer, and they got there "
    "themselves.",
    "Your warm greeting and clear first instruction set a purposeful tone from the first minute.",
    "The exit ticket checked the one idea that mattered most in the lesson.",
    "Tasks were short, with clear time limits on the board, so the pace never dropped.",
    "You moved from 'I do' to 'we do' to 'you do' deliberately, and pupils were confident by "
    "the time they worked alone.",
    "You spotted a common error early and stopped the class for a thirty-second reteach.",
    "Partner talk was well structured: a clear question, a time limit, and you listened in to "
    "two pairs before taking answers.",
    "Books were handed out by table monitors in a few seconds, without any fuss.",
    "The atmosphere was calm and focused, and pupils were comfortable getting things wrong in "
    "front of each other.",
    "You connected the new idea to something pupils already knew, and you could see it land.",
    "Your questions built from recall to 'why', and you pushed for a fuller second answer.",
    "You narrated what was going well ('the back row are already on question two') before "
    "correcting anything.",
    "The lesson started with a short, silent recap, and everyone was working straight away.",
    "You used a non-verbal signal to redirect one pupil without interrupting the explanation.",
)
STRENGTHS_BY_PHASE = {
    School.Phase.PRIMARY: (
        "Phonics sounds were modelled crisply and the whole group echoed them back together.",
        "The counting stick routine had everyone joining in, and you sped up as confidence grew.",
        "Moving from the carpet to the tables took under a minute because the routine was "
        "clearly well practised.",
        "You used talk partners on the carpet and everyone turned to face their partner at once.",
        "The shared reading was lively and you stopped at just the right moments to check meaning.",
    ),
    School.Phase.SECONDARY: (
        "The safety briefing for the practical was short and every group started at once.",
        "You read the first section aloud and pupils followed with a ruler under the line.",
        "The exam question was unpicked together before pupils tried one on their own.",
        "You used the seating plan to pair confident readers with less confident ones.",
        "Homework was checked in two minutes with a quick show of books on desks.",
    ),
}
NOTICED = (
    "A few pupils at the back waited several minutes with hands up during the independent task.",
    "When answers came from volunteers, the same four or five pupils responded each time.",
    "Instructions for the task were given while some pupils were still packing away, and a few "
    "then asked what to do.",
    "Some pupils finished the first task early and were not sure what to do next.",
    "Pupils began the task before it was clear that everyone had understood the first step.",
    "Transitions between tasks took a couple of minutes while equipment was found.",
    "During the self-assessment a couple of pupils copied from the board rather than correcting "
    "their own work.",
    "In partner talk, several pairs drifted off the question after the first minute.",
    "The mini-whiteboards came up, but there was not quite time to look at them before the next "
    "question.",
    "Questions were mostly recall; there was a natural place for a 'why' question after the "
    "second example.",
    "The noise level rose during group work and it took two attempts to get full attention.",
    "Pupils were keen to answer and called out rather than waiting to be chosen.",
    "The worked example was taken down before most of the class had finished using it.",
    "It was not always clear which pupils were secure before the class moved on.",
    "The lesson opened with an administrative task, so the first five minutes had little "
    "thinking in them.",
    "Pupils rarely used the key vocabulary in their own answers, though it was on the board.",
    "One table needed the instructions repeated individually.",
    "Errors on the starter varied a lot from table to table, and feedback went to the whole class.",
    "Clearing up after the activity took longer than planned and squeezed the final check.",
    "Some pupils were still writing while you explained, and a few started the task too soon.",
    "The countdown worked each time, though it was used often and began to lose its effect.",
    "I wondered whether a shorter task would leave time to go over it together.",
    "Most pupils chose the same level of challenge, including some who looked ready for more.",
)
EVIDENCE = (
    "Mini-whiteboards: all but two correct on the second check question.",
    "Most pupils started writing within thirty seconds of the signal to begin.",
    "Books showed corrections in green pen from the last lesson's feedback.",
    "Six pupils answered by cold call, and every one of them attempted an answer.",
    "I looked at ten exit tickets at the door; most had the key step right.",
    "The whole class was silent and working within a minute of coming in.",
    "Three hands were up waiting for help at the twelve-minute mark.",
    "The move into groups took about ninety seconds.",
    "Pupils used the key vocabulary accurately in four of the answers I heard.",
    "Two pupils asked to go back over the worked example.",
    "Every table had the right equipment out before the task began.",
    "Eight of the ten answers I heard were full sentences.",
    "Four pupils extended their answer after a 'say more' prompt.",
    "The task instructions were on the board and pupils referred to them without asking.",
    "Nearly every pupil had finished the first three questions by the time I left.",
    "Around half of the class had their hands up for each question; most answers came from "
    "the front two rows.",
    "Pupils' books showed the same misconception in three places.",
    "The do-now was complete in every book I looked at.",
)
FOLLOWUP_EVIDENCE = {
    DropIn.FollowUp.HABIT: (
        "The action step looked automatic: it happened without a pause and pupils responded "
        "straight away.",
        "I saw the step three times in twelve minutes, each time smoothly.",
        "The step is now part of the routine; pupils anticipated it.",
    ),
    DropIn.FollowUp.EMERGING: (
        "The step was there at the start and dropped away during the busier middle section.",
        "I saw the step once, clearly; a second chance to use it passed by.",
        "The step was used, though it still looked deliberate rather than automatic.",
    ),
    DropIn.FollowUp.NOT_YET: (
        "There was a natural moment for the step during the transition, and it was not used "
        "this time.",
        "I did not see the step in the part of the lesson I was in.",
    ),
    DropIn.FollowUp.NO_CHANCE: (
        "The class was in a timed assessment, so there was no moment for the step today.",
        "I arrived during a video clip, so there was no chance to see the step.",
    ),
}
PLANS = {
    Rehearsal.Mode.TOGETHER: (
        "Rehearse the first two minutes of the lesson three times, with me playing the class.",
        "Script the instruction in no more than three short sentences, then practise it until "
        "it comes without notes.",
        "Practise pausing before naming who answers, with me giving wrong and half-right answers.",
        "Walk the room together and practise where to stand to see every table during the task.",
        "Rehearse the countdown and the positive narration twice, then again with me as a pupil "
        "who carries on talking.",
        "Plan the two check-for-understanding questions together and rehearse responding to a "
        "wrong answer.",
    ),
    Rehearsal.Mode.ALONE: (
        "Rehearse the script aloud in the empty classroom before the first lesson, twice.",
        "Record the explanation on a phone and listen back for the pause before the key step.",
        "Practise the signal in front of a mirror until it is short and calm.",
        "Write the three questions on a sticky note and rehearse asking them in order.",
    ),
}
HOW_IT_WENT = (
    "Felt clunky the first time; by the third run it came naturally.",
    "We cut it down to the essentials, which felt much clearer.",
    "Rehearsed twice. The pause still feels long, so we will keep practising it.",
    "Much more confident now, and tried it with the class the same afternoon.",
    "Practising the tricky moment helped most: I know what I will say if it goes wrong.",
    "Useful to do it out loud. I rush the key moment, so I marked a pause in my notes.",
    "Quick but worth it; it feels automatic now.",
    "We changed one small thing, which made a real difference in the lesson.",
)
DRAFT_STARTS = (
    "Calm, purposeful start: the do-now was on the board as pupils came in.",
    "Clear modelling under the visualiser, with the key step narrated.",
    "Warm greeting at the door and books out straight away.",
)


# ---------------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------------


def build_demo(
    *,
    seed: int = DEFAULT_SEED,
    schools: int = 3,
    teachers_per_school: int | None = None,
    today: dt.date | None = None,
    password: str = DEFAULT_PASSWORD,
) -> Trust:
    """Build the demo trust in one transaction and return it. Refuses if it already exists."""
    if schools < 1:
        raise DemoError("The demo needs at least one school.")
    if teachers_per_school is not None and teachers_per_school < MIN_STAFF_PER_SCHOOL:
        raise DemoError(f"Each school needs at least {MIN_STAFF_PER_SCHOOL} staff.")
    today = today or timezone.localdate()
    with transaction.atomic():
        if Trust.objects.filter(slug=DEMO_TRUST_SLUG).exists():
            raise DemoExists(f"The demo trust “{DEMO_TRUST_SLUG}” already exists.")
        trust = Trust.objects.create(name=DEMO_TRUST_NAME, slug=DEMO_TRUST_SLUG)
        with trust_scope(trust):
            _Builder(
                trust=trust,
                rng=random.Random(seed),
                today=today,
                school_count=schools,
                staff_per_school=teachers_per_school,
                password_hash=make_password(password),
            ).build()
    return trust


def demo_logins(trust: Trust) -> list[tuple[str, str]]:
    """The demo's key accounts, one per role, as (role, email), for the README and the command."""
    labels = [
        ("teacher", "Teacher (coached by the coach below)"),
        ("coach", str(Role.COACH.label)),
        ("lead", str(Role.COACHING_LEAD.label)),
        ("head", str(Role.HEADTEACHER.label)),
        ("trustlead", str(Role.TRUST_LEAD.label)),
        ("admin", str(Role.ADMINISTRATOR.label)),
    ]
    emails = {key: key_email(trust.slug, key) for key, _ in labels}
    present = set(
        User.objects.filter(email__in=emails.values(), memberships__trust=trust)
        .values_list("email", flat=True)
        .distinct()
    )
    return [(label, emails[key]) for key, label in labels if emails[key] in present]


def delete_demo(*, slug: str = DEMO_TRUST_SLUG) -> bool:
    """Delete a demo trust, all its rows and the people who belonged to it alone.

    Tenant-owned models protect each other (``on_delete=PROTECT``), so rows are deleted model by
    model, those that point at others first. Returns whether there was anything to delete.
    """
    trust = Trust.objects.filter(slug=slug).first()
    if trust is None:
        return False
    with transaction.atomic(), scopes_disabled():
        member_ids = list(
            Membership._base_manager.filter(trust_id=trust.pk)
            .values_list("user_id", flat=True)
            .distinct()
        )
        _delete_tenant_rows(trust)
        trust.delete()
        leavers = User.objects.filter(pk__in=member_ids, memberships__isnull=True)
        try:
            with transaction.atomic():
                leavers.delete()
        except (ProtectedError, RestrictedError):
            # Someone is still referred to by another trust's records: keep just them.
            for user in leavers:
                try:
                    with transaction.atomic():
                        user.delete()
                except (ProtectedError, RestrictedError):
                    continue
    return True


def _tenant_models_in_deletion_order():
    """Every model with a foreign key to Trust, each before the models it points at."""
    owned = {}
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is Trust
        ]
        if fields and model is not Trust:
            owned[model] = fields
    points_at = {
        model: {
            f.related_model
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in owned and f.related_model is not model
        }
        for model in owned
    }
    order, remaining = [], set(owned)
    while remaining:
        ready = [m for m in remaining if not any(m in points_at[o] for o in remaining if o != m)]
        ready = sorted(ready or remaining, key=lambda m: m._meta.label)
        order.extend(ready)
        remaining.difference_update(ready)
    return [(model, owned[model]) for model in order]


def _delete_tenant_rows(trust):
    pending = _tenant_models_in_deletion_order()
    # Rows that point at rows of their own table (a handover, a co-coaching pair, a step
    # carried on) would protect each other: unlink them first.
    for model, fields in pending:
        links = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is model and f.null
        ]
        if links:
            model._base_manager.filter(**{fields[0]: trust.pk}).update(**dict.fromkeys(links, None))
    for _attempt in range(len(pending) + 1):
        blocked = []
        for model, fields in pending:
            for name in fields:
                try:
                    with transaction.atomic():
                        model._base_manager.filter(**{name: trust.pk}).delete()
                except (ProtectedError, RestrictedError):
                    blocked.append((model, fields))
                    break
        if not blocked:
            return
        pending = blocked
    raise DemoError(
        "Could not delete the demo trust: "
        + ", ".join(model._meta.label for model, _ in pending)
        + " still refer to it."
    )


def key_email(trust_slug, key):
    """The address of one of the demo's key accounts (``teacher``, ``coach``, ``lead`` ...)."""
    return f"{key}@{trust_slug}.example.org"


def _email_part(text):
    return re.sub(r"[^a-z-]", "", text.lower().replace(" ", "-"))


@dataclass
class _Person:
    user: User
    school: School | None
    roles: list
    classes: list = field(default_factory=list)


@dataclass
class _Plan:
    """A relationship being simulated, before anything is written."""

    relationship: Relationship
    teacher: _Person
    profile: str  # "regular", "lapsed" or "never"
    key: str = ""
    moved_on: set = field(default_factory=set)  # framework steps left before they stuck


class _Builder:
    def __init__(self, *, trust, rng, today, school_count, staff_per_school, password_hash):
        self.trust = trust
        self.rng = rng
        self.today = today
        self.school_count = school_count
        self.staff_per_school = staff_per_school
        self.password_hash = password_hash
        self.window = history_window(today)
        first_year = academic_start_year(self.window[0])
        self.member_since = dt.date(first_year, 9, 1)
        self.used_names = set(KEY_ACCOUNTS.values())
        self.used_emails = set()
        self.sizes = {}
        self.people: list[_Person] = []
        self.plans: list[_Plan] = []

    # -- organisation ---------------------------------------------------------------------------

    def build(self):
        self._calendar()
        schools = self._schools()
        for index, school in enumerate(schools):
            self._staff(school, index)
        self._trust_staff()
        self._save_people()
        steps = self._framework_steps()
        self._coaching(steps, schools)
        self._rollout()
        self._learning()
        self._programmes()

    def _rollout(self):
        """Coaching models, coverage, time and email settings (``rollout``'s demo rows).

        Imported here: those modules read this one's calendar helpers."""
        from coachloop.demo.rollout.emails import demo_emails
        from coachloop.demo.rollout.model import demo_model
        from coachloop.demo.rollout.team import demo_team
        from coachloop.demo.rollout.time import demo_time

        for build in (demo_model, demo_team, demo_time, demo_emails):
            build(self.trust, self.today, self.rng)

    def _learning(self):
        """Other kinds of coaching, groups, agreements, goals, stages, reviews and shares.

        In this order: agreements cover the groups, and shares pick from the reflections.
        Imported here, like ``_rollout``: those modules read this one's calendar helpers."""
        from coachloop.demo.coaching.agreements import demo_agreements
        from coachloop.demo.coaching.groups import demo_groups
        from coachloop.demo.coaching.learning import demo_learning
        from coachloop.demo.coaching.progression import demo_progression
        from coachloop.demo.coaching.relationships import demo_relationships
        from coachloop.demo.coaching.reviews import demo_reviews
        from coachloop.demo.coaching.sharing import demo_sharing

        for build in (
            demo_relationships,
            demo_groups,
            demo_agreements,
            demo_learning,
            demo_progression,
            demo_reviews,
            demo_sharing,
        ):
            build(self.trust, self.today, self.rng)

    def _programmes(self):
        """A partner university's programme with some of the teachers enrolled (last: it
        enrols coached teachers and brings their goals and evidence)."""
        from coachloop.demo.programmes.build import demo_programmes

        demo_programmes(self.trust, self.today, self.rng)

    def _calendar(self):
        for start_year in range(
            academic_start_year(self.window[0]), academic_start_year(self.today) + 1
        ):
            year = school_year(start_year)
            academic_year = AcademicYear.objects.create(
                trust=self.trust, name=year.name, starts_on=year.starts_on, ends_on=year.ends_on
            )
            Term.objects.bulk_create(
                Term(
                    trust=self.trust,
                    academic_year=academic_year,
                    name=name,
                    starts_on=starts,
                    ends_on=ends,
                )
                for name, starts, ends in year.terms
            )

    def _schools(self):
        specs = list(NAMED_SCHOOLS[: self.school_count])
        places = list(PLACES)
        self.rng.shuffle(places)
        for index in range(len(specs), self.school_count):
            place = places[(index - 3) % len(places)]
            round_ = (index - 3) // len(places)
            if index % 2 == 1:
                phase, size = School.Phase.PRIMARY, self.rng.randint(12, 16)
                name = f"{place} Primary"
            else:
                phase, size = School.Phase.SECONDARY, self.rng.randint(20, 26)
                name = f"{place} {self.rng.choice(SECONDARY_SUFFIXES)}"
            if round_:
                name = f"{name} {round_ + 1}"
            specs.append((name, slugify(name), phase, size))
        schools = [
            School(trust=self.trust, name=name, slug=slug, phase=phase, urn=f"99{index:04d}")
            for index, (name, slug, phase, _size) in enumerate(specs, start=1)
        ]
        School.objects.bulk_create(schools)
        self.sizes = {
            school.slug: self.staff_per_school or size
            for school, (_n, _s, _p, size) in zip(schools, specs, strict=True)
        }
        return schools

    def _new_person(self, school, roles, *, key=None, domain=None):
        if key:
            full_name = KEY_ACCOUNTS[key]
            email = key_email(self.trust.slug, key)
        else:
            # Names are unique in the trust while the pools allow; emails always are.
            for attempt in range(1000):
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)
                full_name = f"{first} {last}"
                email = f"{_email_part(first)}.{_email_part(last)}@{domain}.example.org"
                if email not in self.used_emails and (
                    full_name not in self.used_names or attempt >= 50
                ):
                    break
            self.used_names.add(full_name)
        self.used_emails.add(email)
        user = User(
            email=email,
            full_name=full_name,
            password=self.password_hash,
            is_active=True,
            is_superuser=False,
            date_joined=timezone.make_aware(dt.datetime.combine(self.member_since, dt.time(8))),
        )
        person = _Person(user=user, school=school, roles=roles)
        self.people.append(person)
        return person

    def _staff(self, school, index):
        """Head, coaching lead, coaches (who teach too) and teachers, some coached, some not."""
        first = index == 0
        size = self.sizes[school.slug]
        self._new_person(
            school, [Role.HEADTEACHER], key="head" if first else None, domain=school.slug
        )
        self._new_person(
            school, [Role.COACHING_LEAD], key="lead" if first else None, domain=school.slug
        )
        teaching = size - 2
        coach_count = max(1, round(teaching / 5.5))
        uncoached = max(1, round((teaching - coach_count) * 0.1))
        while teaching - coach_count - uncoached > 6 * coach_count:
            coach_count += 1
        coached = teaching - coach_count - uncoached
        coaches = [
            self._new_person(
                school,
                [Role.TEACHER, Role.COACH],
                key="coach" if first and n == 0 else None,
                domain=school.slug,
            )
            for n in range(coach_count)
        ]
        coachees = [
            self._new_person(
                school,
                [Role.TEACHER],
                key="teacher" if first and n == 0 else None,
                domain=school.slug,
            )
            for n in range(coached)
        ]
        others = [
            self._new_person(school, [Role.TEACHER], domain=school.slug) for _ in range(uncoached)
        ]
        teachers = coaches + coachees + others
        for position, person in enumerate(teachers):
            person.classes = self._classes(school, position, len(teachers))
        school_plans = []
        for n, coach in enumerate(coaches):
            mine = coachees[n::coach_count]
            for m, teacher in enumerate(mine):
                key = ""
                if first and n == 0:
                    key = {0: "teacher", 1: "overdue"}.get(m, "")
                profile = self._profile(key)
                school_plans.append(
                    _Plan(
                        relationship=Relationship(
                            trust=self.trust,
                            school=school,
                            coach=coach.user,
                            teacher=teacher.user,
                            kind=Relationship.Kind.INSTRUCTIONAL,
                            started_on=self.window[0],
                            finished_on=None,
                        ),
                        teacher=teacher,
                        profile=profile,
                        key=key,
                    )
                )
        # A couple of teachers, in the first two schools, have been matched but not yet seen.
        if index < 2:
            candidates = [p for p in school_plans if not p.key]
            if candidates:
                candidates[-1].profile = "never"
        self.plans.extend(school_plans)

    def _profile(self, key):
        if key == "teacher":
            return "regular"
        if key == "overdue":
            return "lapsed"
        return self.rng.choices(("regular", "lapsed", "never"), weights=(76, 22, 2))[0]

    def _classes(self, school, position, teachers):
        """A primary teacher's own class and a group; a secondary teacher's three or four."""
        rng = self.rng
        if school.phase == School.Phase.PRIMARY:
            years = len(PRIMARY_YEARS)
            year_index, form_index = position % years, position // years
            own = PRIMARY_YEARS[year_index]
            if year_index + years < teachers:  # more than one class in this year group
                own = f"{own} {PRIMARY_FORMS[form_index % len(PRIMARY_FORMS)]}"
            group = rng.choice(PRIMARY_GROUPS).format(year=rng.choice(PRIMARY_YEARS[1:]))
            return [own] * 5 + [group]
        subject = rng.choice(SUBJECTS)
        classes = []
        for _ in range(rng.randint(3, 4)):
            style = rng.randrange(4)
            if style == 0:
                classes.append(f"{rng.randint(7, 9)}{rng.choice(SECONDARY_FORM_LETTERS)}")
            elif style == 1:
                classes.append(f"{rng.randint(7, 10)}{rng.choice('XY')}{rng.randint(1, 4)}")
            elif style == 2:
                classes.append(f"{rng.randint(10, 11)} set {rng.randint(1, 6)}")
            else:
                classes.append(f"Year {rng.randint(12, 13)} {subject}")
        return classes

    def _trust_staff(self):
        self._new_person(None, [Role.TRUST_LEAD], key="trustlead")
        self._new_person(None, [Role.ADMINISTRATOR], key="admin")

    def _save_people(self):
        emails = [p.user.email for p in self.people]
        taken = list(User.objects.filter(email__in=emails).values_list("email", flat=True)[:3])
        if taken:
            raise DemoError(
                "Some demo email addresses are already in use (" + ", ".join(taken) + "). "
                "Delete those people, or the old demo trust, first."
            )
        User.objects.bulk_create([p.user for p in self.people], batch_size=BATCH_SIZE)
        Membership.objects.bulk_create(
            (
                Membership(
                    trust=self.trust,
                    user=p.user,
                    school=p.school,
                    role=role,
                    started_on=self.member_since,
                    finished_on=None,
                )
                for p in self.people
                for role in p.roles
            ),
            batch_size=BATCH_SIZE,
        )

    # -- framework ------------------------------------------------------------------------------

    def _framework_steps(self):
        from coachloop.frameworks import loader, services
        from coachloop.frameworks.models import Step

        data = loader.starter_framework_data()
        ecf = settings.COACHLOOP_SHARED_DATA_DIR / "ecf-2019.json"
        if ecf.exists():
            services.reference_framework_import_ecf(path=ecf)
        else:
            for strand in data.get("strands", []):
                for step in strand.get("steps", []):
                    step.pop("maps_to", None)
        services.framework_load(trust=self.trust, data=data, actor=None)
        steps = list(
            Step.objects.filter(strand__version__is_current=True)
            .select_related("strand")
            .order_by("strand__version__framework__slug", "strand__position", "position", "code")
        )
        if not steps:
            raise DemoError("The starter framework has no steps to set.")
        return steps

    # -- coaching history -----------------------------------------------------------------------

    def _coaching(self, steps, schools):
        rng = self.rng
        window = self.window
        recent = [d for d in window if d >= self.today - dt.timedelta(days=6)]
        strands = list(dict.fromkeys(s.strand_id for s in steps))  # in the framework's order
        focus = {school.pk: rng.choice(strands) for school in schools}
        for plan in self.plans:
            rel = plan.relationship
            if plan.profile == "never":
                rel.started_on = window[-rng.randint(2, min(8, len(window)))]
            elif not plan.key and rng.random() < 0.2:
                rel.started_on = window[rng.randint(1, min(20, len(window) - 1))]
        Relationship.objects.bulk_create(
            [p.relationship for p in self.plans], batch_size=BATCH_SIZE
        )

        weights_by_strand = {
            strand: [3 if s.strand_id == strand else 1 for s in steps] for strand in strands
        }
        action_steps, dropins, rehearsals = [], [], []
        for plan in self.plans:
            dates = self._visit_dates(plan, recent)
            weights = weights_by_strand[focus[plan.relationship.school_id]]
            self._simulate(plan, dates, steps, weights, action_steps, dropins, rehearsals)
        self._drafts(dropins)
        ActionStep.objects.bulk_create(action_steps, batch_size=BATCH_SIZE)
        DropIn.objects.bulk_create(dropins, batch_size=BATCH_SIZE)
        Rehearsal.objects.bulk_create(rehearsals, batch_size=BATCH_SIZE)

    def _visit_dates(self, plan, recent):
        """Roughly weekly school days, with gaps; lapsed teachers not seen for over a week."""
        rng = self.rng
        if plan.profile == "never":
            return []
        started = plan.relationship.started_on
        cutoff = self.today
        if plan.profile == "lapsed":
            cutoff = self.today - dt.timedelta(days=rng.randint(9, 24))
        weeks = defaultdict(list)
        for day in self.window:
            if started <= day <= cutoff:
                weeks[day - dt.timedelta(days=day.weekday())].append(day)
        dates = [rng.choice(days) for _monday, days in sorted(weeks.items()) if rng.random() < 0.83]
        if plan.profile == "regular":
            fresh = [d for d in recent if d >= started]
            if fresh and (not dates or dates[-1] < fresh[0]):
                dates.append(rng.choice(fresh))
        elif not dates:
            early = [d for d in self.window if started <= d <= cutoff]
            if early:
                dates.append(early[0])
        return dates

    def _simulate(self, plan, dates, steps, weights, action_steps, dropins, rehearsals):
        """Walk the visits in order: follow up the current step, move it on, set the next."""
        rng = self.rng
        rel = plan.relationship
        teacher = plan.teacher
        current = None
        visits_on_step = 0
        history = []
        practice = {}  # id(action step) -> its rehearsals
        for visit in dates:
            followup = ""
            if current is not None:
                visits_on_step += 1
                followup = self._followup(current, visits_on_step)
            dropins.append(self._dropin(rel, teacher, visit, current, followup))
            if current is None:
                current = self._set_step(
                    plan, visit, steps, weights, history, action_steps, practice
                )
                visits_on_step = 0
                continue
            if followup == DropIn.FollowUp.HABIT:
                current.status = ActionStep.Status.EMBEDDED
            elif current.status == ActionStep.Status.SET and rng.random() < 0.5:
                current.status = ActionStep.Status.PRACTISING
            outcome = ""
            if current.status == ActionStep.Status.EMBEDDED and (
                followup != DropIn.FollowUp.HABIT or visits_on_step >= 3 or rng.random() < 0.65
            ):
                outcome = ActionStep.Outcome.EMBEDDED
            elif visits_on_step >= 4 and rng.random() < 0.4:
                outcome = ActionStep.Outcome.MOVED_ON
            if outcome:
                self._close(plan, current, visit, outcome, practice)
                current = self._set_step(
                    plan, visit, steps, weights, history, action_steps, practice
                )
                visits_on_step = 0
        if current is not None and (plan.key == "teacher" or rng.random() < 0.35):
            practice[id(current)].append(self._upcoming_rehearsal(current, rel, teacher))
        for planned in practice.values():
            rehearsals.extend(planned)

    def _followup(self, step, visits_on_step):
        if step.status == ActionStep.Status.EMBEDDED:
            weights = (80, 15, 0, 5)
        elif visits_on_step == 1:
            weights = (10, 45, 30, 15)
        elif visits_on_step == 2:
            weights = (30, 45, 10, 15)
        else:
            weights = (55, 35, 5, 5)
        choices = (
            DropIn.FollowUp.HABIT,
            DropIn.FollowUp.EMERGING,
            DropIn.FollowUp.NOT_YET,
            DropIn.FollowUp.NO_CHANCE,
        )
        return self.rng.choices(choices, weights=weights)[0]

    def _dropin(self, rel, teacher, visit, step, followup):
        rng = self.rng
        phase = rel.school.phase
        strengths = rng.sample(STRENGTHS + STRENGTHS_BY_PHASE.get(phase, ()), rng.randint(1, 2))
        noticed = rng.sample(NOTICED, rng.choice((1, 1, 2)))
        evidence = rng.sample(EVIDENCE, rng.randint(1, 2))
        if followup:
            evidence.insert(0, rng.choice(FOLLOWUP_EVIDENCE[followup]))
        return DropIn(
            trust=self.trust,
            uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            relationship=rel,
            visited_on=visit,
            class_or_group=rng.choice(teacher.classes),
            minutes=rng.randint(8, 20),
            strengths=" ".join(strengths),
            noticed=" ".join(noticed),
            evidence=" ".join(evidence),
            followup_step=step,
            followup=followup,
            is_draft=False,
            version=1,
        )

    def _set_step(self, plan, on, steps, weights, history, action_steps, practice):
        rng = self.rng
        rel = plan.relationship
        used = {s.pk for s in history}
        moved_on = [s for s in history if s.pk in plan.moved_on]
        if moved_on and rng.random() < 0.3:
            framework_step = rng.choice(moved_on)
        else:
            pool = [(s, w) for s, w in zip(steps, weights, strict=True) if s.pk not in used]
            pool = pool or list(zip(steps, weights, strict=True))
            framework_step = rng.choices([s for s, _ in pool], weights=[w for _, w in pool])[0]
        returning = framework_step.pk in used
        history.append(framework_step)
        step = ActionStep(
            trust=self.trust,
            relationship=rel,
            framework_step=framework_step,
            title=framework_step.title[:200],
            success_looks_like=(framework_step.looks_like or framework_step.title)[:2000],
            status=ActionStep.Status.REVISITED if returning else ActionStep.Status.SET,
            set_on=on,
            closed_on=None,
            outcome="",
            proposed_by=rel.coach,
        )
        action_steps.append(step)
        practice[id(step)] = (
            self._plan_rehearsals(step, rel, plan.teacher) if rng.random() < 0.85 else []
        )
        return step

    def _close(self, plan, step, on, outcome, practice):
        step.closed_on = on
        step.outcome = outcome
        if outcome == ActionStep.Outcome.EMBEDDED:
            step.status = ActionStep.Status.EMBEDDED
        else:
            plan.moved_on.add(step.framework_step.pk)
        # Practice planned for after the step closed did not happen: drop it.
        practice[id(step)] = [r for r in practice[id(step)] if r.planned_for <= on]

    def _plan_rehearsals(self, step, rel, teacher):
        rng = self.rng
        day = step.set_on
        planned = []
        for n in range(rng.choice((1, 1, 2, 2, 3))):
            offset = rng.randint(0 if n == 0 else 1, 3)
            day = school_days_after(day, offset)[-1] if offset else day
            planned.append(self._rehearsal(step, rel, teacher, day))
        if step.status == ActionStep.Status.SET:
            step.status = ActionStep.Status.PRACTISING
        return planned

    def _upcoming_rehearsal(self, step, rel, teacher):
        day = school_days_after(self.today, self.rng.randint(1, 4))[-1]
        if step.status == ActionStep.Status.SET:
            step.status = ActionStep.Status.PRACTISING
        return self._rehearsal(step, rel, teacher, day)

    def _rehearsal(self, step, rel, teacher, day):
        rng = self.rng
        mode = rng.choices((Rehearsal.Mode.TOGETHER, Rehearsal.Mode.ALONE), weights=(70, 30))[0]
        planned_by = (
            teacher.user if mode == Rehearsal.Mode.ALONE and rng.random() < 0.5 else (rel.coach)
        )
        done = day <= self.today and rng.random() < 0.88
        return Rehearsal(
            trust=self.trust,
            action_step=step,
            planned_for=day,
            mode=mode,
            # The framework says how to rehearse its steps; steps in a coach's words get one of
            # the general plans.
            plan=(
                step.framework_step.how_to_rehearse
                if step.framework_step is not None
                else rng.choice(PLANS[mode])
            ),
            done_on=day if done else None,
            how_it_went=rng.choice(HOW_IT_WENT) if done else "",
            planned_by=planned_by,
        )

    def _drafts(self, dropins):
        """A few unfinished drop-ins, all the demo coach's: typed in a lesson, not yet recorded."""
        coach_email = key_email(self.trust.slug, "coach")
        coach_plans = [p for p in self.plans if p.relationship.coach.email == coach_email]
        candidates = [p for p in coach_plans if p.key != "teacher" and p.profile != "never"]
        for plan in candidates[:2] or coach_plans[:1]:
            rel = plan.relationship
            dropins.append(
                DropIn(
                    trust=self.trust,
                    uuid=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                    relationship=rel,
                    visited_on=max(self.window[-1], rel.started_on),
                    class_or_group=self.rng.choice(plan.teacher.classes),
                    minutes=self.rng.randint(8, 20),
                    strengths=self.rng.choice(DRAFT_STARTS),
                    noticed="",
                    evidence="",
                    followup_step=None,
                    followup="",
                    is_draft=True,
                    version=1,
                )
            )
