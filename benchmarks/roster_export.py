"""A OneRoster 1.1 export of a whole trust, as a school's MIS or a data broker would send it,
for the staff import benchmark (``benchmarks.roster_import``).

    roster = plan_roster(schools, staff=10_000, students=100_000, tag="r1", seed=2026)
    write_export(roster, path, on=first_day)         # the trust's export, a .zip
    write_export(roster, later, on=later_day, leaving=roster.leavers)  # without 5% of staff

The trust and its schools are in orgs.csv (each school's URN in its identifier column);
users.csv holds every teacher and administrator and every student, in an order that mixes
them, as exports do. Names are invented from the demo's pools. Students are never kept in
memory: their rows are written as they are made. ``tag`` goes into every email address, so
that one export per round can be imported into a database that holds earlier rounds' people.
"""

import csv
import io
import random
import uuid
import zipfile
from dataclasses import dataclass, field

from coachloop.demo import names as demo_names

USERS_HEADER = [
    "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username",
    "userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
    "agentSourcedIds", "grades", "password",
]  # fmt: skip
ORGS_HEADER = [
    "sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId",
]  # fmt: skip
ADMINS_PER_SCHOOL = 3  # a head, a deputy and a business manager, in OneRoster "administrator"
TWO_SCHOOLS = 0.02  # the share of teachers who teach in two of the trust's schools
LEAVING = 0.05  # the share of staff missing from the later export


@dataclass(frozen=True)
class Org:
    source_id: str
    name: str
    urn: str


@dataclass(frozen=True)
class Member:
    source_id: str
    given: str
    family: str
    email: str
    orgs: tuple[str, ...]
    role: str  # "teacher" or "administrator"


@dataclass
class Roster:
    trust: Org
    schools: list[Org]
    staff: list[Member]
    students: int
    seed: int
    leavers: frozenset[str] = field(default_factory=frozenset)  # sourcedIds

    @property
    def teachers(self):
        return sum(1 for m in self.staff if m.role == "teacher")

    @property
    def roles(self):
        return sum(len(m.orgs) for m in self.staff)

    @property
    def rows(self):
        """Rows of users.csv (staff and students), the header not counted."""
        return len(self.staff) + self.students


