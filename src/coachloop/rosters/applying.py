"""Applying a staff import's plan, inside the transaction ``services.staff_import_apply``
holds: bulk writes for the people added (a trust's first import can bring in thousands),
each change and leaver through the services that audit them, and the coaching of people who
left ended through coaching's own service."""

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from coachloop.coaching.models import DropIn
from coachloop.coaching.services.relationships import relationship_end
from coachloop.common.models import AuditEvent
from coachloop.people import services as people_services
from coachloop.people.models import ExternalId, Membership, StaffGroup, User
from coachloop.rosters.progress import EVERY
from coachloop.rosters.staff_plan import relationships_ending


def apply_plan(plan, *, actor, roster_import, progress):
    """Write what ``plan`` says; return the counts of what was done."""
    trust = roster_import.trust
    done = 0
    events = []

    def event(verb, target, subject, summary=""):
        events.append(
            AuditEvent(
                trust=trust,
                actor=actor,
                subject=subject,
                verb=verb,
                target_type=target._meta.label_lower,
                target_id=str(target.pk),
                summary=summary[:200],
            )
        )

    def step(count=1):
        nonlocal done
        before = done // EVERY
        done += count
        if done // EVERY != before:
            progress.applied(done)

    coaching_ended = _end_coaching(plan, actor=actor)

    people = []
    for new in plan.new:
        person = User(email=new.email, full_name=new.full_name)
        # No password until they choose one from an emailed link (or sign in with the trust's
        # own accounts): hashing one nobody knows would cost a second a person.
        person.set_unusable_password()
        people.append(person)
    User.objects.bulk_create(people, batch_size=500)
    identifiers, memberships = [], []
    for new, person in zip(plan.new, people, strict=True):
        if new.source_id:
            identifiers.append(
                ExternalId(trust=trust, person=person, kind="oneroster", value=new.source_id)
            )
        if new.trn:
            identifiers.append(ExternalId(trust=trust, person=person, kind="trn", value=new.trn))
        for start in new.starts:
            memberships.append(_membership(trust, person, start))
        event("person.added", person, person, f"from import {roster_import.pk}")
        step()
    ExternalId.objects.bulk_create(identifiers, batch_size=500)
    Membership.objects.bulk_create(memberships, batch_size=500)
    for membership in memberships:
        event("membership.started", membership, membership.user, str(membership))

    started = len(memberships)
    ended = 0
    for change in plan.changed:
        started_here, ended_here = _apply_change(
            change, actor=actor, trust=trust, event=event, on=plan.exported_on
        )
        started += started_here
        ended += ended_here
        step()
    for leaver in plan.leaving:
        for membership in leaver.ends:
            _finish(membership, actor=actor, on=plan.exported_on)
            ended += 1
        step()
    AuditEvent.objects.bulk_create(events, batch_size=500)
    return {
        "people_added": people,
        "added": len(plan.new),
        "changed": len(plan.changed),
        "left": len(plan.leaving),
        "roles_started": started,
        "roles_ended": ended,
        "coaching_ended": coaching_ended,
    }


def _membership(trust, person, start):
    return Membership(
        trust=trust,
        user=person,
        school=start.school,
        role=start.role,
        staff_group=start.staff_group or StaffGroup.TEACHER,
        started_on=start.started_on,
    )


def _apply_change(change, *, actor, trust, event, on):
    person = change.person
    fields = []
    if change.full_name:
        person.full_name = change.full_name
        fields.append("full_name")
    if change.email:
        person.email = change.email
        fields.append("email")
    if fields:
        person.save(update_fields=fields)
        event("person.changed", person, person, "from a roster import")
    for kind, value in (("oneroster", change.source_id), ("trn", change.trn)):
        if value:
            identifier, _created = ExternalId.objects.update_or_create(
                trust=trust, person=person, kind=kind, defaults={"value": value}
            )
            event("identifier.set", identifier, person, str(identifier))
    started = ended = 0
    for start in change.starts:
        membership = _membership(trust, person, start)
        membership.full_clean()
        membership.save()
        event("membership.started", membership, person, str(membership))
        started += 1
    for membership in change.ends:
        _finish(membership, actor=actor, on=on)
        ended += 1
    for membership, group in change.regroups:
        regrouped = _regroup(membership, group, actor=actor, on=on)
        event("membership.started", regrouped, person, str(regrouped))
        if regrouped.pk != membership.pk:
            started += 1
            ended += 1
    return started, ended


def _finish(membership, *, actor, on):
    people_services.membership_finish(
        actor=actor, membership=membership, finished_on=max(on, membership.started_on)
    )


def _regroup(membership, group, *, actor, on):
    """A teacher's staff group changes (an early-career teacher finishing induction): the
    old period closes the day before and a new one opens, unless it only began that day.
    Returns the period the teacher is now in."""
    if membership.started_on >= on:
        Membership.objects.filter(pk=membership.pk).update(staff_group=group)
        membership.staff_group = group
        return membership
    people_services.membership_finish(
        actor=actor, membership=membership, finished_on=on - dt.timedelta(days=1)
    )
    regrouped = Membership(
        trust=membership.trust,
        user=membership.user,
        school=membership.school,
        role=membership.role,
        staff_group=group,
        started_on=on,
    )
    regrouped.full_clean()
    regrouped.save()
    return regrouped


def _end_coaching(plan, *, actor):
    """End, through coaching's own service, the coaching of teachers and coaches who leave a
    school (or lose their role there), on the export's date or the day of its last drop-in."""
    ending = [(m.user_id, m.school_id, m.role) for lv in plan.leaving for m in lv.ends]
    ending += [(m.user_id, m.school_id, m.role) for c in plan.changed for m in c.ends]
    if not ending:
        return 0
    relationships = list(relationships_ending(ending).order_by("pk"))
    pairs = [r.pk for r in relationships] + [r.peer_id for r in relationships if r.peer_id]
    last_visits = dict(
        DropIn.objects.filter(relationship_id__in=pairs, is_draft=False)
        .values("relationship_id")
        .annotate(last=Max("visited_on"))
        .values_list("relationship_id", "last")
    )
    today = timezone.localdate()
    ended = set()
    for relationship in relationships:
        if relationship.pk in ended or relationship.started_on > today:
            continue  # ended with its co-coaching peer; or not begun, so not the file's to end
        # Co-coaching ends as a pair, on a day after the last drop-in of either.
        on = max(
            plan.exported_on,
            relationship.started_on,
            last_visits.get(relationship.pk) or dt.date.min,
            last_visits.get(relationship.peer_id) or dt.date.min,
        )
        relationship_end(actor=actor, relationship=relationship, finished_on=min(on, today))
        ended.update({relationship.pk, relationship.peer_id})
    ended.discard(None)
    return len(ended)
