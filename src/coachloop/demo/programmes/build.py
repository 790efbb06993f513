"""Demo rows for partnership programmes: the University of Wessex runs an MA with the demo trust.

Its four staff (a programme lead, two tutors and a moderator) sign in with the demo password.
About a third of each school's coached teachers are enrolled, each with their own coach as
school coach, so the programme grows with the schools (``load_demo --teachers-per-school``).
The first module's assignment is past due, with submissions in every state of marking,
moderation and release; the second module's is due in a few weeks, with drafts and formative
feedback. There are three-way meetings with actions, a goal agreed by the three, readings with
a coach's discussion prompts, portfolio items, the coaches' qualifications, and a teacher or
two the programme lead's momentum page prompts them to contact.

Written with ``bulk_create`` for speed (the demo is built twice by the query-count test): every
field is set here, as ``programmes.services`` would set it. Everything follows from ``rng``.
"""

import datetime as dt
import itertools
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min
from django.utils import timezone

from coachloop.coaching.models import EvidenceItem, Goal, Reflection, Relationship
from coachloop.demo.accounts import key_email
from coachloop.people.models import Membership, Role, User
from coachloop.programmes.models import (
    Assignment,
    Band,
    CoachQualification,
    Cohort,
    Criterion,
    DiscussionPrompt,
    Enrolment,
    Extension,
    Feedback,
    GoalAgreement,
    Mark,
    Meeting,
    MeetingAction,
    Module,
    PartnerInstitution,
    PortfolioItem,
    Programme,
    ProgrammeStaff,
    Reading,
    Submission,
    SubmissionVersion,
)
from coachloop.programmes.services.submissions import word_count

PARTNER_NAME = "University of Wessex"
PROGRAMME_TITLE = "MA Education (Instructional Coaching)"
UNIVERSITY_DOMAIN = "wessex.example.ac.uk"
FEE = Decimal("3000.00")
SCHOOL_SHARE = 60
ENROL_EVERY = 3  # one in three of each school's coached teachers is on the programme

# (key, full name, programme role, label for the command and the README)
UNIVERSITY_STAFF = (
    ("programme-lead", "Dr Miriam Ashdown", ProgrammeStaff.Role.LEAD, "programme lead"),
    ("tutor", "Dr Julian Penrose", ProgrammeStaff.Role.TUTOR, "tutor (the demo teacher's)"),
    ("tutor2", "Dr Nkechi Obi", ProgrammeStaff.Role.TUTOR, "second tutor"),
    ("moderator", "Prof Alan Whitcombe", ProgrammeStaff.Role.MODERATOR, "moderator"),
)

S = Submission.Status
# The first assignment's submissions (after the demo teacher's, which is released) go round
# this pattern, so every state is there from a dozen teachers on, in the same shares at ten
# times the size.
FIRST_ASSIGNMENT_PATTERN = (
    S.RELEASED,
    S.IN_REVIEW,
    S.READY,
    S.MARKING_DONE,
    S.IN_MARKING,
    S.NOT_MARKED,
    S.DRAFTING,
    S.RELEASED,
    S.READY,
    S.RELEASED,
    S.IN_REVIEW,
    S.NOT_MARKED,
)
MARKED = (S.MARKING_DONE, S.IN_REVIEW, S.READY, S.RELEASED)

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

