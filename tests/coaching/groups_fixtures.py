"""Coaching groups for tests: staff to make them of, and a group with a session in any school
of the test world (tests/world.py)."""

import datetime as dt

from django.utils import timezone

from coachloop.coaching.models import CoachingGroup, GroupMember, GroupSession
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory
from tests.world import SECRET_NOTE

TODAY = timezone.localdate()
SESSION_WORDS = f"Year 9 set 3 stop listening after ten minutes. {SECRET_NOTE}"


def staff(school, count, *, role=Role.TEACHER, prefix="Colleague"):
    """``count`` new people who teach (or coach) at ``school``."""
    people = []
    with scopes_disabled():
        for n in range(count):
            existing = Membership.objects.filter(school=school).count()
            user = UserFactory(full_name=f"{prefix} {school.slug}-{existing}-{n}")
            MembershipFactory(user=user, school=school, role=role)
            people.append(user)
    return people


def group_in(records, *, kind=CoachingGroup.Kind.ACTION_LEARNING_SET, extra=1, started_days=30):
    """A running group at the records' school: its teacher, its coach and ``extra`` more
    teachers, with one session (whose words hold the secret note) and its action open."""
    started_on = TODAY - dt.timedelta(days=started_days)
    school = records.school
    people = [records.teacher, records.coach, *staff(school, extra)]
    with scopes_disabled():
        group = CoachingGroup.objects.create(
            trust=school.trust,
            school=school,
            kind=kind,
            name=f"Set at {school.slug}",
            focus="Getting classes settled after lunch",
            facilitator=records.coach,
            cadence_days=14,
            started_on=started_on,
            created_by=records.coach,
        )
        for person in people:
            GroupMember.objects.create(
                trust=school.trust, group=group, person=person, joined_on=started_on
            )
        GroupSession.objects.create(
            trust=school.trust,
            group=group,
            met_on=TODAY - dt.timedelta(days=7),
            presenter=records.teacher,
            problem=SESSION_WORDS,
            questions="What happens in the first ten minutes?",
            action="Try a two-minute task straight after the register.",
            recorded_by=records.coach,
        )
    return group
