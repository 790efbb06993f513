"""What rosters hold about a person (``common.personal_data``): the imports they uploaded or
applied and the organisations they matched, and their row in the staff files imported.

Erasure keeps the history of imports (naming the person only by the pseudonymised account)
but clears the rows read from every finished import that held them, so their name and email
address do not survive in an old staff file; retention clears the rows of every import that
finished before the cutoff.
"""

import json
from collections import Counter

from django.db.models import Q
from django.utils.translation import gettext as _

from coachloop.common.personal_data import Contributor, Section, record_of
from coachloop.rosters.models import OrgMapping, RosterImport

FINISHED = (RosterImport.Status.APPLIED, RosterImport.Status.FAILED, RosterImport.Status.PROBLEMS)
CLEARED = {"records": {}, "plan": {}, "problems": []}

COVERS = {
    "rosters.RosterImport": "kept, naming the person only by the pseudonymised account; the "
    "rows read from each finished import that held them cleared",
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


def _holds(roster_import, needles):
    text = json.dumps([roster_import.records, roster_import.plan, roster_import.problems])
    text = text.lower()
    return any(needle and needle.lower() in text for needle in needles)


def erase(person, trust):
    counts = Counter()
    finished = RosterImport.objects.filter(trust=trust, status__in=FINISHED)
    holding = [i.pk for i in finished if _holds(i, (person.email, person.full_name))]
    cleared = RosterImport.objects.filter(pk__in=holding).update(**CLEARED)
    if cleared:
        counts[_("Roster imports: rows read from the file cleared")] += cleared
    return counts


def expire(trust, cutoff):
    counts = Counter()
    old = RosterImport.objects.filter(trust=trust, status__in=FINISHED, created_at__date__lt=cutoff)
    cleared = old.exclude(records={}, plan={}).update(**CLEARED)
    if cleared:
        counts[_("Roster imports: rows read from the file cleared")] += cleared
    return counts


CONTRIBUTOR = Contributor(covers=COVERS, export=export, erase=erase, expire=expire)
