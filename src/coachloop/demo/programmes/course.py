"""The demo's programme: an MA in two modules, each with an assignment, its criteria and bands,
and readings; a cohort; and the teachers enrolled on it, one in three of each school's coached
teachers, each with their own coach as school coach.
"""

import datetime as dt
from decimal import Decimal

from coachloop.coaching.models import Relationship
from coachloop.demo.accounts import key_email
from coachloop.demo.programmes.rows import on_day_at
from coachloop.demo.programmes.university import PARTNER_NAME, UNIVERSITY_STAFF
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
    Reading,
)

PROGRAMME_TITLE = "MA Education (Instructional Coaching)"
FEE = Decimal("3000.00")
SCHOOL_SHARE = 60
ENROL_EVERY = 3  # one in three of each school's coached teachers is on the programme

MODULES = (
    {
        "code": "EDM701",
        "title": "Instructional coaching in practice",
        "credits": 30,
        "assignment": "A case study of one action step",
        "brief": (
            "Follow one action step you worked on with your coach from the first drop-in to "
            "a habit (or to the point you moved on). Describe the step and why you chose it, "
            "what you rehearsed, what your coach saw, and what changed for your pupils. Draw "
            "on at least two readings from the module, and include the evidence you used. "
            "Pupils must not be named: refer to a class or a group."
        ),
        "word_limit": 4000,
        "criteria": (
            (
                "Use of evidence",
                "Evidence from the classroom is chosen well and interpreted with care.",
                40,
            ),
            (
                "Engagement with the literature",
                "Readings are used to explain and question the practice, not only to cite.",
                30,
            ),
            (
                "Critical reflection",
                "The writer weighs what worked, what did not, and what they would change.",
                30,
            ),
        ),
        "readings": (
            (
                "Instructional coaching: a partnership approach",
                "Knight, J. (2007) Instructional coaching. Thousand Oaks: Corwin.",
                1,
            ),
            (
                "Deliberate practice for teachers",
                "Lemov, D., Woolway, E. and Yezzi, K. (2012) Practice perfect. San Francisco: "
                "Jossey-Bass.",
                3,
            ),
            (
                "What makes professional development effective?",
                "Sims, S. et al. (2021) What are the characteristics of effective teacher "
                "professional development? London: Education Endowment Foundation.",
                5,
            ),
        ),
    },
    {
        "code": "EDM702",
        "title": "Evidence, inquiry and the classroom",
        "credits": 30,
        "assignment": "A small-scale inquiry into pupils' learning",
        "brief": (
            "Plan and carry out a small inquiry into one change in your teaching, agreed with "
            "your coach and your tutor. Set out your question, what you did, the evidence you "
            "gathered (pupil work, pupil voice, your coach's drop-in notes) and what you "
            "conclude, with its limits. Use the module's readings on inquiry and on evidence."
        ),
        "word_limit": 5000,
        "criteria": (
            ("Inquiry design", "The question is focused and the design can answer it.", 35),
            ("Analysis of evidence", "The evidence is analysed honestly, limits included.", 40),
            ("Implications for practice", "Conclusions lead to clear next steps.", 25),
        ),
        "readings": (
            (
                "Teacher inquiry: a guide",
                "Baumfield, V., Hall, E. and Wall, K. (2013) Action research in education. "
                "London: Sage.",
                1,
            ),
            (
                "Using evidence in the classroom",
                "Coe, R. et al. (2014) What makes great teaching? London: Sutton Trust.",
                2,
            ),
            (
                "Pupil voice as evidence",
                "Rudduck, J. and McIntyre, D. (2007) Improving learning through consulting "
                "pupils. London: Routledge.",
                4,
            ),
        ),
    },
)
BANDS = (
    ("Distinction", 70, 100, "Insightful, well evidenced and critically reflective throughout."),
    ("Merit", 60, 69, "Clear and well evidenced, with some critical reflection."),
    ("Pass", 50, 59, "Describes the practice with evidence; reflection is mostly descriptive."),
    ("Fail", 0, 49, "Evidence or reflection is missing or does not address the brief."),
)


