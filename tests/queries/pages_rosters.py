"""The import pages over the demo: the imports list, the staff upload page, and a staff
import of everyone in the demo trust's schools (so ten times the staff is ten times the rows)
as it waits to be applied, while it is being checked (its progress bar) and once applied."""

from django.urls import reverse
from django.utils import timezone

from coachloop.people.models import Membership, Role, School, Trust, User
from coachloop.rosters import register_imports, services
from coachloop.rosters.models import RosterImport
from coachloop.rosters.records import Bundle, Org, RoleAt, StaffRecord
from coachloop.rosters.register import RegisterExtract, RegisterGroup, RegisterSchool


def _everyone(trust):
    """A full export of the trust's teachers as it stands, plus one newcomer per school."""
    teachers = Membership.objects.current().filter(trust=trust, role=Role.TEACHER)
    staff, orgs = [], {}
    for n, membership in enumerate(teachers.select_related("user", "school")):
        school = membership.school
        orgs[f"org-{school.pk}"] = Org(key=f"org-{school.pk}", name=school.name, urn=school.urn)
        staff.append(
            StaffRecord(
                source_id=f"u{membership.user_id}",
                email=membership.user.email,
                full_name=membership.user.full_name,
                roles=(RoleAt(org=f"org-{school.pk}", role=Role.TEACHER),),
                file="users.csv",
                row=n + 2,
            )
        )
    for key, org in orgs.items():
        staff.append(
            StaffRecord(
                source_id=f"new-{key}",
                email=f"new.{key}@riverside.example.org",
                full_name=f"Newcomer at {org.name}",
                roles=(RoleAt(org=key, role=Role.TEACHER),),
            )
        )
    return Bundle(
        source_format="oneroster-1.1", exported_on=timezone.localdate(), orgs=orgs, staff=staff
    )


def _schools_import(trust, admin):
    """The register's view of the demo's schools, one of them renamed, waiting to be applied."""
    listed = [
        RegisterSchool(
            urn=school.urn,
            name=f"{school.name} (renamed)" if n == 0 else school.name,
            phase=school.phase,
            establishment_type="Academy converter",
            local_authority="Riverside",
            status="Open",
            opened_on=None,
            closed_on=None,
            row=n + 2,
        )
        for n, school in enumerate(School.objects.filter(trust=trust).order_by("pk"))
    ]
    extract = RegisterExtract(
        group=RegisterGroup(uid="99999"),
        exported_on=timezone.localdate(),
        file_names=("edubasealldata.csv",),
        schools=listed,
        rows_read=len(listed),
    )
    return register_imports.schools_import_start(actor=admin, trust=trust, extract=extract)


def pages():
    trust = Trust.objects.get(slug="riverside")
    admin = User.objects.get(email="admin@riverside.example.org")
    bundle = _everyone(trust)
    ready = services.staff_import_start(actor=admin, trust=trust, bundle=bundle, file_name="a.zip")
    services.staff_import_check(roster_import=ready)
    checking = services.staff_import_start(
        actor=admin, trust=trust, bundle=bundle, file_name="b.zip"
    )
    RosterImport.objects.filter(pk=checking.pk).update(rows_read=len(bundle.staff) // 2)
    schools = _schools_import(trust, admin)
    return [
        (admin, reverse("rosters:schools_upload")),
        (admin, reverse("rosters:schools_import", args=[schools.pk])),
        (admin, reverse("rosters:home")),
        (admin, reverse("rosters:staff_upload")),
        (admin, reverse("rosters:import", args=[ready.pk])),
        (admin, reverse("rosters:import_progress", args=[checking.pk])),
    ]
