"""Reading learning agreements, given who is asking.

An agreement is content: only its parties reach it (and a coach whose coaching ended, for the
period the school sets, to read). Anyone else gets a 404, never a hint that it exists. A
party reading a relationship's agreement who is not its teacher (the coach) is recorded in
the audit trail the teacher sees; in co-coaching both people are teachers of the pair, and
in a group every member is a party, so their reads of their own agreement are not.
"""

from dataclasses import dataclass, field

import rules
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse

from coachloop.coaching.models import (
    AgreementConsent,
    AgreementVersion,
    CoachingGroup,
    GroupMember,
    Relationship,
)
from coachloop.coaching.rules.groups import STAFF_ROLES
from coachloop.coaching.services.agreements import TERMS, owner_pk
from coachloop.common.audit import audit_read
from coachloop.people.rules import check_runs_school

READ = "coaching.read_agreement"
CHANGE = "coaching.change_agreement"
READ_GROUP = "coaching.read_group_agreement"
CHANGE_GROUP = "coaching.change_group_agreement"

IN_FORCE = "in_force"
EARLIER = "earlier"  # was in force, until a later version came into force
WAITING = "waiting"  # the latest version, not yet agreed by everyone
REPLACED = "replaced"  # a newer version was proposed before everyone agreed to this one


@dataclass
class Agreement:
    """One relationship's or group's agreement, all its versions, and what the viewer may do."""

    viewer_pk: int
    relationship: Relationship | None  # the row the agreement hangs on
    group: CoachingGroup | None
    parties: list
    versions: list  # newest first; each has .state, .changed, .consent_list, .until, .url
    can_change: bool
    in_force: AgreementVersion | None = None
    latest: AgreementVersion | None = None
    waiting_for: list = field(default_factory=list)  # parties yet to agree to the latest

    @property
    def waiting(self):
        """The latest version while it waits for someone's agreement."""
        if self.latest is not None and self.latest.in_force_from is None:
            return self.latest
        return None

    @property
    def needs_my_agreement(self):
        return (
            self.can_change
            and self.latest is not None
            and self.viewer_pk not in {c.person_id for c in self.latest.consent_list}
        )

    @property
    def can_confirm(self):
        """Everyone now a party agreed to the waiting version (someone else left meanwhile)."""
        return self.can_change and self.waiting is not None and not self.waiting_for

    @property
    def is_running(self):
        subject = self.group or self.relationship
        return subject.finished_on is None

    @property
    def names(self):
        return [person.full_name or person.email for person in self.parties]

    def url(self, name, *args):
        if self.group is not None:
            return reverse(f"coaching:group_{name}", args=[self.group.pk, *args])
        return reverse(f"coaching:{name}", args=[self.relationship.pk, *args])

    @property
    def page_url(self):
        return self.url("agreement")

    @property
    def propose_url(self):
        return self.url("agreement_propose")


def _versions(**subject):
    return list(
        AgreementVersion.objects.filter(**subject)
        .select_related("proposed_by")
        .prefetch_related(
            Prefetch(
                "consents",
                queryset=AgreementConsent.objects.select_related("person"),
                to_attr="consent_list",
            )
        )
        .order_by("-number")
    )


def _agreement(viewer, *, relationship=None, group=None, parties, can_change):
    versions = _versions(
        **({"group": group} if group is not None else {"relationship": relationship})
    )
    agreement = Agreement(
        viewer_pk=viewer.pk,
        relationship=relationship,
        group=group,
        parties=parties,
        versions=versions,
        can_change=can_change,
    )
    in_force_later = None  # the in-force time of the next newer version that came into force
    for position, version in enumerate(versions):
        older = versions[position + 1] if position + 1 < len(versions) else None
        version.changed = (
            [name for name in TERMS if getattr(version, name) != getattr(older, name)]
            if older
            else []
        )
        version.url = agreement.url("agreement_version", version.number)
        version.agree_url = agreement.url("agreement_agree", version.number)
        version.until = None
        if version.in_force_from is not None:
            if agreement.in_force is None:
                version.state = IN_FORCE
                agreement.in_force = version
            else:
                version.state = EARLIER
                version.until = in_force_later
            in_force_later = version.in_force_from
        elif position == 0:
            version.state = WAITING
        else:
            version.state = REPLACED
    if versions:
        agreement.latest = versions[0]
        agreed = {consent.person_id for consent in versions[0].consent_list}
        agreement.waiting_for = [person for person in parties if person.pk not in agreed]
    return agreement


