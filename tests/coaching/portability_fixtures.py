"""A teacher's record with something of every kind, for the export and import tests.

The world's teacher (trust A, school A1) gets: an earlier mentoring period handed over to their
current coaching; a finished specialist period tied to a strand; a co-coaching pair (only the
half where they are coached is theirs); steps they and their coaches proposed, one continued
across the handover; rehearsals, drop-ins (and a draft, which is not theirs yet); two versions
of a learning agreement; step proposals; goals with progress notes; reflections; evidence of
each kind (a real PDF and a real PNG among them); and stage assessments that go down as well
as up. Others' records sit beside it, to show they stay out.
"""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone

from coachloop.coaching.models import (
    ActionStep,
    AgreementConsent,
    AgreementVersion,
    DropIn,
    EvidenceItem,
    EvidenceKind,
    Goal,
    GoalProgress,
    Reflection,
    Rehearsal,
    Relationship,
    StageAssessment,
    StepProposal,
)
from coachloop.coaching.portability.export import build_document
from coachloop.coaching.portability.format import PARTS
from coachloop.coaching.queries.portability import teacher_record
from coachloop.common.tenancy import scopes_disabled, trust_scope
from tests.upload_files import blank_pdf

# Small real files of their kinds: filetype recognises them by their first bytes.
PDF_BYTES = blank_pdf()  # a real PDF: evidence files are parsed to look for active content
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def export(teacher, trust):
    """The teacher's record in ``trust`` as the export document."""
    with trust_scope(trust):
        return build_document(teacher_record(teacher=teacher, trust=trust))


def items_of(document, part):
    """(item, its parents) for every item of ``part`` in the document."""

    def down(items, chain, path):
        key, rest = path[0], path[1:]
        for item in items.get(key, []):
            if not rest:
                yield item, chain
            else:
                yield from down(item, (*chain, item), rest)

    path = path_to(part)
    yield from down(document, (), path)


def path_to(target, parts=PARTS, prefix=()):
    for part in parts:
        if part is target:
            return (*prefix, part.key)
        found = path_to(target, part.children, (*prefix, part.key))
        if found:
            return found
    return None


def counts_of_every_table():
    """Rows in every table, to show a refused import wrote nothing."""
    with scopes_disabled():
        counts = {m._meta.label: m._base_manager.count() for m in apps.get_models()}
    return counts


@dataclass
class RichRecord:
    teacher: object
    current: object  # the running relationship (world.own.relationship)
    earlier: object  # mentoring, handed over to ``current``
    specialist: object
    co_coached: object  # the co-coaching half where the teacher is coached
    co_coaching: object  # the other half: the teacher coaches their peer (not theirs)
    evidence_file: object
    others: dict


def _evidence_file(item, content, name):
    item.file_suffix = "." + name.rsplit(".", 1)[1]
    item.file.save(name, ContentFile(content), save=False)
    item.size = len(content)
    item.save()
    return item


