"""Every write of a staff import: taking a file in, checking it, confirming which school an
organisation is, and applying it, all at once or not at all.

Applying writes in bulk (a trust's first import can bring in thousands of people) and records
an audit event for each person added and each role started or ended, plus one for the import
with its counts.
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.common.tenancy import trust_scope
from coachloop.people import services as people_services
from coachloop.people.models import Role, Trust
from coachloop.rosters.applying import apply_plan
from coachloop.rosters.models import OrgMapping, RosterImport
from coachloop.rosters.progress import Progress
from coachloop.rosters.staff_plan import staff_plan
from coachloop.rosters.storage import plan_for_display, records_from_bundle

# Above this share of a trust's listed staff leaving at once, applying asks to be sure (on the
# page) or refuses (``import_roster`` without ``--most-leaving``): an export that lost a school
# would otherwise end everyone's roles there.
MOST_LEAVING_PERCENT = 10


def many_leaving(roster_import, *, percent=MOST_LEAVING_PERCENT):
    """How many would leave, when that is more than ``percent`` of the staff the file is about;
    otherwise 0. A changes-only export lists only who changed, and whoever leaves in it is
    marked so one by one: it is not asked about."""
    if not roster_import.full_export:
        return 0
    counts = roster_import.counts
    leaving = counts.get("leaving", 0)
    about = leaving + counts.get("changed", 0) + counts.get("unchanged", 0)
    return leaving if leaving * 100 > percent * about else 0


class PlanChanged(Exception):
    """The trust changed between the check and applying: it has been checked again."""


def staff_import_start(*, actor, trust, bundle, file_name, full_list=None, leaders=True):
    """Keep what a roster file holds (staff only) as an import waiting to be checked.

    ``full_list`` says whether a staff spreadsheet lists everyone at its schools (so that
    anyone missing has left; by default it only adds and changes people); a OneRoster export
    says so in its manifest. Without ``leaders``,
    a OneRoster export's administrators are left out rather than made school leaders."""
    if not bundle.source_format.startswith("oneroster"):
        bundle.full_export = bool(full_list)
    if not leaders and bundle.source_format.startswith("oneroster"):
        _leave_out_leaders(bundle)
    with trust_scope(trust), transaction.atomic():
        return _start(actor, trust, bundle, file_name)


def _leave_out_leaders(bundle):
    kept = []
    for record in bundle.staff:
        roles = tuple(role for role in record.roles if role.role != Role.HEADTEACHER)
        # Someone deleted who named no school leaves every school; an administrator left
        # out, who named only the schools they led, is not the file's to end.
        if roles or (record.to_be_deleted and not record.roles):
            kept.append(dataclasses.replace(record, roles=roles))
        else:
            bundle.others_skipped += 1
    bundle.staff = kept


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
        phase_started_at=timezone.now(),
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
    roster_import.phase_started_at = timezone.now()
    roster_import.save(update_fields=["status", "rows_read", "phase_started_at"])


def staff_import_check(*, roster_import, expected=RosterImport.Status.CHECKING):
    """Work out what applying would do, and every problem, and keep both for the preview. If
    checking stops, the import says so (never "being checked" for ever).

    Only an import still ``expected`` (being checked; being applied when an apply found the
    trust changed) is checked, and what is found is saved only if it still is: a second copy
    of the task, run after the first finished, changes nothing."""
    try:
        with trust_scope(roster_import.trust):
            return _check(roster_import, expected)
    except Exception:
        _mark_failed(
            roster_import,
            _("the file could not be checked because of an error in Coachloop."),
            status=expected,
        )
        raise


def _still(roster_import, status):
    return RosterImport.objects.filter(pk=roster_import.pk, status=status)