PARAGRAPHS = (
    "The action step my coach and I agreed was to give one instruction at a time, with a "
    "clear signal to start, because transitions in my Year 9 class were taking several minutes.",
    "We rehearsed the step twice in an empty classroom before I tried it with the class. "
    "Rehearsing the exact words made the difference: I stopped adding extra explanations.",
    "My coach's drop-in notes over four weeks showed the start of the lesson becoming quicker: "
    "from about four minutes to under one by the third visit.",
    "Knight's partnership principles helped me see the coaching as a conversation between "
    "equals; I chose the class we would look at, and that made me more open to feedback.",
    "Lemov and colleagues argue that practice should be short and specific. Our rehearsals "
    "focused on the first ten seconds of the routine, which is where it used to break down.",
    "The evidence has limits: drop-ins are short, and a routine can look settled on one day "
    "and not the next. Pupil voice from a short survey of the class supported the change.",
    "Looking back, I would have agreed success criteria with my coach earlier, so we both knew "
    "what a habit would look like before we started.",
    "Next I want to apply the same approach to questioning, where I know my habits are less "
    "secure, and to gather pupils' work as evidence from the start.",
)
DRAFT_FEEDBACK = (
    "This is a good start: the step is clear and your evidence is well chosen. Say more about "
    "why you chose this step, and link it to one of the readings.",
    "I like how honestly you describe what did not work at first. Try to bring in the pupils' "
    "side of the change: what did they notice?",
    "Your structure works well. The section on the literature summarises rather than uses the "
    "readings: ask what each one helps you explain.",
)
MARK_COMMENTS = (
    "A well-evidenced case study. The drop-in notes are used carefully, and the reflection on "
    "what you would change is thoughtful. Engage more critically with the readings next time.",
    "Clear and honest writing about your practice. The evidence is good; the discussion of its "
    "limits could go further, and the readings are mostly summarised rather than used.",
    "An insightful account: you connect the rehearsal to the change in your classroom and weigh "
    "other explanations. An excellent piece of reflective writing.",
    "The action step is well described. To reach the next band, analyse the evidence rather "
    "than report it, and say what the readings add to your understanding.",
)
MEETING_AGENDAS = (
    "Introductions, the programme's first module, and agreeing how the three of us will work.",
    "Feedback on the first assignment, and the focus for the inquiry in module two.",
    "The inquiry plan: question, evidence to gather, and a timeline to the due date.",
)
MEETING_NOTES = (
    "We agreed to meet every half term. The teacher will choose an action step from their "
    "coaching for the case study; the coach will share drop-in notes with the tutor.",
    "The teacher reflected on the case study feedback. We discussed two possible inquiry "
    "questions and agreed to focus on questioning in one class.",
)
ACTIONS = (
    ("teacher", "Draft the inquiry question and share it with the coach and the tutor"),
    ("coach", "Plan two drop-ins in the inquiry class before half term"),
    ("tutor", "Send the reading on pupil voice and a worked example of an inquiry plan"),
    ("teacher", "Collect a first set of pupil work as a baseline"),
)
PROMPTS = (
    "Which of Knight's partnership principles do you see in our coaching, and which less so?",
    "What would the first ten seconds of your routine look like if you rehearsed it again?",
    "Which pupils' voices would tell us most about whether the change has worked?",
)
QUALIFICATIONS = (
    (CoachQualification.Level.PGCERT, "Coaching and mentoring"),
    (CoachQualification.Level.NONE, ""),
    (CoachQualification.Level.MASTERS, "Education"),
    (CoachQualification.Level.NONE, ""),
    (CoachQualification.Level.PGCERT, "Leading learning"),
)


def university_email(key):
    return f"{key}@{UNIVERSITY_DOMAIN}"


def university_logins(trust):
    """The university staff's demo accounts, as (role, email), after ``demo_logins``'s."""
    emails = [
        (f"{PARTNER_NAME}: {label}", university_email(key))
        for key, _name, _role, label in UNIVERSITY_STAFF
    ]
    present = set(
        User.objects.filter(
            email__in=[email for _label, email in emails],
            memberships__trust=trust,
            memberships__role=Role.PARTNER_STAFF,
        ).values_list("email", flat=True)
    )
    return [(label, email) for label, email in emails if email in present]


