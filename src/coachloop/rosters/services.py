"""Every write of a staff import: taking a file in, checking it, confirming which school an
organisation is, and applying it, all at once or not at all.

Applying writes in bulk (a trust's first import can bring in thousands of people) and records
an audit event for each person added and each role started or ended, plus one for the import
with its counts.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.coaching.services.relationships import relationship_end
from coachloop.common.audit import audit_record
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import trust_scope
from coachloop.people import services as people_services
from coachloop.people.models import ExternalId, Membership, User
from coachloop.rosters.models import OrgMapping, RosterImport
from coachloop.rosters.progress import EVERY, Progress
from coachloop.rosters.staff_plan import relationships_ending, staff_plan
from coachloop.rosters.storage import plan_for_display, records_from_bundle


class PlanChanged(Exception):
    """The trust changed between the check and applying: it has been checked again."""


def staff_import_start(*, actor, trust, bundle, file_name):
    """Keep what a roster file holds (staff only) as an import waiting to be checked."""
    with trust_scope(trust), transaction.atomic():
        return _start(actor, trust, bundle, file_name)


def _start(actor, trust, bundle, file_name):
    roster_import = RosterImport.objects.create(
        trust=trust,
        kind=RosterImport.Kind.STAFF,
        status=RosterImport.Status.CHECKING,
        source_format=bundle.source_format,
        file_name=file_name[:255],
        exported_on=bundle.exported_on,
        full_export=bundle.full_export,
        uploaded_by=actor,
        records=records_from_bundle(bundle),
        problems=[problem.as_dict() for problem in bundle.problems],
        counts={
            "staff_rows": len(bundle.staff),
            "students_skipped": bundle.students_skipped,
            "others_skipped": bundle.others_skipped,
        },
        rows_total=len(bundle.staff),
    )
    audit_record(
        actor=actor,
        verb="roster.uploaded",
        target=roster_import,
        trust=trust,
        summary=(
            f"{file_name[:120]}: {len(bundle.staff)} staff rows, "
            f"{bundle.students_skipped} student rows skipped unread"
        ),
    )
    return roster_import


def _plan(roster_import, on_progress=None):
    return staff_plan(
        trust=roster_import.trust,
        records=roster_import.records,
        source_format=roster_import.source_format,
        exported_on=roster_import.exported_on,
        full_export=roster_import.full_export,
        on_progress=on_progress,
    )


def staff_import_recheck(*, roster_import):
    """Check a file again (after an organisation was confirmed, or the trust changed)."""
    if roster_import.status not in (RosterImport.Status.PROBLEMS, RosterImport.Status.READY):
        raise ValidationError(_("This import is not waiting to be checked again."))
    roster_import.status = RosterImport.Status.CHECKING
    roster_import.rows_read = 0
    roster_import.save(update_fields=["status", "rows_read"])


def staff_import_check(*, roster_import):
    """Work out what applying would do, and every problem, and keep both for the preview."""
    progress = Progress(roster_import)
    progress.phase_started(total=roster_import.rows_total)
    read_problems = [p for p in roster_import.problems if p.get("stage") != "check"]
    with trust_scope(roster_import.trust):
        plan = _plan(roster_import, on_progress=progress.read)
        problems = read_problems + [
            {**problem.as_dict(), "stage": "check"} for problem in plan.problems
        ]
        roster_import.plan = plan_for_display(plan)
        roster_import.problems = problems
        roster_import.counts = {**roster_import.counts, **plan.counts()}
        roster_import.rows_read = roster_import.rows_total
        roster_import.status = (
            RosterImport.Status.PROBLEMS if problems else RosterImport.Status.READY
        )
        roster_import.save(update_fields=["plan", "problems", "counts", "rows_read", "status"])
    return roster_import


def org_mapping_confirm(*, actor, trust, source_id, source_name, school):
    """Say once which school a roster's organisation is; later imports remember it."""
    if school.trust_id != trust.pk:
        raise ValidationError({"school": _("Choose one of your trust's schools.")})
    with trust_scope(trust), transaction.atomic():
        return _confirm(actor, trust, source_id, source_name, school)


def _confirm(actor, trust, source_id, source_name, school):
    mapping, _created = OrgMapping.objects.update_or_create(
        trust=trust,
        source_id=source_id,
        defaults={"school": school, "source_name": source_name[:255], "confirmed_by": actor},
    )
    audit_record(
        actor=actor,
        verb="roster.organisation_confirmed",
        target=mapping,
        trust=trust,
        summary=f"{source_name or source_id} is {school.name}"[:200],
    )
    return mapping


