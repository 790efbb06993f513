"""The demo's partnership between school and university: three-way meetings with actions,
a coach's discussion prompts on the readings, goals agreed by the three, portfolio items, and
the coaches' qualifications.
"""

import datetime as dt
import itertools

from coachloop.coaching.models import EvidenceItem, Goal, Reflection
from coachloop.demo.programmes.rows import on_day_at
from coachloop.programmes.models import (
    CoachQualification,
    DiscussionPrompt,
    GoalAgreement,
    Meeting,
    MeetingAction,
    PortfolioItem,
    Submission,
    SubmissionVersion,
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


def add_meetings(rows):
    """A first meeting for everyone; a recent one with actions for most; one to come."""
    today = rows.today
    meetings, actions = [], []
    for n, enrolment in enumerate(rows.enrolled):
        key = enrolment is rows.key
        first_day = rows.cohort.starts_on + dt.timedelta(days=10 + n % 5)
        meetings.append(
            Meeting(
                trust=rows.trust,
                enrolment=enrolment,
                scheduled_for=on_day_at(first_day, 15, 45),
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
                    trust=rows.trust,
                    enrolment=enrolment,
                    scheduled_for=on_day_at(recent, 15, 45),
                    agenda=MEETING_AGENDAS[1],
                    held_on=recent,
                    notes=MEETING_NOTES[1],
                    created_by=enrolment.tutor,
                )
            )
        if key:
            meetings.append(
                Meeting(
                    trust=rows.trust,
                    enrolment=enrolment,
                    scheduled_for=on_day_at(today + dt.timedelta(days=9), 15, 45),
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
                    trust=rows.trust,
                    meeting=meeting,
                    text=text,
                    owner=owners[who],
                    due_on=due,
                    done_on=(None if recent and m != 2 else meeting.held_on + dt.timedelta(days=5)),
                )
            )
    MeetingAction.objects.bulk_create(actions)


def add_discussion_prompts(rows):
    """Coaches' discussion prompts on the readings: three for the demo teacher, one for every
    fourth other enrolment."""
    prompts = []
    for n, enrolment in enumerate(rows.enrolled):
        if enrolment is not rows.key and n % 4:
            continue
        for m, reading in enumerate(rows.readings[0][:2] + rows.readings[1][:1]):
            if enrolment is not rows.key and m:
                break
            prompts.append(
                DiscussionPrompt(
                    trust=rows.trust,
                    reading=reading,
                    enrolment=enrolment,
                    text=PROMPTS[m],
                    written_by=enrolment.coach,
                    written_at=on_day_at(rows.cohort.starts_on + dt.timedelta(weeks=2 + m * 4), 16),
                )
            )
    DiscussionPrompt.objects.bulk_create(prompts)


def add_goal_agreements(rows):
    """The demo teacher's first goal agreed by all three; others' awaiting the tutor."""
    teacher_ids = [e.teacher_id for e in rows.enrolled]
    goals = {}
    for goal in Goal.objects.filter(teacher_id__in=teacher_ids, status=Goal.Status.OPEN).order_by(
        "created_at", "pk"
    ):
        goals.setdefault(goal.teacher_id, goal)
    agreements = []
    for n, enrolment in enumerate(rows.enrolled):
        goal = goals.get(enrolment.teacher_id)
        if goal is None or (enrolment is not rows.key and n % 3):
            continue
        agreed = on_day_at(rows.cohort.starts_on + dt.timedelta(days=12), 16)
        agreements.append(
            GoalAgreement(
                trust=rows.trust,
                enrolment=enrolment,
                goal=goal,
                teacher_agreed_at=agreed,
                coach_agreed_at=agreed,
                tutor_agreed_at=agreed if enrolment is rows.key else None,
                goal_version=goal.version,
            )
        )
    GoalAgreement.objects.bulk_create(agreements)


def add_portfolio_items(rows):
    """The demo teacher's case study, a reflection and some evidence; others' case studies
    once released."""
    module = rows.modules[0]
    finals = {
        v.submission.enrolment_id: v
        for v in rows.versions
        if v.kind == SubmissionVersion.Kind.FINAL
        and v.submission.assignment_id == rows.assignments[0].pk
    }
    items = []
    for enrolment in rows.enrolled:
        version = finals.get(enrolment.pk)
        submission = rows.first_submissions.get(enrolment.pk)
        if version is None or submission.status != Submission.Status.RELEASED:
            continue
        items.append(
            PortfolioItem(
                trust=rows.trust,
                enrolment=enrolment,
                module=module,
                submission_version=version,
                added_at=submission.released_at + dt.timedelta(days=1),
                position=0,
            )
        )
    if rows.key is not None:
        teacher = rows.key.teacher_id
        position = 1
        for field, model in (("evidence", EvidenceItem), ("reflection", Reflection)):
            for thing in model.objects.filter(teacher_id=teacher).order_by("pk")[:2]:
                items.append(
                    PortfolioItem(
                        trust=rows.trust,
                        enrolment=rows.key,
                        module=module,
                        added_at=rows.now - dt.timedelta(days=10 - position),
                        position=position,
                        **{field: thing},
                    )
                )
                position += 1
    PortfolioItem.objects.bulk_create(items)


def add_coach_qualifications(rows):
    """The qualifications of the enrolled teachers' coaches, as the programme lead records them."""
    coaches = list(dict.fromkeys(e.coach for e in rows.enrolled))
    CoachQualification.objects.bulk_create(
        CoachQualification(
            trust=rows.trust,
            coach=coach,
            level=level,
            subject=subject,
            recorded_on=rows.cohort.starts_on,
            recorded_by=rows.people["programme-lead"],
        )
        for coach, (level, subject) in zip(coaches, itertools.cycle(QUALIFICATIONS))
    )