def build_rich_record(world):
    own = world.own
    trust = world.trust
    teacher, coach = own.teacher, own.coach
    mentor = world.people["other_coach"]
    peer = world.other_school.teacher
    today = timezone.localdate()
    now = timezone.now()

    def day(n):
        return today - dt.timedelta(days=n)

    def ago(n):
        return now - dt.timedelta(days=n)

    def add(model, **fields):
        return model.objects.create(trust=trust, **fields)

    with scopes_disabled():
        strand = own.framework_step.strand
        earlier = add(
            Relationship,
            school=own.school,
            coach=mentor,
            teacher=teacher,
            kind=Relationship.Kind.MENTORING,
            started_on=day(400),
            finished_on=day(61),
            coach_reads_until=day(31),
            induction_starts_on=day(400),
            induction_ends_on=day(35),
            cadence_days=14,
        )
        current = own.relationship
        current.handed_over_from = earlier
        current.earlier_content_consented_at = ago(50)
        current.cadence_days = 7
        current.save()
        specialist = add(
            Relationship,
            school=own.school,
            coach=coach,
            teacher=teacher,
            kind=Relationship.Kind.SPECIALIST,
            started_on=day(300),
            finished_on=day(200),
            strand=strand,
            subject="Reading aloud in Year 9",
        )
        co_coached = add(
            Relationship,
            school=own.school,
            coach=peer,
            teacher=teacher,
            kind=Relationship.Kind.CO_COACHING,
            started_on=day(120),
            finished_on=day(90),
        )
        co_coaching = add(
            Relationship,
            school=own.school,
            coach=teacher,
            teacher=peer,
            kind=Relationship.Kind.CO_COACHING,
            started_on=day(120),
            finished_on=day(90),
            peer=co_coached,
        )
        co_coached.peer = co_coaching
        co_coached.save()

        # Steps: one carried over the handover, one the teacher proposed, the current one.
        old_step = add(
            ActionStep,
            relationship=earlier,
            framework_step=own.framework_step,
            title="Wait for silence after the signal",
            success_looks_like="Every pupil is facing the front before I speak.",
            status=ActionStep.Status.PRACTISING,
            set_on=day(150),
            closed_on=day(61),
            outcome=ActionStep.Outcome.HANDED_OVER,
            proposed_by=mentor,
        )
        own.step.continues = old_step
        own.step.status = ActionStep.Status.PRACTISING
        own.step.save()
        embedded = add(
            ActionStep,
            relationship=earlier,
            title="Name the routine before transitions",
            success_looks_like="Pupils move to groups in under a minute.",
            status=ActionStep.Status.EMBEDDED,
            set_on=day(300),
            closed_on=day(151),
            outcome=ActionStep.Outcome.EMBEDDED,
            proposed_by=teacher,
        )
        add(
            ActionStep,
            relationship=specialist,
            title="Model fluent reading of the first paragraph",
            success_looks_like="Pupils read the next paragraph with the same expression.",
            status=ActionStep.Status.SET,
            set_on=day(280),
            closed_on=day(200),
            outcome=ActionStep.Outcome.COACHING_ENDED,
            proposed_by=coach,
        )
        coaching_step = add(
            ActionStep,
            relationship=co_coaching,
            title="A step the teacher set for their peer",
            success_looks_like="Not the teacher's own record.",
            set_on=day(110),
            closed_on=day(90),
            outcome=ActionStep.Outcome.COACHING_ENDED,
            proposed_by=teacher,
        )
        add(
            Rehearsal,
            action_step=old_step,
            planned_for=day(140),
            mode=Rehearsal.Mode.ALONE,
            plan="Practise the signal in the empty room, counting to three.",
            done_on=day(139),
            how_it_went="Easier than expected; the count helps.",
            planned_by=teacher,
        )
        add(
            Rehearsal,
            action_step=old_step,
            planned_for=day(130),
            mode=Rehearsal.Mode.TOGETHER,
            plan="Rehearse with the mentor playing a chatty table.",
            planned_by=mentor,
        )
        add(
            Rehearsal,
            action_step=coaching_step,
            planned_for=day(100),
            mode=Rehearsal.Mode.TOGETHER,
            plan="Not the teacher's own record.",
            planned_by=teacher,
        )
        add(
            DropIn,
            relationship=earlier,
            visited_on=day(100),
            class_or_group="8Y1",
            minutes=15,
            strengths="Clear signal, and the class responded within seconds.",
            noticed="Two pupils at the back kept talking.",
            evidence="Silence within five seconds on the second signal.",
            followup_step=old_step,
            followup=DropIn.FollowUp.EMERGING,
            is_draft=False,
        )
        add(
            DropIn,
            relationship=co_coaching,
            visited_on=day(95),
            class_or_group="7B",
            minutes=10,
            strengths="Not the teacher's own record.",
            is_draft=False,
        )

        # Two versions of the learning agreement: one in force, one waiting for the coach.
        first = add(
            AgreementVersion,
            relationship=current,
            number=1,
            ground_rules="We start on time and finish with one clear next step.",
            confidentiality="What we discuss stays between us.",
            sharing="Nothing is shared unless I choose to share it.",
            appraisal=AgreementVersion.Appraisal.SEPARATE,
            meeting_frequency="Weekly, on Tuesdays",
            proposed_by=coach,
            proposed_at=ago(55),
            in_force_from=ago(54),
        )
        add(AgreementConsent, version=first, person=coach, agreed_at=ago(55))
        add(AgreementConsent, version=first, person=teacher, agreed_at=ago(54))
        second = add(
            AgreementVersion,
            relationship=current,
            number=2,
            ground_rules="We start on time.",
            confidentiality="What we discuss stays between us.",
            sharing="I may bring one goal to my appraisal.",
            appraisal=AgreementVersion.Appraisal.TEACHER_CHOOSES,
            meeting_frequency="Fortnightly",
            proposed_by=teacher,
            proposed_at=ago(5),
        )
        add(AgreementConsent, version=second, person=teacher, agreed_at=ago(5))

        add(
            StepProposal,
            relationship=earlier,
            framework_step=own.framework_step,
            title="Name the routine before transitions",
            success_looks_like="Pupils move to groups in under a minute.",
            why="Transitions eat ten minutes a lesson.",
            proposed_by=teacher,
            proposed_on=day(301),
            status=StepProposal.Status.ACCEPTED,
            response="Yes: let's rehearse it on Thursday.",
            responded_on=day(300),
            action_step=embedded,
        )
        add(
            StepProposal,
            relationship=current,
            title="Cold call after think time",
            success_looks_like="Every pupil has an answer ready when I call on them.",
            proposed_by=teacher,
            proposed_on=day(2),
        )

        goal = add(
            Goal,
            teacher=teacher,
            relationship=current,
            title="More pupils start the task straight away",
            why="The first five minutes set the lesson's pace.",
            pupils="Year 8, set 3",
            evidence_kinds=[EvidenceKind.PUPIL_WORK, EvidenceKind.OBSERVATION],
            evidence_plan="Count how many have written a line by minute three.",
            review_on=today + dt.timedelta(days=30),
            created_by=teacher,
            created_at=ago(40),
            version=3,
        )
        add(
            GoalProgress,
            goal=goal,
            written_on=day(20),
            note="Twelve of twenty-eight by minute three.",
            written_by=teacher,
        )
        add(
            GoalProgress,
            goal=goal,
            written_on=day(10),
            note="Twenty of twenty-eight: the do-now on the door helps.",
            written_by=coach,
        )
        old_goal = add(
            Goal,
            teacher=teacher,
            title="Calmer lesson endings",
            pupils="Year 10 science",
            evidence_kinds=[EvidenceKind.PUPIL_VOICE],
            review_on=day(70),
            status=Goal.Status.ACHIEVED,
            created_by=None,
            created_at=ago(200),
        )
        add(
            Reflection,
            teacher=teacher,
            written_on=day(19),
            title="Why the starts drift",
            body="I talk before everyone is ready.\nTomorrow: wait, then speak.",
            goal=goal,
        )
        add(
            Reflection,
            teacher=teacher,
            written_on=day(138),
            title="Practising alone",
            body="Counting to three felt silly but worked.",
            action_step=old_step,
        )
        add(
            Reflection,
            teacher=teacher,
            written_on=day(1),
            title="A good week",
            body="Three calm starts in a row.",
        )

        evidence_file = _evidence_file(
            EvidenceItem(
                trust=trust,
                teacher=teacher,
                goal=goal,
                kind=EvidenceItem.Kind.FILE,
                title="Starter task tally",
                note="Counted over two weeks.",
                original_name="starter tally.pdf",
                content_type="application/pdf",
                added_by=teacher,
                added_on=day(9),
            ),
            PDF_BYTES,
            "starter tally.pdf",
        )
        _evidence_file(
            EvidenceItem(
                trust=trust,
                teacher=teacher,
                action_step=old_step,
                kind=EvidenceItem.Kind.FILE,
                title="Seating plan photo",
                original_name="plan.png",
                content_type="image/png",
                added_by=mentor,
                added_on=day(120),
            ),
            PNG_BYTES,
            "plan.png",
        )
        add(
            EvidenceItem,
            teacher=teacher,
            action_step=own.step,
            kind=EvidenceItem.Kind.LINK,
            title="Lesson video",
            url="https://video.example.org/lessons/42",
            added_by=coach,
            added_on=day(7),
        )
        add(
            EvidenceItem,
            teacher=teacher,
            goal=old_goal,
            kind=EvidenceItem.Kind.PUPIL_VOICE,
            title="What Year 10 said",
            note="“We know what's next, so we pack up calmly.”",
            added_by=teacher,
            added_on=day(75),
        )
        for days_ago, stage, by in ((300, 1, teacher), (150, 3, teacher), (60, 2, coach)):
            add(
                StageAssessment,
                teacher=teacher,
                strand=strand,
                strand_code=strand.code,
                strand_title=strand.title,
                stage=stage,
                assessed_on=day(days_ago),
                assessed_by=by,
                note="After the move to a new school." if stage == 2 else "",
            )
        # Other people's records, which must stay out of the teacher's file.
        others = {
            "goal": add(
                Goal,
                teacher=peer,
                title="Not the teacher's goal",
                pupils="7B",
                review_on=today,
                created_at=now,
            ),
            "reflection": add(
                Reflection, teacher=coach, written_on=today, title="Coach's own", body="x"
            ),
            "coaching_step": coaching_step,
        }
    return RichRecord(
        teacher=teacher,
        current=current,
        earlier=earlier,
        specialist=specialist,
        co_coached=co_coached,
        co_coaching=co_coaching,
        evidence_file=evidence_file,
        others=others,
    )
