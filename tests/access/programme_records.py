"""A partner university's programme for the permission matrix, built only by the rows that
need it, and once per school's records.

Trust A runs one programme: its lead, tutor and moderator are the matrix's ``programme_lead``,
``tutor`` and ``moderator`` personas. School A1's teacher is enrolled with A1's coach and the
``tutor`` persona; school A2's teacher with A2's coach and another tutor, so the tutor persona
has no business with them while the programme's lead and moderator do. Trust B runs its own
programme with its own staff, which no persona can see.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role, User
from coachloop.programmes.models import (
    Assignment,
    Band,
    Cohort,
    Criterion,
    Enrolment,
    Module,
    PartnerInstitution,
    Programme,
    ProgrammeStaff,
    Submission,
    SubmissionVersion,
)
from tests.factories import MembershipFactory, UserFactory

PERSONA_EMAIL = "{}@university.example.org"


@dataclass
class ProgrammeRecords:
    programme: object
    module: object
    assignment: object
    criteria: list
    cohort: object
    enrolment: object
    lead: object
    tutor: object
    moderator: object


def _staff_member(trust, persona, school_suffix):
    """The persona in trust A; someone else (with the same kind of role) in trust B."""
    if trust.slug == "trust-a" and persona:
        return User.objects.get(email=PERSONA_EMAIL.format(persona.replace("_", "-")))
    person = UserFactory(full_name=f"University staff {school_suffix}")
    MembershipFactory(user=person, school=None, trust=trust, role=Role.PARTNER_STAFF)
    return person


def _programme(trust, suffix):
    existing = Programme.objects.filter(trust=trust).first()
    if existing:
        return existing
    partner = PartnerInstitution.objects.create(trust=trust, name=f"University {suffix}")
    programme = Programme.objects.create(
        trust=trust,
        partner=partner,
        title=f"MA in Teaching {suffix}",
        fee_per_enrolment=Decimal("3000.00"),
    )
    for persona, role in (
        ("programme_lead", ProgrammeStaff.Role.LEAD),
        ("tutor", ProgrammeStaff.Role.TUTOR),
        ("moderator", ProgrammeStaff.Role.MODERATOR),
    ):
        ProgrammeStaff.objects.create(
            trust=trust,
            programme=programme,
            person=_staff_member(trust, persona, suffix),
            role=role,
        )
    module = Module.objects.create(
        trust=trust,
        programme=programme,
        code="MA1",
        title="Instructional coaching in practice",
        credits=30,
        starts_on=dt.date(2025, 9, 1),
        ends_on=dt.date(2027, 7, 16),
    )
    assignment = Assignment.objects.create(
        trust=trust,
        module=module,
        title="A case study of one action step",
        brief="Follow one action step from the drop-in to habit.",
        due_at=timezone.now() + dt.timedelta(days=14),
        word_limit=4000,
    )
    for n, title in enumerate(("Use of evidence", "Critical reflection")):
        Criterion.objects.create(
            trust=trust, assignment=assignment, title=title, weight=50, position=n
        )
    for name, lowest, highest in (("Pass", 50, 100), ("Fail", 0, 49)):
        Band.objects.create(
            trust=trust, assignment=assignment, name=name, lowest=lowest, highest=highest
        )
    Cohort.objects.create(
        trust=trust, programme=programme, name="2025 cohort", starts_on=dt.date(2025, 9, 1)
    )
    return programme


def programme_for(records):
    """The programme of the records' trust, with the records' teacher enrolled on it."""
    cached = getattr(records, "_programme_records", None)
    if cached is not None:
        return cached
    school = records.school
    trust = school.trust
    suffix = school.slug
    with scopes_disabled():
        programme = _programme(trust, suffix)
        staff = {s.role: s.person for s in programme.staff.select_related("person")}
        tutor = staff[ProgrammeStaff.Role.TUTOR]
        if suffix != "a1":
            tutor = _staff_member(trust, None, suffix)
            ProgrammeStaff.objects.create(
                trust=trust, programme=programme, person=tutor, role=ProgrammeStaff.Role.TUTOR
            )
        cohort = programme.cohorts.get()
        enrolment = Enrolment.objects.create(
            trust=trust,
            cohort=cohort,
            teacher=records.teacher,
            school=school,
            coach=records.coach,
            tutor=tutor,
            started_on=dt.date(2025, 9, 1),
            fee=programme.fee_per_enrolment,
            school_share_percent=programme.school_share_percent,
        )
        module = programme.modules.get()
        assignment = module.assignments.get()
        result = ProgrammeRecords(
            programme=programme,
            module=module,
            assignment=assignment,
            criteria=list(assignment.criteria.order_by("position")),
            cohort=cohort,
            enrolment=enrolment,
            lead=staff[ProgrammeStaff.Role.LEAD],
            tutor=tutor,
            moderator=staff[ProgrammeStaff.Role.MODERATOR],
        )
    records._programme_records = result
    return result


def submission_for(records, status=Submission.Status.NOT_MARKED, *, with_draft=False):
    """The records' teacher's submission of the assignment, handed in for marking (a final
    version kept, after a draft for feedback if ``with_draft``), first marked by their tutor
    and second by their coach."""
    found = programme_for(records)
    with scopes_disabled():
        submission = Submission.objects.create(
            trust=found.programme.trust,
            enrolment=found.enrolment,
            assignment=found.assignment,
            status=status,
            submitted_at=timezone.now(),
            first_marker=found.tutor,
            second_marker=records.coach,
        )
        kinds = [SubmissionVersion.Kind.FINAL]
        if with_draft:
            kinds.insert(0, SubmissionVersion.Kind.DRAFT)
        for number, kind in enumerate(kinds, start=1):
            SubmissionVersion.objects.create(
                trust=submission.trust,
                submission=submission,
                number=number,
                kind=kind,
                text="How one signal for attention became a habit in Year 9.",
                word_count=10,
                created_at=timezone.now(),
            )
    return submission
