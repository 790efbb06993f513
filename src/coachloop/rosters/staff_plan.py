"""What a staff roster would change in a trust: worked out from the rows read and the trust as
it is now, before anything is written, and again, inside the transaction, when it is applied.

People are matched by their OneRoster ``sourcedId`` first, then by email address. A roster
speaks for the roles it knows about (``MANAGED``) and lists, at the schools it covers: someone in it is
given the roles it lists there and loses the ones it no longer lists; someone with such a role
who is missing from a full export, or marked to be deleted, has left that school, and every
role they hold there ends on the export's date. Nothing is ever deleted.
"""

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coachloop.coaching.models import Relationship
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import (
    ExternalId,
    Membership,
    Role,
    School,
    StaffGroup,
    User,
)
from coachloop.rosters.models import OrgMapping
from coachloop.rosters.records import Problem

# The roles each kind of file can speak for (of those it lists at all). A OneRoster export knows
# who teaches and who leads a school; a staff spreadsheet, written for Coachloop, also names
# coaches and coaching leads.
MANAGED = {
    "oneroster": frozenset({Role.TEACHER, Role.HEADTEACHER}),
    "staff": frozenset({Role.TEACHER, Role.COACH, Role.COACHING_LEAD, Role.HEADTEACHER}),
}
SCHOOL_ROLES = MANAGED["staff"]
LOOKUP_CHUNK = 500
TRN_TAKEN = _lazy("Someone else in your trust has this TRN.")


def managed_roles(source_format):
    return MANAGED["oneroster" if source_format.startswith("oneroster") else "staff"]


@dataclass
class Start:
    school: School
    role: str
    staff_group: str
    started_on: object  # date

    def describe(self):
        return _("%(role)s at %(school)s from %(date)s") % {
            "role": Role(self.role).label,
            "school": self.school.name,
            "date": date_format(self.started_on, "j M Y"),
        }


@dataclass
class NewPerson:
    row: int | None
    file: str
    email: str
    full_name: str
    source_id: str
    trn: str
    starts: list[Start]


@dataclass
class Change:
    person: User
    full_name: str | None = None
    email: str | None = None
    source_id: str | None = None
    trn: str | None = None
    starts: list[Start] = field(default_factory=list)
    ends: list[Membership] = field(default_factory=list)
    regroups: list[tuple[Membership, str]] = field(default_factory=list)

    def __bool__(self):
        return bool(
            self.full_name
            or self.email
            or self.source_id
            or self.trn
            or self.starts
            or self.ends
            or self.regroups
        )


@dataclass
class Leaver:
    person: User
    ends: list[Membership]


