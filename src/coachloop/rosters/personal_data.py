"""What rosters hold about a person (``common.personal_data``): the imports they uploaded or
applied and the organisations they matched, and their rows in the staff files imported.

An import keeps what it read (``records``: ``{"orgs": {...}, "staff": [row, ...]}``, see
``storage.records_from_bundle``), what applying does (``plan``: ``storage.plan_for_display``,
lists of people "new", "changed" and "leaving", and "notes") and what is wrong (``problems``:
``Problem.as_dict()``, by file and row), whatever its status.

Erasure keeps the history of imports (naming the person only by the pseudonymised account).
From an applied or failed import it removes only the person's own rows, the plan's entries
and notes about them and the problems on their rows or naming them: everyone else's import
history stays. An import not yet applied (being checked, with problems, ready or being
applied) that holds them is stopped: marked not applied, saying why, and cleared; the file
can be uploaded again. Retention clears what every import made before the cutoff holds.
"""

from collections import Counter

from django.db.models import Q
from django.utils.translation import gettext as _

from coachloop.common.personal_data import Contributor, Section, record_of
from coachloop.people.models import ExternalId
from coachloop.rosters.models import OrgMapping, RosterImport

Status = RosterImport.Status
DONE = (Status.APPLIED, Status.FAILED)
CLEARED = {"records": {}, "plan": {}, "problems": []}
SHORTEST = 4  # a shorter name or identifier could be part of other words


def _stopped():
    return _(
        "Not applied: someone named in the file was erased at their request, so what was read "
        "from it was cleared. Upload the file again to import it."
    )


def _expired():
    return _("Not applied: the retention period ran out, so what was read from it was cleared.")


COVERS = {
    "rosters.RosterImport": "kept, naming the person only by the pseudonymised account; their "
    "rows, the plan's entries about them and the problems naming them removed from every "
    "import; an import not yet applied that held them marked not applied and cleared",
    "rosters.OrgMapping": "kept, naming the person only by the pseudonymised account",
}


def export(person, trust, *, for_person_themself):
    imports = RosterImport.objects.filter(
        Q(uploaded_by=person) | Q(applied_by=person), trust=trust
    ).only("kind", "status", "file_name", "created_at", "uploaded_by", "applied_by", "applied_at")
    fields = ("kind", "status", "file_name", "created_at", "applied_at")
    return [
        Section(
            key="rosters.imports",
            heading=_("Imports you uploaded or applied, organisations you matched"),
            records=[{name: record_of(i).get(name) for name in fields} for i in imports]
            + [record_of(m) for m in OrgMapping.objects.filter(confirmed_by=person, trust=trust)],
        )
    ]


def _strings(value):
    """Every text in a JSON structure (keys are field names, never personal)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


class _Whom:
    """How an import names a person: their email address (any case), name, or an identifier
    (OneRoster sourcedId, TRN) exactly in a field; any of these inside a text."""

    def __init__(self, person, trust):
        self.emails = {person.email.casefold()} - {""}
        self.names = {person.full_name.casefold()} - {""}
        self.ids = set(
            ExternalId.objects.filter(person=person, trust=trust).values_list("value", flat=True)
        ) - {""}
        found = self.emails | self.names | {i.casefold() for i in self.ids}
        self.needles = [needle for needle in found if len(needle) >= SHORTEST]

    def in_text(self, value):
        return any(needle in text.casefold() for text in _strings(value) for needle in self.needles)

    def is_row(self, row):
        """A staff row of ``records`` (or a person in the plan: "name", "email")."""
        return (
            str(row.get("email", "")).casefold() in self.emails
            or str(row.get("full_name", row.get("name", ""))).casefold() in self.names
            or (row.get("source_id") or None) in self.ids
            or (row.get("trn") or None) in self.ids
        )


def _without(roster_import, whom):
    """``records``, ``plan`` and ``problems`` less what names ``whom``."""
    records = dict(roster_import.records or {})
    staff = records.get("staff", [])
    theirs = [row for row in staff if whom.is_row(row) or whom.in_text(row)]
    where = {(row.get("file"), row.get("row")) for row in theirs}
    if staff:
        records["staff"] = [row for row in staff if row not in theirs]
    plan = dict(roster_import.plan or {})
    for key in ("new", "changed", "leaving"):
        if key in plan:
            plan[key] = [e for e in plan[key] if not (whom.is_row(e) or whom.in_text(e))]
    if "notes" in plan:
        plan["notes"] = [note for note in plan["notes"] if not whom.in_text(note)]
    problems = [
        p
        for p in roster_import.problems or []
        if (p.get("file"), p.get("row")) not in where and not whom.in_text(p)
    ]
    return records, plan, problems


def erase(person, trust):
    counts = Counter()
    whom = _Whom(person, trust)
    imports = RosterImport.objects.filter(trust=trust, kind=RosterImport.Kind.STAFF)
    for roster_import in imports:
        held = (roster_import.records, roster_import.plan, roster_import.problems)
        if not whom.in_text(held) and not any(whom.is_row(r) for r in _people_in(held)):
            continue
        if roster_import.status in DONE:
            records, plan, problems = _without(roster_import, whom)
            RosterImport.objects.filter(pk=roster_import.pk).update(
                records=records, plan=plan, problems=problems
            )
            counts[_("Roster imports: their rows and the plan's entries about them removed")] += 1
        else:
            RosterImport.objects.filter(pk=roster_import.pk).update(
                **CLEARED, status=Status.FAILED, failure=_stopped()
            )
            counts[_("Roster imports not yet applied: stopped and cleared")] += 1
    return counts


def _people_in(held):
    records, plan, _problems = held
    people = list((records or {}).get("staff", []))
    for key in ("new", "changed", "leaving"):
        people += (plan or {}).get(key, [])
    return [p for p in people if isinstance(p, dict)]


def expire(trust, cutoff):
    counts = Counter()
    old = RosterImport.objects.filter(trust=trust, created_at__date__lt=cutoff).exclude(
        records={}, plan={}, problems=[]
    )
    cleared = old.filter(status__in=DONE).update(**CLEARED)
    cleared += old.exclude(status__in=DONE).update(
        **CLEARED, status=Status.FAILED, failure=_expired()
    )
    if cleared:
        counts[_("Roster imports: rows read from the file cleared")] += cleared
    return counts


CONTRIBUTOR = Contributor(covers=COVERS, export=export, erase=erase, expire=expire)
