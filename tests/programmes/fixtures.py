"""A partner university's programme with one assignment, and teachers enrolled on it."""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.viewer import Viewer
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
)
from tests.factories import UserFactory, two_step_set_up

DUE = timezone.make_aware(dt.datetime(2026, 3, 20, 17, 0))
BANDS = (("Distinction", 70, 100), ("Merit", 60, 69), ("Pass", 50, 59), ("Fail", 0, 49))


def main_content(page):
    """A page's main content without its forms' CSRF tokens, whose random letters and digits
    could look like a mark."""
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def viewer(person, trust):
    """Who is asking, as a request would pass them to a service."""
    return Viewer(user=person, trust=trust)


@dataclass
class ProgrammeWorld:
    trust: object
    programme: object
    assignment: object
    criteria: list
    lead: object
    tutor: object
    other_tutor: object
    moderator: object
    coach: object
    enrolments: list = field(default_factory=list)

    def as_(self, person):
        return viewer(person, self.trust)

    def scores(self, *marks):
        """A mark for each criterion, in order."""
        return {str(c.pk): m for c, m in zip(self.criteria, marks, strict=True)}


def build_programme(world, *, teachers=1, **settings):
    trust, school = world.trust, world.own.school
    with scopes_disabled():
        partner, _ = PartnerInstitution.objects.get_or_create(
            trust=trust, name="University of Wessex"
        )
        programme = Programme.objects.create(
            trust=trust,
            partner=partner,
            title="MA in Teaching and Learning",
            fee_per_enrolment=Decimal("3000.00"),
            **settings,
        )
        people = {
            name: UserFactory(full_name=name)
            for name in ("Dr Lena Okafor", "Dr Tom Reyes", "Dr Amira Shah", "Prof Ruth Hale")
        }
        lead, tutor, other_tutor, moderator = people.values()
        two_step_set_up(lead)  # as a programme lead must
        for person, role in (
            (lead, ProgrammeStaff.Role.LEAD),
            (tutor, ProgrammeStaff.Role.TUTOR),
            (other_tutor, ProgrammeStaff.Role.TUTOR),
            (moderator, ProgrammeStaff.Role.MODERATOR),
        ):
            ProgrammeStaff.objects.create(
                trust=trust, programme=programme, person=person, role=role
            )
        module = Module.objects.create(
            trust=trust,
            programme=programme,
            code="MA1",
            title="Instructional coaching in practice",
            credits=30,
            starts_on=dt.date(2025, 9, 1),
            ends_on=dt.date(2026, 7, 17),
        )
        assignment = Assignment.objects.create(
            trust=trust,
            module=module,
            title="A case study of one action step",
            brief="Follow one action step from the drop-in to habit, with evidence.",
            due_at=DUE,
            word_limit=4000,
        )
        criteria = [
            Criterion.objects.create(
                trust=trust, assignment=assignment, title=title, weight=weight, position=n
            )
            for n, (title, weight) in enumerate(
                (("Use of evidence", 60), ("Critical reflection", 40))
            )
        ]
        for name, lowest, highest in BANDS:
            Band.objects.create(
                trust=trust, assignment=assignment, name=name, lowest=lowest, highest=highest
            )
        cohort = Cohort.objects.create(
            trust=trust, programme=programme, name="2025 cohort", starts_on=dt.date(2025, 9, 1)
        )
        pw = ProgrammeWorld(
            trust=trust,
            programme=programme,
            assignment=assignment,
            criteria=criteria,
            lead=lead,
            tutor=tutor,
            other_tutor=other_tutor,
            moderator=moderator,
            coach=world.own.coach,
        )
        for n in range(teachers):
            teacher = world.own.teacher if n == 0 else UserFactory(full_name=f"Student {n}")
            pw.enrolments.append(
                Enrolment.objects.create(
                    trust=trust,
                    cohort=cohort,
                    teacher=teacher,
                    school=school,
                    coach=world.own.coach,
                    tutor=tutor,
                    started_on=dt.date(2025, 9, 1),
                    fee=programme.fee_per_enrolment,
                    school_share_percent=programme.school_share_percent,
                )
            )
    return pw