def agreement_shown(viewer, agreement, *, version=None):
    """The coach (or a former coach) reading a relationship's agreement: the teacher is told."""
    relationship = agreement.relationship
    if relationship is None:
        return
    teachers = {relationship.teacher_id}
    if relationship.peer_id:
        teachers.add(relationship.coach_id)
    shown = version or agreement.in_force or agreement.latest
    if viewer.pk in teachers or shown is None:
        return
    audit_read(
        viewer=viewer.user,
        target=shown,
        subject=relationship.teacher,
        summary=f"learning agreement, version {shown.number}",
    )


def relationship_agreement(viewer, relationship_id, *, change=False, audit=True):
    """The agreement of a relationship the viewer is a party to, or 404.

    With ``change``, only a party who may still propose and agree gets it. ``audit`` is for
    pages that show the agreement's content; a write that shows nothing passes False, and a
    form that shows it only when it is not saved calls ``agreement_shown`` on that path.
    """
    relationship = (
        Relationship.objects.select_related(
            "teacher", "coach", "school", "peer__teacher", "peer__coach"
        )
        .filter(pk=relationship_id)
        .first()
    )
    if relationship is None or not rules.test_rule(READ, viewer, relationship):
        raise Http404
    can_change = rules.test_rule(CHANGE, viewer, relationship)
    if change and not can_change:
        raise Http404
    owner = relationship
    if owner_pk(relationship) != relationship.pk:
        owner = relationship.peer
    parties = [person for person in (owner.teacher, owner.coach) if person is not None]
    agreement = _agreement(viewer, relationship=owner, parties=parties, can_change=can_change)
    if audit:
        agreement_shown(viewer, agreement)
    return agreement


def group_agreement(viewer, group_id, *, change=False):
    """The agreement of a group the viewer is a current member of, or 404."""
    group = CoachingGroup.objects.select_related("school").filter(pk=group_id).first()
    if group is None or not rules.test_rule(READ_GROUP, viewer, group):
        raise Http404
    can_change = rules.test_rule(CHANGE_GROUP, viewer, group)
    if change and not can_change:
        raise Http404
    members = list(
        GroupMember.objects.filter(group=group, left_on__isnull=True)
        .select_related("person")
        .order_by("person__full_name", "pk")
    )
    parties = [member.person for member in members]
    return _agreement(viewer, group=group, parties=parties, can_change=can_change)


def version_of(viewer, agreement, number):
    """One version of an agreement already read, or 404. Reading it is audited as above."""
    version = next((v for v in agreement.versions if v.number == number), None)
    if version is None:
        raise Http404
    agreement_shown(viewer, agreement, version=version)
    return version


# -- lists ------------------------------------------------------------------------------------


@dataclass
class AgreementRow:
    """One agreement the viewer is a party to, as a list shows it (no content)."""

    title: str
    kind: str  # the relationship's kind, or the group's
    url: str
    is_running: bool
    in_force_number: int | None = None
    latest_number: int | None = None
    waiting_for_me: bool = False
    can_change: bool = False

    @property
    def is_waiting(self):
        return self.latest_number is not None and self.latest_number != self.in_force_number


