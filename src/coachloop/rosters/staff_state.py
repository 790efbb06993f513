"""The trust as a staff import finds it, read once: its schools, the organisations an
administrator confirmed, who has which identifier, everyone's current roles, and the people a
file names, so that checking a file costs a handful of queries whatever its size."""

import datetime as dt

from django.db.models import Max, Q
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import ExternalId, Membership, School, User
from coachloop.rosters.models import OrgMapping

LOOKUP_CHUNK = 500


def chunks(values):
    """``values``, sorted, a few hundred at a time: short enough for any database's limit on
    the values one query may take (SQLite's is the lowest)."""
    values = sorted(values)
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


class TrustState:
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
        self.person_by_source, self.source_of, self.trn_of = {}, {}, {}
        for kind, value, person_id in ids:
            if kind == ExternalId.Kind.ONEROSTER:
                self.person_by_source[value] = person_id
                self.source_of[person_id] = value
            else:
                self.trn_of[person_id] = value
        self.trn_holder = {value: pk for pk, value in self.trn_of.items()}
        # Roles held on the export's date or begun since (a roster dated before a role began
        # must not start it a second time), at a school.
        self.roles_of = {}
        held = (
            Membership.objects.filter(trust=trust, school__isnull=False)
            .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=on))
            .select_related("school", "user")
        )
        for membership in held:
            self.roles_of.setdefault(membership.user_id, []).append(membership)
        self.people = {}
        self.by_email = {}
        self.here = set()
        self.elsewhere_now = set()
        self.last_finished = {}

    def load_people(self, emails, person_ids):
        """The people the file names (by email or identifier) and everyone with a role here."""
        for chunk in chunks(set(emails)):
            for person in User.objects.filter(email__in=chunk):
                self.people[person.pk] = person
        missing = (set(person_ids) | set(self.roles_of)) - set(self.people)
        for chunk in chunks(missing):
            for person in User.objects.filter(pk__in=chunk):
                self.people[person.pk] = person
        self.by_email = {p.email.lower(): p for p in self.people.values()}
        pks = list(self.people)
        if not pks:
            return
        today = timezone.localdate()
        self.here = set(self.source_of) | set(self.trn_of)
        for chunk in chunks(pks):
            # Who works in another trust now: yes or no only, as people.services.elsewhere.
            with scopes_disabled():
                self.elsewhere_now |= set(
                    Membership.objects.filter(user_id__in=chunk)
                    .exclude(trust=self.trust)
                    .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=today))
                    .values_list("user_id", flat=True)
                )
            # Who is, or was, this trust's: a role here at any time, or an identifier here.
            here = Membership.objects.filter(user_id__in=chunk, trust=self.trust)
            self.here |= set(here.values_list("user_id", flat=True))
            finished = (
                here.filter(finished_on__isnull=False)
                .values("user_id", "school_id", "role")
                .annotate(last=Max("finished_on"))
            )
            for row in finished:
                self.last_finished[(row["user_id"], row["school_id"], row["role"])] = row["last"]

    def start_after_past_periods(self, person_id, start):
        """A new period begins after any earlier one of the same role in the same school."""
        last = self.last_finished.get((person_id, start.school.pk, start.role))
        if last is not None and start.started_on <= last:
            start.started_on = last + dt.timedelta(days=1)
