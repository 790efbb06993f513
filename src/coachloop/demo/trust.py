"""The demo trust's schools and people: a head, a coaching lead, coaches who teach too and
teachers in every school (most of them coached), a trust lead and an administrator; and, for
each coached teacher, the coaching relationship the history will be simulated on.

Names are random pairings from the pools in ``names``; the key accounts (``accounts``) are in
the first school. Nothing is written until ``_save_people``, in bulk.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from coachloop.coaching.models import Relationship
from coachloop.demo.accounts import KEY_ACCOUNTS, key_email
from coachloop.demo.calendar import academic_start_year
from coachloop.demo.errors import DemoError
from coachloop.demo.names import (
    FIRST_NAMES,
    NAMED_SCHOOLS,
    PLACES,
    PRIMARY_FORMS,
    PRIMARY_GROUPS,
    PRIMARY_YEARS,
    SECONDARY_FORM_LETTERS,
    SECONDARY_SUFFIXES,
    SUBJECTS,
    SURNAMES,
)
from coachloop.people.models import Membership, Role, School, User

BATCH_SIZE = 500


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


class Staffing:
    """The trust's schools and people, and the coaching planned in each school."""

    def __init__(self, *, trust, rng, window, school_count, staff_per_school, password_hash):
        self.trust = trust
        self.rng = rng
        self.window = window
        self.school_count = school_count
        self.staff_per_school = staff_per_school
        self.password_hash = password_hash
        first_year = academic_start_year(self.window[0])
        self.member_since = dt.date(first_year, 9, 1)
        self.used_names = set(KEY_ACCOUNTS.values())
        self.used_emails = set()
        self.sizes = {}
        self.people: list[_Person] = []
        self.plans: list[_Plan] = []

    def build(self):
        """Write the schools, the people and their memberships; return the schools."""
        schools = self._schools()
        for index, school in enumerate(schools):
            self._staff(school, index)
        self._trust_staff()
        self._save_people()
        return schools

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
