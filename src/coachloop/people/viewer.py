"""Who is asking: the signed-in person with their current roles in one trust.

Built once per request by ``TrustScopeMiddleware`` from one query, and passed to every query
function and rule, so role checks cost nothing further. ``trusts`` lists every trust where the
person has a current role (the viewer's own among them), so that a person in more than one can
be asked which to work in and offered a switch.
"""

from dataclasses import dataclass, field

from coachloop.people.models import TRUST_WIDE_ROLES, Role


@dataclass(frozen=True)
class Viewer:
    user: object
    trust: object
    memberships: tuple = field(default_factory=tuple)
    trusts: tuple = field(default_factory=tuple)

    @property
    def pk(self):
        return self.user.pk

    def roles(self, school=None):
        """Roles held in ``school`` (trust-wide roles count everywhere), or anywhere."""
        school_id = getattr(school, "pk", school)
        return {
            m.role
            for m in self.memberships
            if school_id is None or m.school_id == school_id or m.role in TRUST_WIDE_ROLES
        }

    def has_role(self, role, school=None):
        return role in self.roles(school)

    def school_ids_with(self, role):
        return {m.school_id for m in self.memberships if m.role == role and m.school_id}

    def schools_with(self, role):
        seen = {}
        for m in self.memberships:
            if m.role == role and m.school_id:
                seen[m.school_id] = m.school
        return list(seen.values())

    @property
    def works_in_several_trusts(self):
        return len(self.trusts) > 1

    @property
    def is_trust_lead(self):
        return Role.TRUST_LEAD in self.roles()

    @property
    def is_administrator(self):
        return Role.ADMINISTRATOR in self.roles()
