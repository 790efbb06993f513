"""Bringing a trust's schools in from England's schools register: what an extract would
change (``register_plan``), and changing it (``schools_import_apply``), all at once or not
at all.

Schools are matched by URN within the trust. A school is never deleted: one the register
shows closed is marked closed, with its people and history kept; one it shows open again is
reopened, and the plan says so. A school the register lists closed that Coachloop never had
is not added. Schools the trust entered by hand with no URN, and schools with a URN the
register no longer lists for the trust (one that has moved to another trust, say), are left
as they are; the plan lists the latter.
"""

import datetime as dt
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coachloop.common.audit import audit_record
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import School, Trust
from coachloop.rosters.models import RosterImport
from coachloop.rosters.records import Problem, problem_text
from coachloop.rosters.register import NAME, TRUST_UID, URN

SCHOOL_ADDED = "school.added"
SCHOOL_CHANGED = "school.changed"
SCHOOL_CLOSED = "school.closed"
SCHOOL_REOPENED = "school.reopened"
SCHOOLS_IMPORTED = "schools.imported"

SOURCE_FORMAT = "gias"
FIELDS = ("name", "phase", "establishment_type", "local_authority", "closed_on")
TRUST_FIELDS = ("register_group_uid", "register_group_id", "companies_house_number")
_SLUG_LENGTH = School._meta.get_field("slug").max_length