def my_agreements(viewer):
    """Every agreement the viewer may read: their coaching (each co-coaching pair once) and
    their groups, running ones first. Four queries, however many there are."""
    relationships = [
        relationship
        for relationship in Relationship.objects.filter(
            Q(teacher=viewer.user) | Q(coach=viewer.user), coach__isnull=False
        )
        .select_related("teacher", "coach", "peer")
        .order_by("finished_on", "-started_on", "pk")
        if rules.test_rule(READ, viewer, relationship)
    ]
    memberships = [
        member
        for member in GroupMember.objects.filter(person=viewer.user, left_on__isnull=True)
        .select_related("group")
        .order_by("group__finished_on", "group__name", "group__pk")
        if viewer.roles(member.group.school_id) & STAFF_ROLES
    ]
    rows, by_relationship, by_group, seen = [], {}, {}, set()
    for relationship in relationships:
        owner = owner_pk(relationship)
        if owner in seen:
            continue
        seen.add(owner)
        other = relationship.coach if relationship.teacher_id == viewer.pk else relationship.teacher
        row = AgreementRow(
            title=other.full_name or other.email,
            kind=relationship.get_kind_display(),
            url=reverse("coaching:agreement", args=[owner]),
            is_running=relationship.finished_on is None,
            can_change=rules.test_rule(CHANGE, viewer, relationship),
        )
        by_relationship[owner] = row
        rows.append(row)
    for member in memberships:
        group = member.group
        row = AgreementRow(
            title=group.name,
            kind=group.get_kind_display(),
            url=reverse("coaching:group_agreement", args=[group.pk]),
            is_running=group.finished_on is None,
            can_change=group.finished_on is None,
        )
        by_group[group.pk] = row
        rows.append(row)
    if not rows:
        return []
    versions = AgreementVersion.objects.filter(
        Q(relationship_id__in=list(by_relationship)) | Q(group_id__in=list(by_group))
    ).values_list("pk", "relationship_id", "group_id", "number", "in_force_from")
    latest_pks = {}
    for pk, relationship_id, group_id, number, in_force_from in versions:
        row = by_relationship[relationship_id] if relationship_id else by_group[group_id]
        if row.latest_number is None or number > row.latest_number:
            row.latest_number = number
            latest_pks[id(row)] = pk
        if in_force_from is not None and (
            row.in_force_number is None or number > row.in_force_number
        ):
            row.in_force_number = number
    agreed = set(
        AgreementConsent.objects.filter(
            person=viewer.user, version_id__in=list(latest_pks.values())
        ).values_list("version_id", flat=True)
    )
    for row in rows:
        row.waiting_for_me = (
            row.can_change and row.latest_number is not None and latest_pks[id(row)] not in agreed
        )
    rows.sort(key=lambda row: (not row.waiting_for_me, not row.is_running))  # stable
    return rows


def agreements_waiting_for(viewer):
    """The agreements with a version waiting for the viewer's agreement (for home pages)."""
    return [row for row in my_agreements(viewer) if row.waiting_for_me]


AGREED = "agreed"
WAITING_FOR_AGREEMENT = "waiting"
NONE_YET = "none"


def agreement_states(viewer, *, school):
    """Activity for a coaching lead: for each running relationship in a school they lead,
    whether its agreement is in force ("agreed"), has a change waiting ("waiting") or has not
    been written ("none"). No content, and nothing about who has or has not agreed."""
    check_runs_school(viewer, school, hide=True)
    owners = {
        relationship.pk: owner_pk(relationship)
        for relationship in Relationship.objects.filter(
            school=school, finished_on__isnull=True
        ).only("peer_id")
    }
    latest, in_force = {}, {}
    for relationship_id, number, in_force_from in AgreementVersion.objects.filter(
        relationship_id__in=set(owners.values())
    ).values_list("relationship_id", "number", "in_force_from"):
        latest[relationship_id] = max(number, latest.get(relationship_id, 0))
        if in_force_from is not None:
            in_force[relationship_id] = max(number, in_force.get(relationship_id, 0))
    states = {}
    for pk, owner in owners.items():
        if owner not in latest:
            states[pk] = NONE_YET
        elif latest[owner] == in_force.get(owner):
            states[pk] = AGREED
        else:
            states[pk] = WAITING_FOR_AGREEMENT
    return states