def _check(roster_import, expected):
    if not _still(roster_import, expected).exists():
        roster_import.refresh_from_db()
        return roster_import  # checked (or applied) already
    progress = Progress(roster_import)
    progress.phase_started(total=roster_import.rows_total)
    read_problems = [p for p in roster_import.problems if p.get("stage") != "check"]
    plan = _plan(roster_import, on_progress=progress.read)
    problems = read_problems + [
        {**problem.as_dict(), "stage": "check"} for problem in plan.problems
    ]
    found = {
        "plan": plan_for_display(plan),
        "problems": problems,
        "counts": {**roster_import.counts, **plan.counts()},
        "rows_read": roster_import.rows_total,
        "status": RosterImport.Status.PROBLEMS if problems else RosterImport.Status.READY,
    }
    if _still(roster_import, expected).update(**found):
        for name, value in found.items():
            setattr(roster_import, name, value)
    else:
        roster_import.refresh_from_db()  # another run finished it first: its result stands
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
    is checked again (``PlanChanged``).

    An import no longer being applied when its turn comes (a second copy of the task, after
    the first applied it) is left as it is: nothing is planned, written or checked again."""
    progress = Progress(roster_import)
    try:
        with trust_scope(roster_import.trust), transaction.atomic():
            # One import applies at a time in a trust: the page's and a scheduled sync's
            # would otherwise both plan from the same state, and two copies of one apply
            # task would both apply. The import's own row is not locked here: the progress
            # count is written to it through a second connection (``Progress.applied``),
            # which would wait for this transaction for ever.
            Trust.objects.select_for_update().get(pk=roster_import.trust_id)
            if not _still(roster_import, RosterImport.Status.APPLYING).exists():
                roster_import.refresh_from_db()
                return roster_import  # applied (or stopped) by another run meanwhile
            plan = _plan(roster_import)
            if plan.problems or plan.fingerprint() != roster_import.plan.get("fingerprint"):
                raise PlanChanged
            counts = apply_plan(plan, actor=actor, roster_import=roster_import, progress=progress)
            if invite_new_people:
                for person in counts.pop("people_added"):
                    people_services.person_invite(person=person, base_url=base_url)
            else:
                counts.pop("people_added")
            applied = {
                "status": RosterImport.Status.APPLIED,
                "applied_by": actor,
                "applied_at": timezone.now(),
                "rows_applied": roster_import.rows_total,
                "counts": {**roster_import.counts, **counts},
                "records": {},  # what it read is now in the trust's own records
            }
            if not _still(roster_import, RosterImport.Status.APPLYING).update(**applied):
                raise PlanChanged  # stopped meanwhile: nothing of this apply is kept
            for name, value in applied.items():
                setattr(roster_import, name, value)
            audit_record(
                actor=actor,
                verb="roster.applied",
                target=roster_import,
                trust=roster_import.trust,
                summary=", ".join(f"{key} {value}" for key, value in counts.items()),
            )
    except PlanChanged:
        progress.close()
        staff_import_check(roster_import=roster_import, expected=RosterImport.Status.APPLYING)
        raise
    except ValidationError as refused:
        # Something the check could not foresee: nothing was written; say what it was.
        _mark_failed(roster_import, " ".join(refused.messages))
        raise
    except Exception:
        _mark_failed(roster_import, _("applying stopped because of an error in Coachloop."))
        raise
    finally:
        progress.close()
    return roster_import


def _mark_failed(roster_import, message, *, status=RosterImport.Status.APPLYING):
    """Say that checking or applying stopped and why, once its transaction has been rolled
    back: never of an import that was applied (a step after the commit may fail, and what
    was applied stays applied)."""
    failure = (_("Nothing was changed: %(reason)s") % {"reason": message})[:500]
    with trust_scope(roster_import.trust):
        marked = RosterImport.objects.filter(pk=roster_import.pk, status=status).update(
            status=RosterImport.Status.FAILED, failure=failure, records={}
        )
    if not marked:
        return
    roster_import.status = RosterImport.Status.FAILED
    roster_import.failure = failure


def staff_import_stopped(*, roster_import, reason):
    """Say that an import's check or apply stopped and will not be finished (its worker died
    too many times, or it was left half-way): its transaction was rolled back, so nothing
    was changed, and it can be uploaded again."""
    _mark_failed(roster_import, reason, status=roster_import.status)
