"""How an import keeps what it read and what it would do: plain JSON on the import's row.

Only staff rows are kept (the readers drop students as they meet them), and only what
applying needs: names, email addresses, identifiers and roles.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coachloop.people.models import Role, StaffGroup

# How many people of each kind the preview lists by name; the rest are counted.
LISTED = 200


def records_from_bundle(bundle):
    orgs = {
        key: {"key": org.key, "name": org.name, "urn": org.urn, "type": org.type}
        for key, org in bundle.orgs.items()
    }
    staff = [
        {
            "source_id": record.source_id,
            "email": record.email,
            "full_name": record.full_name,
            "trn": record.trn,
            "to_be_deleted": record.to_be_deleted,
            "file": record.file,
            "row": record.row,
            "roles": [
                {
                    "org": role.org,
                    "role": role.role,
                    "staff_group": role.staff_group,
                    "started_on": role.started_on.isoformat() if role.started_on else None,
                    "to_be_deleted": role.to_be_deleted,
                }
                for role in record.roles
            ],
        }
        for record in bundle.staff
    ]
    return {"orgs": orgs, "staff": staff}


def _role(membership):
    return _("%(role)s at %(school)s") % {
        "role": Role(membership.role).label,
        "school": membership.school.name,
    }


def plan_for_display(plan):
    """What the preview shows: who is new, who changes and how, who leaves."""
    new = [
        {
            "name": person.full_name,
            "email": person.email,
            "roles": [start.describe() for start in person.starts],
        }
        for person in plan.new[:LISTED]
    ]
    changed = []
    for change in plan.changed[:LISTED]:
        lines = []
        if change.full_name:
            lines.append(_("Name becomes %(name)s") % {"name": change.full_name})
        if change.email:
            lines.append(_("Email address becomes %(email)s") % {"email": change.email})
        if change.source_id:
            lines.append(_("Linked to the roster (sourcedId %(id)s)") % {"id": change.source_id})
        if change.trn:
            lines.append(_("TRN becomes %(trn)s") % {"trn": change.trn})
        lines += [_("Starts: %(role)s") % {"role": start.describe()} for start in change.starts]
        lines += [_("Ends: %(role)s") % {"role": _role(m)} for m in change.ends]
        lines += [
            _("Staff group becomes %(group)s") % {"group": StaffGroup(group).label}
            for _m, group in change.regroups
        ]
        changed.append({"name": change.person.full_name, "lines": lines})
    leaving = [
        {
            "name": leaver.person.full_name,
            "email": leaver.person.email,
            "roles": [_role(m) for m in leaver.ends],
        }
        for leaver in plan.leaving[:LISTED]
    ]
    return {
        "new": new,
        "changed": changed,
        "leaving": leaving,
        "exported_on": date_format(plan.exported_on, "j F Y"),
        "notes": plan.notes[:LISTED],
        "unmatched_orgs": plan.unmatched_orgs,
        "fingerprint": plan.fingerprint(),
    }