def staff_import_mark_applying(*, roster_import):
    """Say the import is being applied, before the transaction that applies it begins (so
    that its progress can be followed from another connection)."""
    if roster_import.status != RosterImport.Status.READY:
        raise ValidationError(_("Only a checked import with no problems can be applied."))
    with trust_scope(roster_import.trust):
        marked = RosterImport.objects.filter(
            pk=roster_import.pk, status=RosterImport.Status.READY
        ).update(
            status=RosterImport.Status.APPLYING, rows_applied=0, phase_started_at=timezone.now()
        )
    if not marked:  # applied, or being applied, from another tab
        raise ValidationError(_("Only a checked import with no problems can be applied."))
    roster_import.status = RosterImport.Status.APPLYING


def staff_import_apply(*, actor, roster_import, invite_new_people=False, base_url=""):
    """Apply a checked import, all or nothing. What it does is worked out again inside the
    transaction; if that is not what the administrator saw, nothing is written and the import
    is checked again (``PlanChanged``)."""
    progress = Progress(roster_import)
    try:
        with trust_scope(roster_import.trust), transaction.atomic():
            plan = _plan(roster_import)
            if plan.problems or plan.fingerprint() != roster_import.plan.get("fingerprint"):
                raise PlanChanged
            counts = _apply(plan, actor=actor, roster_import=roster_import, progress=progress)
            if invite_new_people:
                for person in counts.pop("people_added"):
                    people_services.person_invite(person=person, base_url=base_url)
            else:
                counts.pop("people_added")
            roster_import.status = RosterImport.Status.APPLIED
            roster_import.applied_by = actor
            roster_import.applied_at = timezone.now()
            roster_import.rows_applied = roster_import.rows_total
            roster_import.counts = {**roster_import.counts, **counts}
            roster_import.save(
                update_fields=["status", "applied_by", "applied_at", "rows_applied", "counts"]
            )
            audit_record(
                actor=actor,
                verb="roster.applied",
                target=roster_import,
                trust=roster_import.trust,
                summary=", ".join(f"{key} {value}" for key, value in counts.items()),
            )
    except PlanChanged:
        progress.close()
        staff_import_check(roster_import=roster_import)
        raise
    except ValidationError as refused:
        # Something the check could not foresee: nothing was written; say what it was.
        _mark_failed(roster_import, " ".join(refused.messages))
        raise
    finally:
        progress.close()
    return roster_import


def _mark_failed(roster_import, message):
    roster_import.status = RosterImport.Status.FAILED
    roster_import.failure = _("Nothing was changed: %(reason)s") % {"reason": message}
    with trust_scope(roster_import.trust):
        roster_import.save(update_fields=["status", "failure"])


def _apply(plan, *, actor, roster_import, progress):
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
        staff_group=start.staff_group,
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
            ExternalId.objects.update_or_create(
                trust=trust, person=person, kind=kind, defaults={"value": value}
            )
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
        _regroup(membership, group, actor=actor, on=on)
        started += 1
        ended += 1
    return started, ended


def _finish(membership, *, actor, on):
    people_services.membership_finish(
        actor=actor, membership=membership, finished_on=max(on, membership.started_on)
    )


def _regroup(membership, group, *, actor, on):
    """A teacher's staff group changes (an early-career teacher finishing induction): the
    old period closes the day before and a new one opens, unless it only began today."""
    if membership.started_on >= on:
        Membership.objects.filter(pk=membership.pk).update(staff_group=group)
        return
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


def _end_coaching(plan, *, actor):
    """End, through coaching's own service, the coaching of teachers and coaches who leave a
    school (or lose their role there), on the export's date or the day of its last drop-in."""
    ending = [(m.user_id, m.school_id, m.role) for lv in plan.leaving for m in lv.ends]
    ending += [(m.user_id, m.school_id, m.role) for c in plan.changed for m in c.ends]
    if not ending:
        return 0
    relationships = relationships_ending(ending).annotate(
        last_visit=Max("dropins__visited_on", filter=Q(dropins__is_draft=False))
    )
    today = timezone.localdate()
    ended = set()
    for relationship in relationships.order_by("pk"):
        if relationship.pk in ended:
            continue  # co-coaching ends as a pair: its peer ended with it
        on = max(plan.exported_on, relationship.started_on, relationship.last_visit or dt.date.min)
        relationship_end(actor=actor, relationship=relationship, finished_on=min(on, today))
        ended.update({relationship.pk, relationship.peer_id})
    ended.discard(None)
    return len(ended)
