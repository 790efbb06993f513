"""Applying a staff import's plan, inside the transaction ``services.staff_import_apply``
holds: bulk writes for the people added (a trust's first import can bring in thousands),
each change and leaver through the services that audit them, and the coaching of people who
left ended through coaching's own service."""

import datetime as dt
import secrets
from collections import defaultdict

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.coaching.models import DropIn
from coachloop.coaching.services.relationships import relationship_end
from coachloop.common.audit import audit_event
from coachloop.common.models import AuditEvent
from coachloop.people import services as people_services
from coachloop.people.models import ExternalId, Membership, StaffGroup, User
from coachloop.people.sessions import end_sessions_if_no_role_left
from coachloop.rosters.progress import EVERY
from coachloop.rosters.staff_plan import relationships_ending
from coachloop.rosters.staff_state import chunks


def apply_plan(plan, *, actor, roster_import, progress):
    """Write what ``plan`` says; return the counts of what was done."""
    trust = roster_import.trust
    done = 0
    events = []

    def event(verb, target, subject, summary=""):
        events.append(
            audit_event(
                actor=actor,
                verb=verb,
                target=target,
                subject=subject,
                summary=summary,
                trust=trust,
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
        # No password until they choose one from an emailed link (or sign in with the trust's
        # own accounts): hashing one nobody knows would cost a second a person. This is what
        # set_unusable_password() stores, drawn in one call rather than forty.
        person = User(
            email=new.email,
            full_name=new.full_name,
            password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
        )
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
    for identifier in identifiers:
        event("identifier.set", identifier, identifier.person, str(identifier))
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
    leaving = [membership for leaver in plan.leaving for membership in leaver.ends]
    ended += _finish_all(leaving, on=plan.exported_on, event=event)
    step(len(plan.leaving))
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
    ended += _finish_all(change.ends, on=on, event=event)
    for membership, group in change.regroups:
        before = StaffGroup(membership.staff_group).label
        regrouped = _regroup(membership, group, actor=actor, on=on)
        if regrouped.pk != membership.pk:
            event("membership.started", regrouped, person, str(regrouped))
            started += 1
            ended += 1
        else:  # the period began that day: its staff group is put right in place
            event(
                "membership.changed",
                regrouped,
                person,
                f"staff group: {before} → {StaffGroup(group).label}",
            )
    return started, ended


def _finish_all(memberships, *, on, event):
    """End these roles on ``on`` (or the day each began, if later), as
    ``people.services.membership_finish`` ends one, in a few queries however many there are:
    each is audited, and people left with no role anywhere are signed out once it commits."""
    by_day = defaultdict(list)
    for membership in memberships:
        by_day[max(on, membership.started_on)].append(membership)
    for day, ending in by_day.items():
        pks = [membership.pk for membership in ending]
        updated = sum(
            Membership.objects.filter(pk__in=chunk, finished_on__isnull=True).update(
                finished_on=day
            )
            for chunk in chunks(pks)
        )
        if updated != len(pks):
            raise ValidationError(_("A role in this import has already finished."))
        for membership in ending:
            membership.finished_on = day
            # The roles were read with their person and school: naming them reads nothing.
            event("membership.finished", membership, membership.user, str(membership))
    today = timezone.localdate()
    gone = {m.user_id: m.user for m in memberships if m.finished_on < today}
    if gone:
        people = list(gone.values())
        # Robust: a step after the commit that fails is logged, and what was applied stays.
        transaction.on_commit(
            lambda: [end_sessions_if_no_role_left(person) for person in people], robust=True
        )
    return len(memberships)


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