class RegisterRefused(ValidationError):
    """The extract has problems, so nothing was imported. ``problems`` lists them."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__([problem_text(problem) for problem in self.problems])


@dataclass
class SchoolsImported:
    """What ``schools_import_apply`` did. ``roster_import`` is the history's record of it,
    ``None`` when there was nothing to change (and so nothing was written)."""

    counts: dict
    plan: dict
    roster_import: RosterImport | None

    @property
    def changed_anything(self):
        return bool(self.counts["written"])


def register_plan(*, trust, extract) -> dict:
    """What applying ``extract`` to ``trust`` would do, as JSON-ready data:

    ``new``, ``changed``, ``closing`` and ``reopened`` (lists of schools, each changed one with
    ``before`` and ``after`` of the fields that differ), ``unchanged`` (a count),
    ``closed_not_added`` and ``not_listed`` (for information: nothing is done to them),
    ``trust`` (``before`` and ``after`` of the trust's register details, or empty),
    ``problems`` (as ``Problem.as_dict``) and ``counts``.
    """
    problems = [problem.as_dict() for problem in extract.problems]
    file_name = extract.file_names[0]
    if trust.register_group_uid and trust.register_group_uid != extract.group.uid:
        problems.append(
            Problem(
                file_name,
                None,
                TRUST_UID,
                _(
                    "This trust's group UID in the register is %(trust_uid)s, not %(uid)s. "
                    "Import the schools of group %(trust_uid)s."
                )
                % {"trust_uid": trust.register_group_uid, "uid": extract.group.uid},
            ).as_dict()
        )
    urns = [school.urn for school in extract.schools]
    with scopes_disabled():
        elsewhere = set(
            School.objects.filter(urn__in=urns).exclude(trust=trust).values_list("urn", flat=True)
        )
    with trust_scope(trust):
        ours = {school.urn: school for school in School.objects.exclude(urn="")}
        unnumbered = {school.name.casefold(): school for school in School.objects.filter(urn="")}
    plan = {
        "group": asdict(extract.group),
        "exported_on": extract.exported_on.isoformat(),
        "file_names": list(extract.file_names),
        "rows_read": extract.rows_read,
        "new": [],
        "changed": [],
        "closing": [],
        "reopened": [],
        "unchanged": 0,
        "closed_not_added": [],
        "not_listed": [],
        "trust": _trust_changes(trust, extract.group),
        "problems": problems,
    }
    for school in extract.schools:
        if school.urn in elsewhere:
            problems.append(_held_elsewhere(file_name, school))
            continue
        existing = ours.pop(school.urn, None)
        if existing is None:
            _plan_new(plan, file_name, school, unnumbered)
            continue
        before = {field: getattr(existing, field) for field in FIELDS}
        after = _register_values(school, existing, extract.exported_on)
        differ = [field for field in FIELDS if before[field] != after[field]]
        if not differ:
            plan["unchanged"] += 1
            continue
        if before["closed_on"] is None and after["closed_on"] is not None:
            kind = "closing"
        elif before["closed_on"] is not None and after["closed_on"] is None:
            kind = "reopened"
        else:
            kind = "changed"
        plan[kind].append(
            {
                "urn": school.urn,
                "name": existing.name,
                "slug": existing.slug,
                "before": {field: _json(before[field]) for field in differ},
                "after": {field: _json(after[field]) for field in differ},
            }
        )
    plan["not_listed"] = [
        {"urn": school.urn, "name": school.name, "slug": school.slug}
        for school in sorted(ours.values(), key=lambda school: school.name)
        if school.closed_on is None
    ]
    plan["counts"] = {
        "new": len(plan["new"]),
        "changed": len(plan["changed"]),
        "closed": len(plan["closing"]),
        "reopened": len(plan["reopened"]),
        "unchanged": plan["unchanged"],
        "trust_details": 1 if plan["trust"] else 0,
    }
    plan["counts"]["written"] = sum(
        plan["counts"][key] for key in ("new", "changed", "closed", "reopened", "trust_details")
    )
    return plan


@transaction.atomic
def schools_import_apply(*, actor, trust, extract, roster_import=None) -> SchoolsImported:
    """Apply ``extract`` to ``trust``: add, change, close and reopen its schools and update
    its register details, with an audit event for each school and one for the import, and a
    ``RosterImport`` in the trust's history (``roster_import``, when the import pages made
    one at upload, else a new one). With nothing to change nothing is written, unless
    ``roster_import`` is given, which is then marked applied. ``actor`` is ``None`` for a
    scheduled sync. Any problem refuses the whole import (``RegisterRefused``)."""
    trust = Trust.objects.select_for_update().get(pk=trust.pk)  # one import at a time
    if roster_import is not None:
        # Read again under the trust's lock: a second click waits for the first, then finds
        # the import applied.
        with scopes_disabled():
            roster_import = (
                RosterImport.objects.filter(pk=roster_import.pk).select_for_update().first()
            )
    if roster_import is not None and (
        roster_import.trust_id != trust.pk
        or roster_import.kind != RosterImport.Kind.SCHOOLS
        or roster_import.status == RosterImport.Status.APPLIED
    ):
        raise ValidationError(
            _("This import cannot be applied: it is not a schools import waiting to be applied.")
        )
    plan = register_plan(trust=trust, extract=extract)
    if plan["problems"]:
        raise RegisterRefused(Problem(**problem) for problem in plan["problems"])
    counts = plan["counts"]
    if not counts["written"] and roster_import is None:
        return SchoolsImported(counts=counts, plan=plan, roster_import=None)
    with trust_scope(trust):
        _apply_schools(actor, trust, plan)
        if plan["trust"]:
            for field, value in plan["trust"]["after"].items():
                setattr(trust, field, value)
            trust.save(update_fields=list(plan["trust"]["after"]))
        if counts["written"]:
            audit_record(
                actor=actor,
                verb=SCHOOLS_IMPORTED,
                target=trust,
                trust=trust,
                summary=_imported_summary(counts),
            )
        roster_import = _record(actor, trust, extract, plan, roster_import)
    return SchoolsImported(counts=counts, plan=plan, roster_import=roster_import)


def _apply_schools(actor, trust, plan):
    slugs = set(School.objects.values_list("slug", flat=True))
    for entry in plan["new"]:
        school = School.objects.create(
            trust=trust,
            urn=entry["urn"],
            name=entry["name"],
            slug=_unique_slug(entry["name"], slugs),
            phase=entry["phase"],
            establishment_type=entry["establishment_type"],
            local_authority=entry["local_authority"],
        )
        audit_record(
            actor=actor,
            verb=SCHOOL_ADDED,
            target=school,
            summary=_("Added from the schools register (URN %(urn)s).") % {"urn": school.urn},
        )
    changing = plan["changed"] + plan["closing"] + plan["reopened"]
    urns = [entry["urn"] for entry in changing]
    schools = {school.urn: school for school in School.objects.filter(urn__in=urns)}
    for kind, verb in (
        ("changed", SCHOOL_CHANGED),
        ("closing", SCHOOL_CLOSED),
        ("reopened", SCHOOL_REOPENED),
    ):
        for entry in plan[kind]:
            school = schools[entry["urn"]]
            for field, value in entry["after"].items():
                if field == "closed_on" and value is not None:
                    value = dt.date.fromisoformat(value)
                setattr(school, field, value)
            school.save(update_fields=list(entry["after"]))
            audit_record(
                actor=actor, verb=verb, target=school, summary=_school_summary(kind, entry, school)
            )


def _record(actor, trust, extract, plan, roster_import):
    now = timezone.now()
    values = {
        "status": RosterImport.Status.APPLIED,
        "plan": plan,
        "counts": plan["counts"],
        "problems": [],
        "rows_total": extract.rows_read,
        "rows_read": extract.rows_read,
        "rows_applied": plan["counts"]["written"],
        "applied_by": actor,
        "applied_at": now,
    }
    if roster_import is None:
        return RosterImport.objects.create(
            trust=trust,
            kind=RosterImport.Kind.SCHOOLS,
            source_format=SOURCE_FORMAT,
            file_name=extract.file_name[: RosterImport._meta.get_field("file_name").max_length],
            exported_on=extract.exported_on,
            uploaded_by=actor,
            created_at=now,
            records=extract.as_dict(),
            **values,
        )
    for field, value in values.items():
        setattr(roster_import, field, value)
    roster_import.save(update_fields=list(values))
    return roster_import


def _register_values(school, existing, exported_on):
    """The fields as the register has them. A closed school keeps the close date Coachloop
    has when the register gives none, else closes on the extract's date."""
    closed_on = None
    if school.closed:
        closed_on = school.closed_on or existing.closed_on or exported_on
    return {
        "name": school.name,
        "phase": school.phase,
        "establishment_type": school.establishment_type,
        "local_authority": school.local_authority,
        "closed_on": closed_on,
    }