@dataclass
class StaffPlan:
    exported_on: object
    new: list[NewPerson] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    leaving: list[Leaver] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    unmatched_orgs: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    coaching_ending: int = 0

    def counts(self):
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "leaving": len(self.leaving),
            "unchanged": self.unchanged,
            "coaching_ending": self.coaching_ending,
        }

    def fingerprint(self):
        """A digest of exactly what applying would do, so that applying later can tell
        whether the trust changed since the administrator looked."""
        actions = {
            "new": [
                (p.email, p.full_name, p.source_id, p.trn, _starts_key(p.starts)) for p in self.new
            ],
            "changed": [
                (
                    c.person.pk,
                    c.full_name,
                    c.email,
                    c.source_id,
                    c.trn,
                    _starts_key(c.starts),
                    sorted(m.pk for m in c.ends),
                    sorted((m.pk, group) for m, group in c.regroups),
                )
                for c in self.changed
            ],
            "leaving": [(lv.person.pk, sorted(m.pk for m in lv.ends)) for lv in self.leaving],
            "on": self.exported_on.isoformat(),
        }
        encoded = json.dumps(actions, sort_keys=True, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()


def _starts_key(starts):
    return sorted((s.school.pk, s.role, s.staff_group, s.started_on.isoformat()) for s in starts)


class _Trust:
    """The trust as it is now, read once: schools, confirmed organisations, identifiers and
    current roles, so that planning costs a handful of queries whatever the file's size."""

    def __init__(self, trust, on):
        self.trust = trust
        self.on = on
        schools = list(School.objects.filter(trust=trust))
        self.schools_by_pk = {s.pk: s for s in schools}
        self.schools_by_urn = {s.urn: s for s in schools if s.urn}
        self.mappings = {
            m.source_id: self.schools_by_pk.get(m.school_id)
            for m in OrgMapping.objects.filter(trust=trust)
        }
        ids = ExternalId.objects.filter(trust=trust).values_list("kind", "value", "person_id")
        self.person_by_source = {}
        self.source_of = {}
        self.trn_of = {}
        for kind, value, person_id in ids:
            if kind == ExternalId.Kind.ONEROSTER:
                self.person_by_source[value] = person_id
                self.source_of[person_id] = value
            else:
                self.trn_of[person_id] = value
        self.trn_holder = {value: pk for pk, value in self.trn_of.items()}
        self.roles_of = {}
        # Roles held on the export's date or begun since: a roster dated before a role began
        # must not start it a second time.
        current = (
            Membership.objects.filter(trust=trust)
            .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=on))
            .select_related("school")
        )
        for membership in current.filter(school__isnull=False):
            self.roles_of.setdefault(membership.user_id, []).append(membership)
        self.people = {}
        self.last_finished = {}

    def load_people(self, emails, person_ids):
        """The people the file names (by email or identifier) and everyone with a role here."""
        wanted_ids = set(person_ids) | set(self.roles_of)
        wanted_ids -= set(self.people)
        emails = sorted(set(emails))
        for start in range(0, len(emails), LOOKUP_CHUNK):
            chunk = emails[start : start + LOOKUP_CHUNK]
            for person in User.objects.filter(email__in=chunk):
                self.people[person.pk] = person
        wanted_ids -= set(self.people)
        wanted = sorted(wanted_ids)
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            for person in User.objects.filter(pk__in=wanted[start : start + LOOKUP_CHUNK]):
                self.people[person.pk] = person
        self.by_email = {p.email.lower(): p for p in self.people.values()}
        # Who also has roles in other trusts: yes or no only, as people.services does.
        with scopes_disabled():
            elsewhere_ids = (
                set(
                    Membership.objects.filter(user_id__in=list(self.people))
                    .exclude(trust=self.trust)
                    .values_list("user_id", flat=True)
                )
                if self.people
                else set()
            )
        here_ids = (
            set(
                Membership.objects.filter(
                    user_id__in=list(self.people), trust=self.trust
                ).values_list("user_id", flat=True)
            )
            if self.people
            else set()
        )
        self.elsewhere = elsewhere_ids
        self.here = here_ids | set(self.source_of) | set(self.trn_of)
        finished = (
            (
                Membership.objects.filter(
                    trust=self.trust, user_id__in=list(self.people), finished_on__isnull=False
                )
                .values("user_id", "school_id", "role")
                .annotate(last=Max("finished_on"))
            )
            if self.people
            else []
        )
        for row in finished:
            self.last_finished[(row["user_id"], row["school_id"], row["role"])] = row["last"]

    def start_after_past_periods(self, person_id, start):
        """A new period begins after any earlier one of the same role in the same school."""
        last = self.last_finished.get((person_id, start.school.pk, start.role))
        if last is not None and start.started_on <= last:
            start.started_on = last + dt.timedelta(days=1)


