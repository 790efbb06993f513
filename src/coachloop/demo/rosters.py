"""The demo's import history: the trust brought its teachers' roster in from its data broker
once, which linked each teacher to their OneRoster ``sourcedId`` (the administrator's imports
page then has something to show, and the admin site each teacher's identifier)."""

from coachloop.demo.accounts import key_email
from coachloop.people.models import Membership, Role, User
from coachloop.rosters import services
from coachloop.rosters.records import Bundle, Org, RoleAt, StaffRecord


def demo_rosters(trust, today, rng):
    teachers = (
        Membership.objects.current(today)
        .filter(trust=trust, role=Role.TEACHER)
        .select_related("user", "school")
        .order_by("school__name", "user__full_name")
    )
    orgs, staff = {}, []
    for row, membership in enumerate(teachers, start=2):
        school = membership.school
        key = f"school-{school.urn}"
        orgs[key] = Org(key=key, name=school.name, urn=school.urn)
        staff.append(
            StaffRecord(
                source_id=f"rl-{membership.user_id:05d}",
                email=membership.user.email,
                full_name=membership.user.full_name,
                roles=(
                    RoleAt(
                        org=key,
                        role=Role.TEACHER,
                        staff_group=membership.staff_group,
                        started_on=membership.started_on,
                    ),
                ),
                file="users.csv",
                row=row,
            )
        )
    bundle = Bundle(source_format="oneroster-1.1", exported_on=today, orgs=orgs, staff=staff)
    admin = User.objects.get(email=key_email(trust.slug, "admin"))
    roster_import = services.staff_import_start(
        actor=admin, trust=trust, bundle=bundle, file_name="riverside-oneroster.zip"
    )
    services.staff_import_check(roster_import=roster_import)
    services.staff_import_mark_applying(roster_import=roster_import)
    services.staff_import_apply(actor=admin, roster_import=roster_import)
