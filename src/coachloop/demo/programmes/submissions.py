"""The demo's submissions: the first module's case study, past due, in every state of marking,
moderation and release; the second module's inquiry, due in a few weeks, with drafts and
formative feedback.
"""

import datetime as dt
import itertools
from decimal import ROUND_HALF_UP, Decimal

from coachloop.demo.programmes.course import BANDS
from coachloop.programmes.models import (
    Extension,
    Feedback,
    Mark,
    MarkClaim,
    ReconciliationProposal,
    Submission,
    SubmissionVersion,
)
from coachloop.programmes.services.submissions import word_count

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
    S.ADJUDICATION,
    S.RELEASED,
    S.IN_REVIEW,
    S.NOT_MARKED,
)
MARKED = (S.MARKING_DONE, S.IN_REVIEW, S.READY, S.RELEASED)

RECONCILED_FEEDBACK = (
    "Your evidence from the drop-ins is strong and the change in your classroom is clear. "
    "To reach the next band, use the readings to question what you saw rather than to "
    "describe it, and say what you would do differently."
)
# Each assignment's paragraphs, in the order a piece of work uses them: a submission takes
# some of them, always in this order. Written to suit a primary or a secondary teacher.
CASE_STUDY = (
    "The action step my coach and I agreed was to give one instruction at a time, with a "
    "clear signal to start, because transitions in my class were taking several minutes.",
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
INQUIRY = (
    "My question is whether asking every pupil to write an answer on a mini-whiteboard, "
    "before anyone answers aloud, changes how many of them can explain the idea a week later.",
    "I chose it with my coach after three drop-ins in which the same few pupils answered "
    "every question, and agreed it with my tutor as a change I could try for four weeks.",
    "I will compare short retrieval quizzes at the start and the end of the four weeks, and "
    "ask a small group of pupils what they notice about answering on the boards.",
    "Coe and colleagues warn that what looks like engagement is a poor proxy for learning, so "
    "the quizzes, rather than how busy the lesson looks, are my main evidence.",
    "The first two weeks suggest more pupils attempt an answer, but the quiz scores have not "
    "moved yet; it is too early to say whether they will.",
    "Rudduck and McIntyre's work on consulting pupils shaped the questions I will ask the "
    "group: what helps them think, not whether they like the boards.",
)
PARAGRAPHS = {"EDM701": CASE_STUDY, "EDM702": INQUIRY}
# Each assignment's feedback on drafts: its own, never another assignment's.
DRAFT_FEEDBACK = {
    "EDM701": (
        "This is a good start: the step is clear and your evidence is well chosen. Say more "
        "about why you chose this step, and link it to one of the readings.",
        "I like how honestly you describe what did not work at first. Try to bring in the "
        "pupils' side of the change: what did they notice?",
        "Your structure works well. The section on the literature summarises rather than uses "
        "the readings: ask what each one helps you explain.",
    ),
    "EDM702": (
        "Your question is focused and you can answer it in four weeks. Say how you will know "
        "whether a change in the quiz scores comes from the boards rather than the topic.",
        "The design is sound. Plan now how you will record the pupils' answers in the group "
        "conversation, so the pupil voice is evidence and not only impressions.",
        "Good to see the early results reported honestly. Link your method to the readings on "
        "inquiry: why a comparison of quizzes, and what it cannot tell you.",
    ),
}
# Markers' comments, by the band of the mark they give (course.BANDS): the words match it.
MARK_COMMENTS = {
    "Distinction": (
        "An insightful account: you connect the rehearsal to the change in your classroom and "
        "weigh other explanations. An excellent piece of reflective writing.",
        "Evidence is chosen and interpreted with real care, and the readings are used to "
        "question the practice, not only to describe it. Critical reflection throughout.",
    ),
    "Merit": (
        "A well-evidenced case study. The drop-in notes are used carefully, and the reflection "
        "on what you would change is thoughtful. Engage more critically with the readings.",
        "Clear and honest writing about your practice. The evidence is good; the discussion of "
        "its limits could go further, and the readings are mostly summarised rather than used.",
    ),
    "Pass": (
        "The action step is well described. To reach the next band, analyse the evidence rather "
        "than report it, and say what the readings add to your understanding.",
        "A sound description of the step and what changed, with some evidence. The reflection "
        "is mostly descriptive: say why it worked, and what you would do differently.",
    ),
    "Fail": (
        "The work describes the step but does not yet meet the brief: the evidence from your "
        "classroom is missing, and the readings are not used. Talk to your tutor about a "
        "resubmission.",
        "There is not yet enough evidence or reflection to pass. Choose two pieces of evidence, "
        "say what each shows and what it cannot, and use at least two of the readings.",
    ),
}


def _band(mark):
    return next(name for name, lowest, highest, _words in BANDS if lowest <= mark <= highest)


def _half_up(value):
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _code(rows, submission):
    """The module code of the submission's assignment."""
    return rows.modules[rows.assignments.index(submission.assignment)].code


def _text(rows, code, paragraphs):
    """Some of the assignment's paragraphs, in their written order."""
    written = PARAGRAPHS[code]
    chosen = sorted(rows.rng.sample(range(len(written)), min(paragraphs, len(written))))
    return "\n\n".join(written[n] for n in chosen)


def _version(rows, submission, number, kind, at):
    final = kind == SubmissionVersion.Kind.FINAL
    text = _text(rows, _code(rows, submission), rows.rng.randint(4, 7) if final else 3)
    version = SubmissionVersion(
        trust=rows.trust,
        submission=submission,
        number=number,
        kind=kind,
        text=text,
        word_count=word_count(text),
        created_at=at,
    )
    rows.versions.append(version)
    return version


def _feedback(rows, version, author, at):
    """Feedback from the assignment's own, none given twice on one draft."""
    pool = DRAFT_FEEDBACK[_code(rows, version.submission)]
    given = {f.body for f in rows.feedback[-2:] if f.version is version}
    body = rows.rng.choice([text for text in pool if text not in given])
    rows.feedback.append(
        Feedback(trust=rows.trust, version=version, author=author, body=body, created_at=at)
    )


def _mark(rows, submission, position, marker, base, at):
    criteria = rows.criteria[0]
    scores = {str(c.pk): max(0, min(100, base + rows.rng.randint(-4, 4))) for c in criteria}
    total = sum(c.weight for c in criteria)
    overall = _half_up(sum(Decimal(scores[str(c.pk)]) * c.weight for c in criteria) / total)
    mark = Mark(
        trust=rows.trust,
        submission=submission,
        position=position,
        marker=marker,
        scores=scores,
        overall=overall,
        comments=rows.rng.choice(MARK_COMMENTS[_band(overall)]),
        submitted_at=at,
    )
    rows.marks.append(mark)
    return mark


def add_submissions(rows):
    """Every enrolment's case study and most of their inquiries, with versions, feedback,
    marks and extensions."""
    first, second = rows.assignments
    rows.versions, rows.feedback, rows.marks, rows.extensions = [], [], [], []
    rows.proposals = []
    rows.claims = []
    first_rows, second_rows = [], []
    others = [e for e in rows.enrolled if e is not rows.key]
    statuses = [(rows.key, S.RELEASED)] if rows.key else []
    statuses += list(zip(others, itertools.cycle(FIRST_ASSIGNMENT_PATTERN)))
    seen = {}
    for enrolment, status in statuses:
        seen[status] = seen.get(status, 0) + 1
        first_rows.append(_first(rows, first, enrolment, status, seen[status]))
    for n, enrolment in enumerate(rows.enrolled):
        row = _second(rows, second, enrolment, n)
        if row is not None:
            second_rows.append(row)
    # Each plan sets its submission's marking fields and makes its versions, feedback and
    # marks (which take the submission's id once it is saved).
    for submission, plan in first_rows + second_rows:
        plan(submission)
    Submission.objects.bulk_create([s for s, _plan in first_rows + second_rows])
    SubmissionVersion.objects.bulk_create(rows.versions)
    Feedback.objects.bulk_create(rows.feedback)
    Mark.objects.bulk_create(rows.marks)
    ReconciliationProposal.objects.bulk_create(rows.proposals)
    MarkClaim.objects.bulk_create(rows.claims)
    Extension.objects.bulk_create(rows.extensions)
    rows.first_submissions = {s.enrolment_id: s for s, _plan in first_rows}


def _first(rows, assignment, enrolment, status, nth):
    """The past-due case study, at ``status``; ``nth`` counts the status so far."""
    rng, now = rows.rng, rows.now
    due = assignment.due_at
    submission = Submission(
        trust=rows.trust,
        enrolment=enrolment,
        assignment=assignment,
        status=status,
        first_marker=enrolment.tutor if status != S.DRAFTING else None,
        second_marker=enrolment.coach if status != S.DRAFTING else None,
        version=1,
    )
    extended = status == S.NOT_MARKED and nth % 2 == 1
    late = status == S.NOT_MARKED and nth % 2 == 0
    if extended:
        submission.extended_due_at = due + dt.timedelta(weeks=3)
        submission.submitted_at = submission.extended_due_at - dt.timedelta(days=2)
    elif late:
        submission.submitted_at = due + dt.timedelta(days=3, hours=2)
        submission.is_late = True
    elif status != S.DRAFTING:
        submission.submitted_at = due - dt.timedelta(days=rng.randint(0, 4), hours=3)
    # A fail goes to moderation with every fail; other marks are mostly merit and pass.
    fail = status == S.IN_REVIEW and nth % 2 == 1
    base = rng.randint(40, 47) if fail else rng.randint(52, 76)
    if enrolment is rows.key:
        base = 66

    def plan(sub):
        if extended:
            rows.extensions.append(
                Extension(
                    trust=rows.trust,
                    submission=sub,
                    due_at=sub.extended_due_at,
                    reason="A family emergency in the week before the deadline.",
                    granted_by=enrolment.tutor,
                    granted_at=due - dt.timedelta(days=2),
                )
            )
        if status == S.DRAFTING:
            return  # the deadline passed without their final work: a momentum prompt
        submitted = sub.submitted_at
        number = 1
        if enrolment is rows.key or rng.random() < 0.6:
            draft = _version(
                rows, sub, 1, SubmissionVersion.Kind.DRAFT, submitted - dt.timedelta(weeks=2)
            )
            _feedback(rows, draft, enrolment.coach, draft.created_at + dt.timedelta(days=2))
            if enrolment is rows.key or rng.random() < 0.5:
                _feedback(rows, draft, enrolment.tutor, draft.created_at + dt.timedelta(days=4))
            number = 2
        _version(rows, sub, number, SubmissionVersion.Kind.FINAL, submitted)
        if status == S.NOT_MARKED:
            return
        marked_at = min(now, submitted + dt.timedelta(days=8))
        _mark(rows, sub, Mark.Position.FIRST, enrolment.tutor, base, marked_at)
        if status == S.IN_MARKING:
            # The coach is marking second right now, and holds their slot meanwhile.
            rows.claims.append(
                MarkClaim(
                    trust=rows.trust,
                    submission=sub,
                    position=Mark.Position.SECOND,
                    marker=enrolment.coach,
                    claimed_until=now + dt.timedelta(minutes=rows.prog.claim_minutes),
                )
            )
            sub.version = 3
            return
        first = rows.marks[-1].overall
        reconciled = status == S.RELEASED and nth == 2
        apart = reconciled or status == S.ADJUDICATION
        second_base = base + (9 if apart else rng.randint(-2, 2))
        second_at = marked_at + dt.timedelta(days=2)
        _mark(rows, sub, Mark.Position.SECOND, enrolment.coach, second_base, second_at)
        second = rows.marks[-1].overall
        if status == S.ADJUDICATION:
            _with_the_lead(rows, sub, enrolment, first, second, second_at)
            return
        if abs(first - second) > rows.prog.tolerance:
            sub.agreed_mark = _half_up(Decimal(first + second) / 2)
            sub.agreed_by = Submission.AgreedBy.RECONCILED
            sub.reconciled_by = enrolment.tutor
            sub.agreed_reason = (
                "We discussed the use of the readings and agreed the work sits between our "
                "two marks: strong evidence, less critical engagement with the literature."
            )
        elif rows.prog.bands_must_agree and _band(first) != _band(second):
            # Close, but either side of a band boundary: the markers settle on a band.
            sub.agreed_mark = first
            sub.agreed_by = Submission.AgreedBy.RECONCILED
            sub.reconciled_by = enrolment.tutor
            sub.agreed_reason = (
                f"Our marks fell either side of a boundary ({_band(first)} and "
                f"{_band(second)}). We read the analysis again together and agreed it is "
                f"{_band(first)} work: the evidence is strong, the use of the readings less so."
            )
        else:
            sub.agreed_mark = _half_up(Decimal(first + second) / 2)
            sub.agreed_by = Submission.AgreedBy.MEAN
        # One marker proposed a reconciled mark and the other confirmed it, with feedback for
        # the teacher; marks agreed on their own give the first marker's comments.
        if sub.agreed_by == Submission.AgreedBy.RECONCILED:
            sub.confirmed_by = enrolment.coach
            sub.agreed_at = second_at + dt.timedelta(days=2)
            sub.agreed_feedback = RECONCILED_FEEDBACK
        else:
            sub.agreed_at = second_at
            sub.agreed_feedback = rows.marks[-2].comments
        sub.version = 5
        if status == S.MARKING_DONE:
            return
        # The sample was drawn; the rest were ready at once.
        sub.in_sample = (
            status == S.IN_REVIEW
            or sub.agreed_mark < rows.prog.pass_mark
            or (status == S.READY and nth % 2 == 1)
            or (status == S.RELEASED and nth % 3 == 0)
        )
        if enrolment is rows.key:
            sub.in_sample = False
        if sub.in_sample and status != S.IN_REVIEW:
            sub.moderator = rows.people["moderator"]
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


def _with_the_lead(rows, sub, enrolment, first, second, second_at):
    """The markers could not agree: the tutor's proposal was declined by the coach, and the
    programme lead asked the other tutor to mark third."""
    proposed_at = second_at + dt.timedelta(days=1)
    rows.proposals.append(
        ReconciliationProposal(
            trust=rows.trust,
            submission=sub,
            proposed_by=enrolment.tutor,
            mark=min(first, second) + abs(first - second) // 3,
            reason="The analysis is sound but the readings are summarised, not used.",
            feedback="A clear account of your action step with good evidence from the "
            "drop-ins. To go further, use the readings to question what you saw.",
            proposed_at=proposed_at,
            outcome=ReconciliationProposal.Outcome.DECLINED,
            answered_by=enrolment.coach,
            answered_at=proposed_at + dt.timedelta(days=1),
            answer_note="I saw the rehearsal change the lessons: the evidence deserves more.",
        )
    )
    others = [rows.people["tutor"], rows.people["tutor2"]]
    sub.third_marker = next(t for t in others if t.pk != enrolment.tutor_id)
    sub.version = 6


def _second(rows, assignment, enrolment, n):
    """The inquiry due in four weeks: drafts, some with feedback, for about two in three."""
    if enrolment is not rows.key and n % 3 == 2:
        return None
    submission = Submission(
        trust=rows.trust,
        enrolment=enrolment,
        assignment=assignment,
        status=S.DRAFTING,
        version=1,
    )

    def plan(sub):
        written = rows.now - dt.timedelta(days=rows.rng.randint(3, 12))
        draft = _version(rows, sub, 1, SubmissionVersion.Kind.DRAFT, written)
        if enrolment is rows.key or n % 2 == 0:
            _feedback(rows, draft, enrolment.coach, written + dt.timedelta(days=1))
        if enrolment is rows.key:
            _feedback(rows, draft, enrolment.tutor, written + dt.timedelta(days=2))

    return submission, plan