def staff_plan(*, trust, records, source_format, exported_on, full_export, on_progress=None):
    """What applying ``records`` (the stored rows of a roster) to ``trust`` would do.

    ``on_progress(rows_read)`` is called every few hundred rows. Reads the trust in a
    handful of queries; the caller holds the trust scope (and, when applying, the
    transaction)."""
    plan = StaffPlan(exported_on=exported_on)
    # A file speaks only for the roles it could list and does list: an export with no
    # administrators in it says nothing about who leads a school.
    listed = {role["role"] for row in records["staff"] for role in row["roles"]}
    managed = managed_roles(source_format) & listed
    state = _Trust(trust, exported_on)
    staff = records["staff"]
    orgs = records["orgs"]
    school_of_org = _resolve_orgs(plan, state, orgs, staff)
    emails = [row["email"] for row in staff]
    known_ids = [
        state.person_by_source[r["source_id"]]
        for r in staff
        if r["source_id"] in state.person_by_source
    ]
    state.load_people(emails, known_ids)

    seen_people = set()
    new_keys = set()
    covered = {school.pk for school in school_of_org.values() if school is not None}
    leaving_people = []
    for index, row in enumerate(staff, start=1):
        person = _match(plan, state, row)
        if person is not None and person.pk in seen_people:
            plan.problems.append(
                Problem(row["file"], row["row"], "email", _("This person is in the file twice."))
            )
            continue
        if person is not None:
            seen_people.add(person.pk)
        wanted = _wanted_roles(plan, row, school_of_org, exported_on)
        if row.get("to_be_deleted"):
            if person is not None:
                leaving_people.append(person)
            continue
        if person is None:
            if not _row_is_usable(plan, state, row, new_keys):
                continue
            if wanted:
                plan.new.append(
                    NewPerson(
                        row=row["row"],
                        file=row["file"],
                        email=row["email"],
                        full_name=row["full_name"],
                        source_id=row["source_id"],
                        trn=row.get("trn", ""),
                        starts=wanted,
                    )
                )
        else:
            change = _change(plan, state, person, row, wanted, managed, covered)
            if change:
                plan.changed.append(change)
            else:
                plan.unchanged += 1
        if on_progress and index % 200 == 0:
            on_progress(index)

    if full_export:
        for person_id, memberships in state.roles_of.items():
            if person_id in seen_people:
                continue
            if any(_open(m) and m.school_id in covered and m.role in managed for m in memberships):
                leaving_people.append(state.people[person_id])
    for person in leaving_people:
        held = state.roles_of.get(person.pk, [])
        ends = [m for m in held if _open(m) and m.school_id in covered]
        if ends:
            plan.leaving.append(Leaver(person=person, ends=ends))
    plan.coaching_ending = _coaching_ending(plan)
    if on_progress:
        on_progress(len(staff))
    return plan


def _resolve_orgs(plan, state, orgs, staff):
    """Each organisation the file lists, as a school of the trust (or ``None``). The schools
    found are the ones the file covers; one that a staff row names and that is no school of
    the trust is a problem."""
    used = {role["org"] for row in staff for role in row["roles"]}
    resolved = {}
    for key in sorted(used | set(orgs)):
        org = orgs.get(key, {"key": key, "name": "", "urn": "", "type": "school"})
        if org.get("type", "school") != "school" and key not in used:
            continue
        school = state.mappings.get(key)
        if school is None and org.get("urn"):
            school = state.schools_by_urn.get(org["urn"])
        resolved[key] = school
        if key not in used:
            continue
        if school is None:
            plan.unmatched_orgs.append(org)
            plan.problems.append(
                Problem(
                    org.get("file") or "orgs.csv",
                    org.get("row"),
                    "identifier",
                    _(
                        "No school in your trust has the URN of “%(name)s” (%(key)s). Import the "
                        "trust's schools from the register first, or say below which school it is."
                    )
                    % {"name": org.get("name") or key, "key": org.get("urn") or key},
                )
            )
        elif school.closed_on and school.closed_on <= state.on:
            plan.problems.append(
                Problem(
                    org.get("file") or "orgs.csv",
                    org.get("row"),
                    "identifier",
                    _("%(school)s has closed, so nobody can start a role there.")
                    % {"school": school.name},
                )
            )
    return resolved


def _match(plan, state, row):
    """The person this row is: by sourcedId, else by email address."""
    person = None
    if row["source_id"]:
        person_id = state.person_by_source.get(row["source_id"])
        person = state.people.get(person_id) if person_id else None
    if person is None:
        person = state.by_email.get(row["email"])
        if (
            person is not None
            and row["source_id"]
            and state.source_of.get(person.pk)
            not in (
                None,
                row["source_id"],
            )
        ):
            plan.problems.append(
                Problem(
                    row["file"],
                    row["row"],
                    "email",
                    _(
                        "Someone else in your trust already has this email address, with "
                        "another sourcedId (%(other)s)."
                    )
                    % {"other": state.source_of[person.pk]},
                )
            )
            return None
    if person is not None and person.pk not in state.here and person.pk in state.elsewhere:
        plan.problems.append(
            Problem(
                row["file"],
                row["row"],
                "email",
                _(
                    "This email address cannot be used here. Check it with the person; if it is "
                    "right, Coachloop's operators can help."
                ),
            )
        )
        return None
    return person