def _plan_new(plan, file_name, school, unnumbered):
    if school.closed:
        plan["closed_not_added"].append(
            {"urn": school.urn, "name": school.name, "closed_on": _json(school.closed_on)}
        )
        return
    twin = unnumbered.get(school.name.casefold())
    if twin is not None:
        plan["problems"].append(
            Problem(
                file_name,
                school.row,
                NAME,
                _(
                    "Coachloop already has a school called “%(name)s”, with no URN. Give it "
                    "its URN, %(urn)s, in the admin site, so that the import updates it "
                    "instead of adding it again."
                )
                % {"name": twin.name, "urn": school.urn},
            ).as_dict()
        )
        return
    plan["new"].append(
        {
            "urn": school.urn,
            "name": school.name,
            "phase": school.phase,
            "establishment_type": school.establishment_type,
            "local_authority": school.local_authority,
            "row": school.row,
        }
    )


def _held_elsewhere(file_name, school):
    # Never name the other trust: this trust's administrator may not know of it.
    return Problem(
        file_name,
        school.row,
        URN,
        _(
            "URN %(urn)s (%(name)s) belongs to a school in another trust in Coachloop. If the "
            "school has joined your trust, ask Coachloop's operators to move it."
        )
        % {"urn": school.urn, "name": school.name},
    ).as_dict()


def _trust_changes(trust, group):
    after = {}
    if not trust.register_group_uid:
        after["register_group_uid"] = group.uid
    if group.group_id and group.group_id != trust.register_group_id:
        after["register_group_id"] = group.group_id
    if group.companies_house_number and group.companies_house_number != (
        trust.companies_house_number
    ):
        after["companies_house_number"] = group.companies_house_number
    if not after:
        return {}
    return {"before": {field: getattr(trust, field) for field in after}, "after": after}


def _unique_slug(name, taken):
    base = slugify(name)[:_SLUG_LENGTH].strip("-") or "school"
    slug, number = base, 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = base[: _SLUG_LENGTH - len(suffix)].strip("-") + suffix
    taken.add(slug)
    return slug


_FIELD_NAMES = {
    "phase": _lazy("phase"),
    "establishment_type": _lazy("type of school"),
    "local_authority": _lazy("local authority"),
    "closed_on": _lazy("close date"),
}


def _school_summary(kind, entry, school):
    if kind == "closing":
        return _("Closed on %(day)s, as the schools register says.") % {
            "day": format_date(school.closed_on, "j F Y")
        }
    if kind == "reopened":
        return _("Open again, as the schools register says.")
    changes = []
    for field in entry["after"]:
        if field == "name":
            changes.append(_("name (was “%(name)s”)") % {"name": entry["before"]["name"]})
        else:
            changes.append(str(_FIELD_NAMES[field]))
    return _("Changed from the schools register: %(changes)s.") % {"changes": ", ".join(changes)}


def _imported_summary(counts):
    summary = (
        _(
            "From the schools register: %(new)s new, %(changed)s changed, %(closed)s closed, "
            "%(reopened)s reopened, %(unchanged)s unchanged."
        )
        % counts
    )
    if counts["trust_details"]:
        summary += " " + _("The trust's register details were updated.")
    return summary


def _json(value):
    return value.isoformat() if isinstance(value, dt.date) else value