def _source_id(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _weights(rng, count):
    """How large each school is: a few big secondaries among many primaries."""
    return [rng.choice((1, 1, 1, 2, 4, 5)) * rng.uniform(0.8, 1.2) for _ in range(count)]


def _spread(rng, total, weights):
    """``total`` split across the schools in proportion to ``weights``, exactly."""
    whole = sum(weights)
    counts = [int(total * w / whole) for w in weights]
    for i in rng.sample(range(len(counts)), total - sum(counts)):
        counts[i] += 1
    return counts


def plan_roster(schools, *, staff, students, tag, seed, leaving=LEAVING):
    """The trust's staff: ``schools`` is a list of (name, URN); ``staff`` counts the
    administrators (three a school) and teachers together. ``leavers`` are teachers of one
    school each, ``leaving`` of all the staff, who are missing from the later export."""
    rng = random.Random(seed)
    trust = Org(_source_id(rng), "The Trust", "")
    orgs = [Org(_source_id(rng), name, urn) for name, urn in schools]
    admins = ADMINS_PER_SCHOOL * len(orgs)
    if staff <= admins:
        raise ValueError(f"{staff} staff are too few for {len(orgs)} schools.")
    weights = _weights(rng, len(orgs))
    people, used = [], set()

    def member(school, role, also=None):
        given = rng.choice(demo_names.FIRST_NAMES)
        family = rng.choice(demo_names.SURNAMES)
        local = f"{given}.{family}".lower().replace("'", "")
        n = 1
        while (local, n) in used:
            n += 1
        used.add((local, n))
        suffix = "" if n == 1 else str(n)
        places = (school.source_id,) + ((also.source_id,) if also else ())
        return Member(
            _source_id(rng),
            given,
            family,
            f"{local}{suffix}@{tag}.staff.example.org",
            places,
            role,
        )

    for school in orgs:
        people += [member(school, "administrator") for _ in range(ADMINS_PER_SCHOOL)]
    for school, count in zip(orgs, _spread(rng, staff - admins, weights), strict=True):
        for _ in range(count):
            also = rng.choice(orgs) if rng.random() < TWO_SCHOOLS else None
            people.append(member(school, "teacher", also if also is not school else None))
    single = [m.source_id for m in people if m.role == "teacher" and len(m.orgs) == 1]
    roster = Roster(trust=trust, schools=orgs, staff=people, students=students, seed=seed)
    roster.leavers = frozenset(rng.sample(single, round(staff * leaving)))
    return roster


def _student_rows(roster, rng):
    counts = _spread(rng, roster.students, _weights(rng, len(roster.schools)))
    n = 0
    for school, count in zip(roster.schools, counts, strict=True):
        for _ in range(count):
            n += 1
            given = rng.choice(demo_names.FIRST_NAMES)
            family = rng.choice(demo_names.SURNAMES)
            yield {
                "sourcedId": _source_id(rng),
                "enabledUser": "true",
                "orgSourcedIds": school.source_id,
                "role": "student",
                "username": f"pupil{n}",
                "givenName": given,
                "familyName": family,
                "identifier": f"UPN{n:09d}",
                "email": f"pupil{n}@pupils.example.org",
                "grades": str(rng.randint(0, 13)).zfill(2),
            }


def _staff_row(member):
    return {
        "sourcedId": member.source_id,
        "enabledUser": "true",
        "orgSourcedIds": ",".join(member.orgs),
        "role": member.role,
        "username": member.email,
        "givenName": member.given,
        "familyName": member.family,
        "email": member.email,
    }


def _users(roster, leaving):
    """Staff and students mixed, the same order in every export of the roster (the leavers
    are left out where they would have been)."""
    rng = random.Random(roster.seed + 1)
    students = _student_rows(roster, rng)
    staff = iter(roster.staff)
    remaining_staff, remaining_students = len(roster.staff), roster.students
    while remaining_staff or remaining_students:
        if rng.random() * (remaining_staff + remaining_students) < remaining_staff:
            remaining_staff -= 1
            member = next(staff)
            if member.source_id not in leaving:
                yield _staff_row(member)
        else:
            remaining_students -= 1
            yield next(students)


def _write_csv(archive, name, header, rows, on):
    entry = zipfile.ZipInfo(name, date_time=(on.year, on.month, on.day, 6, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    with (
        archive.open(entry, "w") as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
    ):
        writer = csv.DictWriter(text, header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def write_export(roster, path, *, on, leaving=frozenset()):
    """Write the trust's export, made on the date ``on``, to ``path`` (a .zip): everyone but
    the sourcedIds in ``leaving``. Returns the number of rows in users.csv."""
    manifest = {
        "manifest.version": "1.0",
        "oneroster.version": "1.1",
        "file.academicSessions": "absent",
        "file.classes": "absent",
        "file.courses": "absent",
        "file.demographics": "absent",
        "file.enrollments": "absent",
        "file.orgs": "bulk",
        "file.users": "bulk",
        "source.systemName": "Benchmark MIS",
        "source.systemCode": "bench",
    }
    orgs = [
        {"sourcedId": roster.trust.source_id, "name": roster.trust.name, "type": "district"}
    ] + [
        {
            "sourcedId": school.source_id,
            "name": school.name,
            "type": "school",
            "identifier": school.urn,
            "parentSourcedId": roster.trust.source_id,
        }
        for school in roster.schools
    ]
    rows = 0

    def counted(users):
        nonlocal rows
        for row in users:
            rows += 1
            yield row

    with zipfile.ZipFile(path, "w") as archive:
        _write_csv(
            archive,
            "manifest.csv",
            ["propertyName", "value"],
            ({"propertyName": k, "value": v} for k, v in manifest.items()),
            on,
        )
        _write_csv(archive, "orgs.csv", ORGS_HEADER, orgs, on)
        _write_csv(archive, "users.csv", USERS_HEADER, counted(_users(roster, leaving)), on)
    return rows


def count_users(path):
    """The baseline the import is compared with: read users.csv out of the zip with Python's
    csv module and do nothing with its rows. Returns how many there were."""
    with (
        zipfile.ZipFile(path) as archive,
        archive.open("users.csv") as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
    ):
        reader = csv.reader(text)
        next(reader)
        return sum(1 for _row in reader)