def _half_up(value):
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _at(day, hour=9, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class _Rows:
    """The demo's programme, built in memory then saved table by table."""

    def __init__(self, trust, today, rng):
        self.trust = trust
        self.today = today
        self.rng = rng
        real_today = timezone.localdate()
        # A claim is held for two hours from "now": the real time when the demo ends today.
        self.now = timezone.now() if today == real_today else _at(today, 16)

    # -- people --------------------------------------------------------------------------------

    def staff(self):
        template = User.objects.filter(email=key_email(self.trust.slug, "teacher")).first()
        since = Membership.objects.aggregate(first=Min("started_on"))["first"] or self.today
        users = [
            User(
                email=university_email(key),
                full_name=name,
                password=template.password if template else "!",
                is_active=True,
                is_superuser=False,
                date_joined=_at(since, 8),
            )
            for key, name, _role, _label in UNIVERSITY_STAFF
        ]
        User.objects.bulk_create(users)
        Membership.objects.bulk_create(
            Membership(
                trust=self.trust,
                user=user,
                school=None,
                role=Role.PARTNER_STAFF,
                started_on=since,
                finished_on=None,
            )
            for user in users
        )
        self.people = {
            key: user for (key, *_rest), user in zip(UNIVERSITY_STAFF, users, strict=True)
        }
        return since

    # -- the programme -------------------------------------------------------------------------

    def programme(self):
        t = self.trust
        self.partner = PartnerInstitution.objects.create(trust=t, name=PARTNER_NAME)
        self.prog = Programme.objects.create(
            trust=t,
            partner=self.partner,
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
            ProgrammeStaff(trust=t, programme=self.prog, person=self.people[key], role=role)
            for key, _name, role, _label in UNIVERSITY_STAFF
        )
        today = self.today
        # The first module is under way, its assignment five weeks past due; the second has
        # just started, its assignment due in four weeks.
        spans = (
            (today - dt.timedelta(weeks=15), today + dt.timedelta(weeks=3)),
            (today - dt.timedelta(weeks=3), today + dt.timedelta(weeks=15)),
        )
        dues = (today - dt.timedelta(weeks=5), today + dt.timedelta(weeks=4))
        self.modules, self.assignments, self.criteria, self.readings = [], [], [], []
        for spec, (starts, ends), due in zip(MODULES, spans, dues, strict=True):
            module = Module.objects.create(
                trust=t,
                programme=self.prog,
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
                due_at=_at(due, 17),
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
            self.modules.append(module)
            self.assignments.append(assignment)
            self.criteria.append(criteria)
            self.readings.append(readings)
        self.cohort = Cohort.objects.create(
            trust=t,
            programme=self.prog,
            name=f"{spans[0][0]:%B %Y} cohort",
            starts_on=spans[0][0],
        )

    # -- enrolments ----------------------------------------------------------------------------

    def enrolments(self):
        """One in three of each school's coached teachers, the demo teacher first."""
        demo_teacher = key_email(self.trust.slug, "teacher")
        demo_coach = key_email(self.trust.slug, "coach")
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
            tutor = self.people["tutor"] if index % 2 == 0 else self.people["tutor2"]
            chosen.extend((rel, tutor) for rel in rels[::ENROL_EVERY])
        started = self.cohort.starts_on
        self.enrolled = Enrolment.objects.bulk_create(
            Enrolment(
                trust=self.trust,
                cohort=self.cohort,
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
        self.key = next((e for e in self.enrolled if e.teacher.email == demo_teacher), None)

    # -- submissions ---------------------------------------------------------------------------

    def _text(self, paragraphs):
        return "\n\n".join(self.rng.sample(PARAGRAPHS, paragraphs))

    def _version(self, submission, number, kind, at):
        text = self._text(self.rng.randint(4, 7) if kind == SubmissionVersion.Kind.FINAL else 3)
        version = SubmissionVersion(
            trust=self.trust,
            submission=submission,
            number=number,
            kind=kind,
            text=text,
            word_count=word_count(text),
            created_at=at,
        )
        self.versions.append(version)
        return version

    def _feedback(self, version, author, at):
        self.feedback.append(
            Feedback(
                trust=self.trust,
                version=version,
                author=author,
                body=self.rng.choice(DRAFT_FEEDBACK),
                created_at=at,
            )
        )

    def _mark(self, submission, position, marker, base, at):
        criteria = self.criteria[0]
        scores = {str(c.pk): max(0, min(100, base + self.rng.randint(-4, 4))) for c in criteria}
        total = sum(c.weight for c in criteria)
        overall = _half_up(sum(Decimal(scores[str(c.pk)]) * c.weight for c in criteria) / total)
        mark = Mark(
            trust=self.trust,
            submission=submission,
            position=position,
            marker=marker,
            scores=scores,
            overall=overall,
            comments=self.rng.choice(MARK_COMMENTS),
            submitted_at=at,
        )
        self.marks.append(mark)
        return mark

    def submissions(self):
        first, second = self.assignments
        self.versions, self.feedback, self.marks, self.extensions = [], [], [], []
        first_rows, second_rows = [], []
        others = [e for e in self.enrolled if e is not self.key]
        statuses = [(self.key, S.RELEASED)] if self.key else []
        statuses += list(zip(others, itertools.cycle(FIRST_ASSIGNMENT_PATTERN)))
        seen = {}
        for enrolment, status in statuses:
            seen[status] = seen.get(status, 0) + 1
            first_rows.append(self._first(first, enrolment, status, seen[status]))
        for n, enrolment in enumerate(self.enrolled):
            row = self._second(second, enrolment, n)
            if row is not None:
                second_rows.append(row)
        # Each plan sets its submission's marking fields and makes its versions, feedback and
        # marks (which take the submission's id once it is saved).
        for submission, plan in first_rows + second_rows:
            plan(submission)
        Submission.objects.bulk_create([s for s, _plan in first_rows + second_rows])
        SubmissionVersion.objects.bulk_create(self.versions)
        Feedback.objects.bulk_create(self.feedback)
        Mark.objects.bulk_create(self.marks)
        Extension.objects.bulk_create(self.extensions)
        self.first_submissions = {s.enrolment_id: s for s, _plan in first_rows}

    def _first(self, assignment, enrolment, status, nth):
        """The past-due case study, at ``status``; ``nth`` counts the status so far."""
        rng, now = self.rng, self.now
        due = assignment.due_at
        submission = Submission(
            trust=self.trust,
            enrolment=enrolment,
            assignment=assignment,
            status=status,
            due_at=due,
            first_marker=enrolment.tutor if status != S.DRAFTING else None,
            second_marker=enrolment.coach if status != S.DRAFTING else None,
            version=1,
        )
        extended = status == S.NOT_MARKED and nth % 2 == 1
        late = status == S.NOT_MARKED and nth % 2 == 0
        if extended:
            submission.due_at = due + dt.timedelta(weeks=3)
            submission.submitted_at = submission.due_at - dt.timedelta(days=2)
        elif late:
            submission.submitted_at = due + dt.timedelta(days=3, hours=2)
            submission.is_late = True
        elif status != S.DRAFTING:
            submission.submitted_at = due - dt.timedelta(days=rng.randint(0, 4), hours=3)
        # A fail goes to moderation with every fail; other marks are mostly merit and pass.
        fail = status == S.IN_REVIEW and nth % 2 == 1
        base = rng.randint(40, 47) if fail else rng.randint(52, 76)
        if enrolment is self.key:
            base = 66

        def plan(sub):
            if extended:
                self.extensions.append(
                    Extension(
                        trust=self.trust,
                        submission=sub,
                        due_at=sub.due_at,
                        reason="A family emergency in the week before the deadline.",
                        granted_by=enrolment.tutor,
                        granted_at=due - dt.timedelta(days=2),
                    )
                )
            if status == S.DRAFTING:
                return  # the deadline passed without their final work: a momentum prompt
            submitted = sub.submitted_at
            number = 1
            if enrolment is self.key or rng.random() < 0.6:
                draft = self._version(
                    sub, 1, SubmissionVersion.Kind.DRAFT, submitted - dt.timedelta(weeks=2)
                )
                self._feedback(draft, enrolment.coach, draft.created_at + dt.timedelta(days=2))
                if enrolment is self.key or rng.random() < 0.5:
                    self._feedback(draft, enrolment.tutor, draft.created_at + dt.timedelta(days=4))
                number = 2
            self._version(sub, number, SubmissionVersion.Kind.FINAL, submitted)
            if status == S.NOT_MARKED:
                return
            marked_at = min(now, submitted + dt.timedelta(days=8))
            self._mark(sub, Mark.Position.FIRST, enrolment.tutor, base, marked_at)
            if status == S.IN_MARKING:
                # The coach is marking second right now, and holds the submission meanwhile.
                sub.claimed_by = enrolment.coach
                sub.claimed_until = now + dt.timedelta(minutes=self.prog.claim_minutes)
                sub.version = 3
                return
            first = self.marks[-1].overall
            reconciled = status == S.RELEASED and nth == 2
            second_base = base + (9 if reconciled else rng.randint(-2, 2))
            second_at = marked_at + dt.timedelta(days=2)
            self._mark(sub, Mark.Position.SECOND, enrolment.coach, second_base, second_at)
            second = self.marks[-1].overall
            if abs(first - second) > self.prog.tolerance:
                sub.agreed_mark = _half_up(Decimal(first + second) / 2)
                sub.agreed_by = Submission.AgreedBy.RECONCILED
                sub.reconciled_by = enrolment.tutor
                sub.agreed_reason = (
                    "We discussed the use of the readings and agreed the work sits between our "
                    "two marks: strong evidence, less critical engagement with the literature."
                )
            else:
                sub.agreed_mark = _half_up(Decimal(first + second) / 2)
                sub.agreed_by = Submission.AgreedBy.MEAN
            sub.version = 5
            if status == S.MARKING_DONE:
                return
            # The sample was drawn; the rest were ready at once.
            sub.in_sample = (
                status == S.IN_REVIEW
                or sub.agreed_mark < self.prog.pass_mark
                or (status == S.READY and nth % 2 == 1)
                or (status == S.RELEASED and nth % 3 == 0)
            )
            if enrolment is self.key:
                sub.in_sample = False
            if sub.in_sample and status != S.IN_REVIEW:
                sub.moderator = self.people["moderator"]
                sub.moderated_at = marked_at + dt.timedelta(days=6)
                if status == S.RELEASED and nth == 3:
                    sub.moderated_mark = sub.agreed_mark + 3
                    sub.moderation_note = (
                        "The analysis of evidence is stronger than the marks allow: the limits "
                        "of the drop-in evidence are discussed with real care."
                    )
            if status == S.RELEASED:
                sub.released_at = min(now, due + dt.timedelta(weeks=3))
                sub.version = 7

        return submission, plan

    def _second(self, assignment, enrolment, n):
        """The inquiry due in four weeks: drafts, some with feedback, for about two in three."""
        if enrolment is not self.key and n % 3 == 2:
            return None
        submission = Submission(
            trust=self.trust,
            enrolment=enrolment,
            assignment=assignment,
            status=S.DRAFTING,
            due_at=assignment.due_at,
            version=1,
        )

        def plan(sub):
            written = self.now - dt.timedelta(days=self.rng.randint(3, 12))
            draft = self._version(sub, 1, SubmissionVersion.Kind.DRAFT, written)
            if enrolment is self.key or n % 2 == 0:
                self._feedback(draft, enrolment.coach, written + dt.timedelta(days=1))
            if enrolment is self.key:
                self._feedback(draft, enrolment.tutor, written + dt.timedelta(days=2))

        return submission, plan

    # -- the partnership ----------------------------------------------------------------------

    def meetings(self):
        """A first meeting for everyone; a recent one with actions for most; one to come."""
        today = self.today
        meetings, actions = [], []
        for n, enrolment in enumerate(self.enrolled):
            key = enrolment is self.key
            first_day = self.cohort.starts_on + dt.timedelta(days=10 + n % 5)
            meetings.append(
                Meeting(
                    trust=self.trust,
                    enrolment=enrolment,
                    scheduled_for=_at(first_day, 15, 45),
                    agenda=MEETING_AGENDAS[0],
                    held_on=first_day,
                    notes=MEETING_NOTES[0],
                    created_by=enrolment.tutor,
                )
            )
            if key or n % 4 != 3:  # one in four have not met for a while: a prompt
                recent = today - dt.timedelta(days=7 + n % 14)
                meetings.append(
                    Meeting(
                        trust=self.trust,
                        enrolment=enrolment,
                        scheduled_for=_at(recent, 15, 45),
                        agenda=MEETING_AGENDAS[1],
                        held_on=recent,
                        notes=MEETING_NOTES[1],
                        created_by=enrolment.tutor,
                    )
                )
            if key:
                meetings.append(
                    Meeting(
                        trust=self.trust,
                        enrolment=enrolment,
                        scheduled_for=_at(today + dt.timedelta(days=9), 15, 45),
                        agenda=MEETING_AGENDAS[2],
                        held_on=None,
                        notes="",
                        created_by=enrolment.coach,
                    )
                )
        Meeting.objects.bulk_create(meetings)
        for meeting in meetings:
            if meeting.held_on is None:
                continue
            e = meeting.enrolment
            owners = {"teacher": e.teacher, "coach": e.coach, "tutor": e.tutor}
            recent = meeting.agenda == MEETING_AGENDAS[1]
            for m, (who, text) in enumerate(ACTIONS[:3] if recent else ACTIONS[3:]):
                due = meeting.held_on + dt.timedelta(days=14)
                actions.append(
                    MeetingAction(
                        trust=self.trust,
                        meeting=meeting,
                        text=text,
                        owner=owners[who],
                        due_on=due,
                        done_on=(
                            None if recent and m != 2 else meeting.held_on + dt.timedelta(days=5)
                        ),
                    )
                )
        MeetingAction.objects.bulk_create(actions)

    def readings_and_prompts(self):
        prompts = []
        for n, enrolment in enumerate(self.enrolled):
            if enrolment is not self.key and n % 4:
                continue
            for m, reading in enumerate(self.readings[0][:2] + self.readings[1][:1]):
                if enrolment is not self.key and m:
                    break
                prompts.append(
                    DiscussionPrompt(
                        trust=self.trust,
                        reading=reading,
                        enrolment=enrolment,
                        text=PROMPTS[m],
                        written_by=enrolment.coach,
                        written_at=_at(self.cohort.starts_on + dt.timedelta(weeks=2 + m * 4), 16),
                    )
                )
        DiscussionPrompt.objects.bulk_create(prompts)

    def goals(self):
        """The demo teacher's first goal agreed by all three; others' awaiting the tutor."""
        teacher_ids = [e.teacher_id for e in self.enrolled]
        goals = {}
        for goal in Goal.objects.filter(
            teacher_id__in=teacher_ids, status=Goal.Status.OPEN
        ).order_by("created_at", "pk"):
            goals.setdefault(goal.teacher_id, goal)
        rows = []
        for n, enrolment in enumerate(self.enrolled):
            goal = goals.get(enrolment.teacher_id)
            if goal is None or (enrolment is not self.key and n % 3):
                continue
            agreed = _at(self.cohort.starts_on + dt.timedelta(days=12), 16)
            rows.append(
                GoalAgreement(
                    trust=self.trust,
                    enrolment=enrolment,
                    goal=goal,
                    teacher_agreed_at=agreed,
                    coach_agreed_at=agreed,
                    tutor_agreed_at=agreed if enrolment is self.key else None,
                    goal_version=goal.version,
                )
            )
        GoalAgreement.objects.bulk_create(rows)

    def portfolio(self):
        """The demo teacher's case study, a reflection and some evidence; others' case studies
        once released."""
        module = self.modules[0]
        finals = {
            v.submission.enrolment_id: v
            for v in self.versions
            if v.kind == SubmissionVersion.Kind.FINAL
            and v.submission.assignment_id == self.assignments[0].pk
        }
        items = []
        for enrolment in self.enrolled:
            version = finals.get(enrolment.pk)
            submission = self.first_submissions.get(enrolment.pk)
            if version is None or submission.status != S.RELEASED:
                continue
            items.append(
                PortfolioItem(
                    trust=self.trust,
                    enrolment=enrolment,
                    module=module,
                    submission_version=version,
                    added_at=submission.released_at + dt.timedelta(days=1),
                    position=0,
                )
            )
        if self.key is not None:
            teacher = self.key.teacher_id
            position = 1
            for field, model in (("evidence", EvidenceItem), ("reflection", Reflection)):
                for thing in model.objects.filter(teacher_id=teacher).order_by("pk")[:2]:
                    items.append(
                        PortfolioItem(
                            trust=self.trust,
                            enrolment=self.key,
                            module=module,
                            added_at=self.now - dt.timedelta(days=10 - position),
                            position=position,
                            **{field: thing},
                        )
                    )
                    position += 1
        PortfolioItem.objects.bulk_create(items)

    def qualifications(self):
        coaches = list(dict.fromkeys(e.coach for e in self.enrolled))
        CoachQualification.objects.bulk_create(
            CoachQualification(
                trust=self.trust,
                coach=coach,
                level=level,
                subject=subject,
                recorded_on=self.cohort.starts_on,
                recorded_by=self.people["programme-lead"],
            )
            for coach, (level, subject) in zip(coaches, itertools.cycle(QUALIFICATIONS))
        )


def demo_programmes(trust, today, rng):
    """Add the University of Wessex, its MA and the teachers studying on it to the demo trust.
    Runs inside the trust's scope, after the people, the coaching and the goals exist."""
    rows = _Rows(trust, today, rng)
    rows.staff()
    rows.programme()
    rows.enrolments()
    rows.submissions()
    rows.meetings()
    rows.readings_and_prompts()
    rows.goals()
    rows.portfolio()
    rows.qualifications()
