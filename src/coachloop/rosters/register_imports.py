"""The writes of the schools import pages: keeping the register's files as an import to look
at, and looking again (``register_services`` applies it)."""

from coachloop.common.audit import audit_record
from coachloop.rosters.models import RosterImport
from coachloop.rosters.register import RegisterExtract
from coachloop.rosters.register_services import register_plan


def schools_import_start(*, actor, trust, extract):
    """Keep what the register's files say of the trust's schools, and what applying it would
    do, as an import for the administrator to look at and apply."""
    plan = register_plan(trust=trust, extract=extract)
    roster_import = RosterImport.objects.create(
        trust=trust,
        kind=RosterImport.Kind.SCHOOLS,
        status=_status_of(plan),
        source_format="gias",
        file_name=extract.file_name[:255],
        exported_on=extract.exported_on,
        uploaded_by=actor,
        records=extract.as_dict(),
        plan=plan,
        problems=plan["problems"],
        counts=plan["counts"],
        rows_total=extract.rows_read,
        rows_read=extract.rows_read,
    )
    audit_record(
        actor=actor,
        verb="schools.uploaded",
        target=roster_import,
        trust=trust,
        summary=f"{extract.file_name[:120]}: {len(extract.schools)} of the trust's schools",
    )
    return roster_import


def schools_import_recheck(*, roster_import):
    """Work out again what the kept register files would do now."""
    extract = RegisterExtract.from_dict(roster_import.records)
    plan = register_plan(trust=roster_import.trust, extract=extract)
    roster_import.plan = plan
    roster_import.problems = plan["problems"]
    roster_import.counts = plan["counts"]
    roster_import.status = _status_of(plan)
    roster_import.save(update_fields=["plan", "problems", "counts", "status"])


def _status_of(plan):
    return RosterImport.Status.PROBLEMS if plan["problems"] else RosterImport.Status.READY
