"""What a staff roster would change in a trust: worked out from the rows read and the trust as
it is now, before anything is written, and again, inside the transaction, when it is applied.

People are matched by their OneRoster ``sourcedId`` first, then by email address, and only
people who are, or were, the trust's. A file speaks for the roles it can list (``MANAGED``)
and does list, at the schools its staff rows name. Someone in it is given the roles it lists
there and, in a full export, loses the ones it no longer lists; someone with such a role who
is missing from a full export, or marked to be deleted, has left, and every role they hold
there ends on the export's date. A changes-only export ends only what it marks to be deleted.
Nothing is ever deleted.
"""

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coachloop.coaching.models import Relationship
from coachloop.people.models import Membership, Role, School, User
from coachloop.rosters.records import Problem
from coachloop.rosters.staff_state import TrustState

# The roles each kind of file can speak for (of those it lists at all). A OneRoster export knows
# who teaches and who leads a school; a staff spreadsheet, written for Coachloop, also names
# coaches and coaching leads.
MANAGED = {
    "oneroster": frozenset({Role.TEACHER, Role.HEADTEACHER}),
    "staff": frozenset({Role.TEACHER, Role.COACH, Role.COACHING_LEAD, Role.HEADTEACHER}),
}
SCHOOL_ROLES = MANAGED["staff"]
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
    coaching_ending: list[int] = field(default_factory=list)

    def counts(self):
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "leaving": len(self.leaving),
            "unchanged": self.unchanged,
            "coaching_ending": len(self.coaching_ending),
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
            "coaching": self.coaching_ending,
            "on": self.exported_on.isoformat(),
        }
        encoded = json.dumps(actions, sort_keys=True, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()


def _starts_key(starts):
    return sorted((s.school.pk, s.role, s.staff_group, s.started_on.isoformat()) for s in starts)


LIMITS = {
    "full_name": User._meta.get_field("full_name").max_length,
    "email": 254,
    "source_id": 255,
}
COLUMNS = {"full_name": "name", "email": "email", "source_id": "sourcedId"}
EMAIL_NOT_HERE = _lazy(
    "This email address cannot be used here. Check it with the person; if it is right, "
    "Coachloop's operators can help."
)


def staff_plan(*, trust, records, source_format, exported_on, full_export, on_progress=None):
    """What applying ``records`` (the stored rows of a roster) to ``trust`` would do.

    ``on_progress(rows_read)`` is called every few hundred rows. Reads the trust in a
    handful of queries; the caller holds the trust scope (and, when applying, the
    transaction)."""
    plan = StaffPlan(exported_on=exported_on)
    staff, orgs = records["staff"], records["orgs"]
    run = _Run(
        plan=plan,
        state=TrustState(trust, exported_on),
        can_list=managed_roles(source_format),
        full_export=full_export,
    )
    run.school_of_org = _resolve_orgs(plan, run.state, orgs, staff)
    run.covered = {school.pk for school in run.school_of_org.values() if school is not None}
    run.note_listed(staff)
    sources = run.state.person_by_source
    run.state.load_people(
        [row["email"] for row in staff],
        [sources[row["source_id"]] for row in staff if row["source_id"] in sources],
    )
    for index, row in enumerate(staff, start=1):
        run.row(row)
        if on_progress and index % 200 == 0:
            on_progress(index)
    run.absent()
    plan.coaching_ending = _coaching_ending(plan)
    if on_progress:
        on_progress(len(staff))
    return plan


@dataclass
class _Run:
    """One pass over a file's rows."""

    plan: StaffPlan
    state: TrustState
    can_list: frozenset
    full_export: bool
    listed_at: dict = field(default_factory=lambda: defaultdict(set))
    school_of_org: dict = field(default_factory=dict)
    covered: set = field(default_factory=set)
    seen: set = field(default_factory=set)
    new_emails: set = field(default_factory=set)
    trn_claims: dict = field(default_factory=dict)
    closed_noted: set = field(default_factory=set)

    def note_listed(self, staff):
        """Which roles the file lists at each school, among those it can list: it speaks only
        for those, school by school (a school whose MIS exports no administrators says
        nothing about who leads it). Rows and roles marked to be deleted list nothing."""
        for row in staff:
            if row.get("to_be_deleted"):
                continue
            for role in row["roles"]:
                school = self.school_of_org.get(role["org"])
                if school is not None and not role.get("to_be_deleted"):
                    self.listed_at[school.pk].add(role["role"])

    def speaks_for(self, membership):
        """Whether the file speaks for this role: one it lists at a school it covers."""
        return (
            membership.school_id in self.covered
            and membership.role in self.can_list
            and membership.role in self.listed_at.get(membership.school_id, ())
        )

    def problem(self, row, column, message):
        self.plan.problems.append(Problem(row["file"], row["row"], column, str(message)))

    def row(self, row):
        if not self._fits(row):
            return
        if row.get("to_be_deleted"):
            self._deleted(row)
            return
        person, refused = _match(self, row)
        if refused:
            return
        if person is not None:
            if person.pk in self.seen:
                self.problem(row, "email", _("This person is in the file twice."))
                return
            self.seen.add(person.pk)
        if person is None:
            self._new(row)
        else:
            change = self._change(person, row)
            if change:
                self.plan.changed.append(change)
            else:
                self.plan.unchanged += 1

    def _deleted(self, row):
        """Someone the file marks as deleted has left the schools it names (every school of
        the trust, when it names none). Someone who is not the trust's has nothing here to
        end: that is no problem."""
        person = _known(self.state, row)
        if person is None or person.pk in self.seen:
            return
        self.seen.add(person.pk)
        self._leave(person, self._schools_of(row) or None)

    def _fits(self, row):
        for key, limit in LIMITS.items():
            if len(row.get(key) or "") > limit:
                self.problem(
                    row,
                    COLUMNS[key],
                    _("This is longer than Coachloop keeps (%(limit)s characters).")
                    % {"limit": limit},
                )
                return False
        return True

    def _schools_of(self, row):
        return {
            self.school_of_org[role["org"]].pk
            for role in row["roles"]
            if self.school_of_org.get(role["org"]) is not None
        }

    def _claim_trn(self, row, owner):
        """Whether the row's TRN may be this owner's: no one else has it, here or in the file."""
        trn = row.get("trn", "")
        if not trn:
            return True
        holder = self.state.trn_holder.get(trn)
        claimed = self.trn_claims.setdefault(trn, owner)
        if (holder is not None and holder != owner) or claimed != owner:
            self.problem(row, "TRN", TRN_TAKEN)
            return False
        return True

    def _wanted(self, row):
        """The roles the row gives, at schools of the trust that are open."""
        starts = []
        for role in row["roles"]:
            school = self.school_of_org.get(role["org"])
            if school is None or role.get("to_be_deleted"):
                continue
            if school.closed_on and school.closed_on <= self.state.on:
                if school.pk not in self.closed_noted:
                    self.closed_noted.add(school.pk)
                    self.plan.notes.append(
                        _("%(school)s has closed: no role is started there.")
                        % {"school": school.name}
                    )
                continue
            started_on = role.get("started_on") or self.state.on
            if isinstance(started_on, str):
                started_on = dt.date.fromisoformat(started_on)
            starts.append(Start(school, role["role"], role.get("staff_group") or "", started_on))
        return starts

    def _new(self, row):
        if row["email"] in self.new_emails:
            self.problem(row, "email", _("This email address is in the file twice."))
            return
        self.new_emails.add(row["email"])
        if not self._claim_trn(row, ("new", row["email"])):
            return
        starts = self._wanted(row)
        if starts:
            self.plan.new.append(
                NewPerson(
                    row=row["row"],
                    file=row["file"],
                    email=row["email"],
                    full_name=row["full_name"],
                    source_id=row["source_id"],
                    trn=row.get("trn", ""),
                    starts=starts,
                )
            )

    def _change(self, person, row):
        state = self.state
        change = Change(person=person)
        if row["full_name"] and row["full_name"] != person.full_name:
            change.full_name = row["full_name"]
        if row["email"] != person.email.lower():
            holder = state.by_email.get(row["email"])
            if holder is not None and holder.pk != person.pk:
                self.problem(row, "email", _("Someone else has this email address."))
            else:
                change.email = row["email"]
        if person.pk in state.elsewhere_now and (change.full_name or change.email):
            self.plan.notes.append(
                _(
                    "%(name)s also works in another trust, so their name and email address "
                    "stay as they are."
                )
                % {"name": person.full_name}
            )
            change.full_name = change.email = None
        if row["source_id"] and state.source_of.get(person.pk) != row["source_id"]:
            change.source_id = row["source_id"]
        trn = row.get("trn", "")
        if trn and state.trn_of.get(person.pk) != trn and self._claim_trn(row, person.pk):
            change.trn = trn
        held = {(m.school_id, m.role): m for m in state.roles_of.get(person.pk, [])}
        wanted_keys = set()
        for start in self._wanted(row):
            key = (start.school.pk, start.role)
            wanted_keys.add(key)
            membership = held.get(key)
            if membership is None:
                state.start_after_past_periods(person.pk, start)
                change.starts.append(start)
            elif (
                start.staff_group  # the file says which group: OneRoster never does
                and start.role == Role.TEACHER
                and membership.staff_group != start.staff_group
                and self._endable(membership)
            ):
                change.regroups.append((membership, start.staff_group))
        ending = {
            (self.school_of_org[role["org"]].pk, role["role"])
            for role in row["roles"]
            if role.get("to_be_deleted") and self.school_of_org.get(role["org"]) is not None
        }
        for key, membership in held.items():
            if not self._endable(membership):
                continue
            gone = self.full_export and key not in wanted_keys and self.speaks_for(membership)
            if (key in ending and key not in wanted_keys) or gone:
                change.ends.append(membership)
        return change

    def _endable(self, membership):
        """A role a file may end: it has no finishing date yet (one that has is already
        ending), and it had begun by the export's date (a joiner starting later is not
        leaving)."""
        return membership.finished_on is None and membership.started_on <= self.state.on

    def _leave(self, person, schools):
        """The person has left these schools (``None``: every school of the trust)."""
        ends = [
            m
            for m in self.state.roles_of.get(person.pk, [])
            if self._endable(m) and (schools is None or m.school_id in schools)
        ]
        if ends:
            self.plan.leaving.append(Leaver(person=person, ends=ends))

    def absent(self):
        """In a full export, someone the file does not name who holds a role it speaks for at
        a school it covers has left those schools."""
        if not self.full_export:
            return
        for person_id, memberships in self.state.roles_of.items():
            if person_id in self.seen:
                continue
            if any(self._endable(m) and self.speaks_for(m) for m in memberships):
                self._leave(self.state.people[person_id], self.covered)


def _resolve_orgs(plan, state, orgs, staff):
    """Each organisation the staff rows name, as a school of the trust, or ``None`` and a
    problem (with the organisation offered for the administrator to match once). The schools
    found are the ones the file covers: a school with no staff row in the file is not taken to
    have lost its staff."""
    used = {role["org"] for row in staff for role in row["roles"]}
    resolved = {}
    for key in sorted(used):
        org = orgs.get(key, {"key": key, "name": "", "urn": "", "type": "school"})
        school = state.mappings.get(key)
        if school is None and org.get("urn"):
            school = state.schools_by_urn.get(org["urn"])
        resolved[key] = school
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
    return resolved


def _known(state, row):
    """The person this row is, if they are, or were, the trust's; otherwise ``None``."""
    person = state.people.get(state.person_by_source.get(row["source_id"]))
    if person is None:
        person = state.by_email.get(row["email"])
    return person if person is not None and person.pk in state.here else None


def _match(run, row):
    """The person this row is, by sourcedId, else by email address, and whether the row is
    refused. Only someone who is, or was, the trust's is matched: anyone else's account is
    not the trust's to change."""
    state = run.state
    person = None
    if row["source_id"]:
        person = state.people.get(state.person_by_source.get(row["source_id"]))
    if person is None:
        person = state.by_email.get(row["email"])
        other_source = state.source_of.get(person.pk) if person is not None else None
        if row["source_id"] and other_source not in (None, row["source_id"]):
            run.problem(
                row,
                "email",
                _(
                    "Someone else in your trust already has this email address, with another "
                    "sourcedId (%(other)s)."
                )
                % {"other": other_source},
            )
            return None, True
    if person is not None and person.pk not in state.here:
        run.problem(row, "email", EMAIL_NOT_HERE)
        return None, True
    return person, False


def _coaching_ending(plan):
    """The coaching relationships that end with the roles that end, by id."""
    ending = [(m.user_id, m.school_id, m.role) for leaver in plan.leaving for m in leaver.ends]
    ending += [(m.user_id, m.school_id, m.role) for change in plan.changed for m in change.ends]
    if not ending:
        return []
    found = relationships_ending(ending).values_list("pk", "peer_id")
    # Co-coaching ends as a pair: the peer's relationship ends too.
    return sorted({pk for pair in found for pk in pair if pk is not None})


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
    # Coaching not yet begun is not a roster's to end (coaching refuses to end it before it
    # starts): it is left for the coaching lead.
    return Relationship.objects.filter(
        condition, finished_on__isnull=True, started_on__lte=timezone.localdate()
    )