def add_programme(rows):
    """The partner, the programme and its staff, the two modules and the cohort."""
    t = rows.trust
    rows.partner = PartnerInstitution.objects.create(trust=t, name=PARTNER_NAME)
    rows.prog = Programme.objects.create(
        trust=t,
        partner=rows.partner,
        title=PROGRAMME_TITLE,
        second_marker=Programme.SecondMarker.COACH,
        blind_marking=True,
        tolerance=5,
        agree_by=Programme.AgreeBy.MEAN,
        pass_mark=50,
        moderation_percent=20,
        moderate_all_fails=True,
        moderate_top_band=False,
        fee_per_enrolment=FEE,
        school_share_percent=SCHOOL_SHARE,
    )
    ProgrammeStaff.objects.bulk_create(
        ProgrammeStaff(trust=t, programme=rows.prog, person=rows.people[key], role=role)
        for key, _name, role, _label in UNIVERSITY_STAFF
    )
    today = rows.today
    # The first module is under way, its assignment five weeks past due; the second has
    # just started, its assignment due in four weeks.
    spans = (
        (today - dt.timedelta(weeks=15), today + dt.timedelta(weeks=3)),
        (today - dt.timedelta(weeks=3), today + dt.timedelta(weeks=15)),
    )
    dues = (today - dt.timedelta(weeks=5), today + dt.timedelta(weeks=4))
    rows.modules, rows.assignments, rows.criteria, rows.readings = [], [], [], []
    for spec, (starts, ends), due in zip(MODULES, spans, dues, strict=True):
        module = Module.objects.create(
            trust=t,
            programme=rows.prog,
            code=spec["code"],
            title=spec["title"],
            credits=spec["credits"],
            starts_on=starts,
            ends_on=ends,
        )
        assignment = Assignment.objects.create(
            trust=t,
            module=module,
            title=spec["assignment"],
            brief=spec["brief"],
            due_at=on_day_at(due, 17),
            word_limit=spec["word_limit"],
        )
        criteria = Criterion.objects.bulk_create(
            Criterion(
                trust=t,
                assignment=assignment,
                title=title,
                description=description,
                weight=weight,
                position=n,
            )
            for n, (title, description, weight) in enumerate(spec["criteria"])
        )
        Band.objects.bulk_create(
            Band(
                trust=t,
                assignment=assignment,
                name=name,
                lowest=lowest,
                highest=highest,
                descriptor=descriptor,
            )
            for name, lowest, highest, descriptor in BANDS
        )
        readings = Reading.objects.bulk_create(
            Reading(trust=t, module=module, title=title, citation=citation, week=week)
            for title, citation, week in spec["readings"]
        )
        rows.modules.append(module)
        rows.assignments.append(assignment)
        rows.criteria.append(criteria)
        rows.readings.append(readings)
    rows.cohort = Cohort.objects.create(
        trust=t,
        programme=rows.prog,
        name=f"{spans[0][0]:%B %Y} cohort",
        starts_on=spans[0][0],
    )


def enrol_teachers(rows):
    """One in three of each school's coached teachers, the demo teacher first."""
    demo_teacher = key_email(rows.trust.slug, "teacher")
    demo_coach = key_email(rows.trust.slug, "coach")
    relationships = (
        Relationship.objects.filter(
            kind=Relationship.Kind.INSTRUCTIONAL,
            finished_on__isnull=True,
            coach__isnull=False,
        )
        .select_related("teacher", "coach", "school")
        .order_by("school__urn", "teacher__email", "pk")
    )
    by_school, seen = {}, set()
    # The demo teacher comes with the demo coach, whatever other coaching they have.
    ordered = sorted(
        relationships,
        key=lambda r: (r.teacher.email != demo_teacher, r.coach.email != demo_coach),
    )
    for rel in ordered:
        if rel.teacher_id in seen:
            continue
        seen.add(rel.teacher_id)
        by_school.setdefault(rel.school.urn, []).append(rel)
    chosen = []
    schools = sorted(by_school)
    for index, urn in enumerate(schools):
        rels = sorted(
            by_school[urn], key=lambda r: (r.teacher.email != demo_teacher, r.teacher.email)
        )
        tutor = rows.people["tutor"] if index % 2 == 0 else rows.people["tutor2"]
        chosen.extend((rel, tutor) for rel in rels[::ENROL_EVERY])
    started = rows.cohort.starts_on
    rows.enrolled = Enrolment.objects.bulk_create(
        Enrolment(
            trust=rows.trust,
            cohort=rows.cohort,
            teacher=rel.teacher,
            school=rel.school,
            coach=rel.coach,
            tutor=tutor,
            started_on=started,
            finished_on=None,
            fee=FEE,
            school_share_percent=SCHOOL_SHARE,
        )
        for rel, tutor in chosen
    )
    rows.key = next((e for e in rows.enrolled if e.teacher.email == demo_teacher), None)