def _row_is_usable(plan, state, row, new_keys):
    """Whether someone new may be added as this row says (no one else has their TRN, and the
    file names them once)."""
    trn = row.get("trn", "")
    if trn and (trn in state.trn_holder or ("trn", trn) in new_keys):
        plan.problems.append(Problem(row["file"], row["row"], "TRN", TRN_TAKEN))
        return False
    if ("email", row["email"]) in new_keys:
        plan.problems.append(
            Problem(row["file"], row["row"], "email", _("This email address is in the file twice."))
        )
        return False
    new_keys.add(("email", row["email"]))
    if trn:
        new_keys.add(("trn", trn))
    return True


def _wanted_roles(plan, row, school_of_org, exported_on):
    starts = []
    for role in row["roles"]:
        school = school_of_org.get(role["org"])
        if school is None or role.get("to_be_deleted"):
            continue
        started_on = role.get("started_on") or exported_on
        if isinstance(started_on, str):
            started_on = dt.date.fromisoformat(started_on)
        group = role.get("staff_group") or StaffGroup.TEACHER
        starts.append(Start(school, role["role"], group, started_on))
    return starts


def _change(plan, state, person, row, wanted, managed, covered):
    change = Change(person=person)
    shared = person.pk in state.elsewhere
    if row["full_name"] and row["full_name"] != person.full_name:
        change.full_name = row["full_name"]
    if row["email"] != person.email.lower():
        if row["email"] in state.by_email and state.by_email[row["email"]].pk != person.pk:
            plan.problems.append(
                Problem(row["file"], row["row"], "email", _("Someone else has this email address."))
            )
        else:
            change.email = row["email"]
    if shared and (change.full_name or change.email):
        plan.notes.append(
            _(
                "%(name)s also works in another trust, so their name and email address stay as "
                "they are."
            )
            % {"name": person.full_name}
        )
        change.full_name = change.email = None
    if row["source_id"] and state.source_of.get(person.pk) != row["source_id"]:
        change.source_id = row["source_id"]
    trn = row.get("trn", "")
    if trn and state.trn_of.get(person.pk) != trn:
        holder = state.trn_holder.get(trn)
        if holder and holder != person.pk:
            plan.problems.append(
                Problem(
                    row["file"], row["row"], "TRN", _("Someone else in your trust has this TRN.")
                )
            )
        else:
            change.trn = trn
    held = {(m.school_id, m.role): m for m in state.roles_of.get(person.pk, [])}
    wanted_keys = set()
    for start in wanted:
        key = (start.school.pk, start.role)
        wanted_keys.add(key)
        membership = held.get(key)
        if membership is None:
            state.start_after_past_periods(person.pk, start)
            change.starts.append(start)
        elif start.role == Role.TEACHER and membership.staff_group != start.staff_group:
            change.regroups.append((membership, start.staff_group))
    for key, membership in held.items():
        if (
            key not in wanted_keys
            and membership.school_id in covered
            and membership.role in managed
        ):
            change.ends.append(membership)
    return change


def _open(membership):
    """Whether a role has no finishing date yet (one that has is already ending, and a roster
    leaves it be)."""
    return membership.finished_on is None


def _coaching_ending(plan):
    """How many coaching relationships end with the roles that end."""
    ending = [(m.user_id, m.school_id, m.role) for leaver in plan.leaving for m in leaver.ends]
    ending += [(m.user_id, m.school_id, m.role) for change in plan.changed for m in change.ends]
    if not ending:
        return 0
    return relationships_ending(ending).count()


def relationships_ending(ending):
    """The active coaching that ends when these (person, school, role) roles end: a teacher's
    own coaching there, and a coach's coaching of others there."""
    teachers, coaches = defaultdict(set), defaultdict(set)
    for person_id, school_id, role in ending:
        if role == Role.TEACHER:
            teachers[school_id].add(person_id)
        elif role == Role.COACH:
            coaches[school_id].add(person_id)
    condition = Q(pk__in=[])
    for school_id, people in teachers.items():
        condition |= Q(school_id=school_id, teacher_id__in=sorted(people))
    for school_id, people in coaches.items():
        condition |= Q(school_id=school_id, coach_id__in=sorted(people))
    return Relationship.objects.filter(condition, finished_on__isnull=True)
