"""A small, fixed world of test personas across two schools and two trusts.

Trust A has schools A1 and A2; trust B has school B1. The personas in A1 are the ones the
permission matrix signs in as; A2 and B hold "someone else's" records of every kind. The
leaders (and the programme lead) have set up two-step sign-in, as they must. A person with
roles in both trusts is added only by the tests about working in two
(``lead_in_two_trusts``), so every persona above keeps its meaning.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.frameworks.models import Framework, FrameworkVersion, Step, Strand
from coachloop.people.models import Role
from tests.factories import (
    ActionStepFactory,
    DropInFactory,
    MembershipFactory,
    RehearsalFactory,
    RelationshipFactory,
    SchoolFactory,
    TrustFactory,
    UserFactory,
    two_step_set_up,
)

PASSWORD = "a-long-test-passphrase"
SECRET_NOTE = "Noticed-only-by-the-coach-7f3a"


@dataclass
class Records:
    """One school's coaching records: a relationship with a step, drop-in, draft, rehearsal."""

    school: object
    teacher: object
    coach: object
    relationship: object
    step: object
    dropin: object
    draft: object
    rehearsal: object
    framework_step: object


@dataclass
class World:
    trust: object
    other_trust: object
    own: Records
    other_school: Records
    other_trust_records: Records
    people: dict = field(default_factory=dict)

    def records(self, target):
        return {
            "own": self.own,
            "other_school": self.other_school,
            "other_trust": self.other_trust_records,
        }[target]


def _member(school, role, *, trust=None, user=None, **user_fields):
    user = user or UserFactory(**user_fields)
    MembershipFactory(
        user=user,
        school=school,
        trust=trust or school.trust,
        role=role,
    )
    return user


def _framework_step(trust, suffix):
    framework = Framework.objects.create(
        trust=trust, name=f"Framework {suffix}", slug=f"framework-{suffix}"
    )
    version = FrameworkVersion.objects.create(trust=trust, framework=framework, number=1)
    strand = Strand.objects.create(
        trust=trust, version=version, code="BR", title="Behaviour and routines", position=1
    )
    return Step.objects.create(
        trust=trust,
        strand=strand,
        code="BR1",
        title="Give one clear signal for attention",
        looks_like="The teacher uses the same signal every time and waits for silence.",
        why_it_works="A single signal saves time and attention.",
        how_to_rehearse="Rehearse the signal and the pause in an empty classroom.",
        position=1,
    )


def _records(school, suffix, framework_step):
    teacher = _member(
        school, Role.TEACHER, full_name=f"Teacher {suffix}", email=f"teacher-{suffix}@example.org"
    )
    coach = _member(
        school, Role.COACH, full_name=f"Coach {suffix}", email=f"coach-{suffix}@example.org"
    )
    relationship = RelationshipFactory(school=school, coach=coach, teacher=teacher)
    step = ActionStepFactory(
        relationship=relationship, framework_step=framework_step, title=framework_step.title
    )
    today = timezone.localdate()
    dropin = DropInFactory(
        relationship=relationship,
        noticed=f"{SECRET_NOTE} {suffix}",
        visited_on=today - dt.timedelta(days=2),
    )
    draft = DropInFactory(
        relationship=relationship, is_draft=True, strengths="half typed", visited_on=today
    )
    rehearsal = RehearsalFactory(action_step=step)
    return Records(
        school=school,
        teacher=teacher,
        coach=coach,
        relationship=relationship,
        step=step,
        dropin=dropin,
        draft=draft,
        rehearsal=rehearsal,
        framework_step=framework_step,
    )


def build_world():
    with scopes_disabled():
        trust = TrustFactory(name="Trust A", slug="trust-a")
        other_trust = TrustFactory(name="Trust B", slug="trust-b")
        a1 = SchoolFactory(trust=trust, name="School A1", slug="a1")
        a2 = SchoolFactory(trust=trust, name="School A2", slug="a2")
        b1 = SchoolFactory(trust=other_trust, name="School B1", slug="b1")
        step_a = _framework_step(trust, "a")
        step_b = _framework_step(other_trust, "b")
        world = World(
            trust=trust,
            other_trust=other_trust,
            own=_records(a1, "a1", step_a),
            other_school=_records(a2, "a2", step_a),
            other_trust_records=_records(b1, "b1", step_b),
        )
        # Every other persona has a role in school A1 (or across trust A) only.
        _member(a2, Role.COACHING_LEAD, full_name="Lead A2", email="lead-a2@example.org")
        _member(b1, Role.COACHING_LEAD, full_name="Lead B1", email="lead-b1@example.org")
        world.people = {
            "teacher": world.own.teacher,
            "coach": world.own.coach,
            "other_coach": _member(
                a1, Role.COACH, full_name="Another Coach", email="other-coach@example.org"
            ),
            "coaching_lead": _member(
                a1, Role.COACHING_LEAD, full_name="Lead A1", email="lead@example.org"
            ),
            "headteacher": _member(
                a1, Role.HEADTEACHER, full_name="Head A1", email="head@example.org"
            ),
            "trust_lead": _member(
                None,
                Role.TRUST_LEAD,
                trust=trust,
                full_name="Trust Lead",
                email="trust-lead@example.org",
            ),
            "administrator": _member(
                None,
                Role.ADMINISTRATOR,
                trust=trust,
                full_name="Administrator",
                email="admin@example.org",
            ),
            # A partner university's staff: their part in a programme comes from
            # tests.access.programme_records, built only by the rows that need it.
            **{
                persona: _member(
                    None,
                    Role.PARTNER_STAFF,
                    trust=trust,
                    full_name=name,
                    email=f"{persona.replace('_', '-')}@university.example.org",
                )
                for persona, name in (
                    ("programme_lead", "Programme Lead"),
                    ("tutor", "Tutor"),
                    ("moderator", "Moderator"),
                )
            },
        }
        # They must use two-step sign-in, and have set it up (tests.factories.TOTP_SECRET).
        for persona in ("headteacher", "trust_lead", "administrator", "programme_lead"):
            two_step_set_up(world.people[persona])
    return world


def lead_in_two_trusts(world):
    """The coaching lead of school A1 in trust A and of school B1 in trust B (beside each
    school's own lead), who works in one trust at a time."""
    with scopes_disabled():
        person = UserFactory(full_name="Lead in Two Trusts", email="lead-two-trusts@example.org")
        for records in (world.own, world.other_trust_records):
            _member(records.school, Role.COACHING_LEAD, user=person)
    return person
