"""The edges of the workflow a review found: a marker who also leads or moderates is still
blind; a teacher who also works on their programme still waits for release; work cannot be
marked without weighted criteria, nor by the person who wrote it; a later batch is sampled in
a draw of its own; the teacher's tutor cannot be made second marker; an enrolment needs three
different people; a place that has ended takes no more work; a second tutor marking reads
only the final version; and a coach's caseload counts every teacher on the programme."""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coachloop.coaching.models import Goal
from coachloop.programmes.models import (
    Criterion,
    Enrolment,
    Mark,
    MarkClaim,
    PortfolioItem,
    Programme,
    ProgrammeStaff,
    Submission,
    SubmissionVersion,
)
from coachloop.programmes.queries.assessment import assessment_for
from coachloop.programmes.queries.momentum import momentum
from coachloop.programmes.queries.student_pages import submission_reading
from coachloop.programmes.services.claims import submission_claim
from coachloop.programmes.services.enrolments import enrolment_add
from coachloop.programmes.services.goals import programme_goal_agree, programme_goal_bring
from coachloop.programmes.services.markers import marker_replace
from coachloop.programmes.services.meetings import meeting_record, meeting_schedule
from coachloop.programmes.services.moderation import moderation_sample_draw
from coachloop.programmes.services.portfolio import portfolio_item_add
from coachloop.programmes.services.submissions import (
    extension_grant,
    submission_version_add,
)
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import ON_TIME, fresh, mark, submit

pytestmark = pytest.mark.django_db


def _also(pw, person, role):
    ProgrammeStaff.objects.create(trust=pw.trust, programme=pw.programme, person=person, role=role)


def test_a_first_marker_who_also_leads_the_programme_is_still_blind(programme):
    _also(programme, programme.tutor, ProgrammeStaff.Role.LEAD)
    submission = submit(programme)
    mark(programme, submission, programme.coach, 70, 70)
    seen = assessment_for(programme.as_(programme.tutor), submission.pk)
    assert seen.marks == [] and seen.hidden


def test_a_lead_who_is_not_marking_sees_both_marks_as_they_come_in(programme):
    submission = submit(programme)
    mark(programme, submission, programme.coach, 70, 70)
    seen = assessment_for(programme.as_(programme.lead), submission.pk)
    assert [m.marker for m in seen.marks] == [programme.coach] and not seen.hidden


def test_a_teacher_who_also_moderates_sees_nothing_of_their_marks_before_release(programme):
    teacher = programme.enrolments[0].teacher
    _also(programme, teacher, ProgrammeStaff.Role.MODERATOR)
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 60, 60)
    mark(programme, submission, programme.coach, 61, 61)
    seen = assessment_for(programme.as_(teacher), submission.pk)
    assert (seen.marks, seen.final_mark, seen.hidden) == ([], None, True)


def test_work_cannot_be_marked_until_the_assignment_has_weighted_criteria(programme):
    Criterion.objects.filter(assignment=programme.assignment).update(weight=0)
    submission = submit(programme)
    with pytest.raises(ValidationError, match="no weighted marking criteria"):
        mark(programme, submission, programme.tutor, 60, 60)
    assert fresh(submission).status == Submission.Status.NOT_MARKED


def test_a_marker_whose_mark_is_in_cannot_claim_their_slot_again(programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 60, 60)
    with pytest.raises(ValidationError, match="Your mark for this submission is in already"):
        submission_claim(viewer=programme.as_(programme.tutor), submission=submission)
    assert not MarkClaim.objects.exists()


def test_a_later_batch_after_an_extension_is_sampled_in_a_draw_of_its_own(world, scoped):
    pw = build_programme(world, teachers=3, moderation_percent=20)
    late = pw.enrolments[2]
    for enrolment in pw.enrolments[:2]:
        submission = submit(pw, enrolment)
        mark(pw, submission, pw.tutor, 60, 60)
        mark(pw, submission, pw.coach, 60, 60)
    submission_version_add(
        viewer=pw.as_(late.teacher),
        enrolment=late,
        assignment=pw.assignment,
        text="A first draft.",
        final=False,
        now=ON_TIME,
    )
    extended = Submission.objects.get(enrolment=late)
    extension_grant(
        viewer=pw.as_(pw.tutor),
        submission=extended,
        due_at=extended.due_at + dt.timedelta(days=14),
        reason="Illness in the family.",
        now=ON_TIME,
    )
    lead = pw.as_(pw.lead)
    first = moderation_sample_draw(viewer=lead, assignment=pw.assignment, rng=random.Random(1))
    assert len(first) == 1  # 20% of two, rounded up
    submit(pw, late, now=ON_TIME + dt.timedelta(days=10))
    mark(pw, fresh(extended), pw.tutor, 55, 55)
    mark(pw, fresh(extended), pw.coach, 55, 55)
    second = moderation_sample_draw(viewer=lead, assignment=pw.assignment, rng=random.Random(1))
    assert [s.pk for s in second] == [extended.pk]
    assert fresh(extended).status == Submission.Status.IN_REVIEW
    with pytest.raises(ValidationError, match="No work is waiting"):
        moderation_sample_draw(viewer=lead, assignment=pw.assignment)


def test_the_teachers_tutor_cannot_be_chosen_to_mark_second_even_before_hand_in(world, scoped):
    pw = build_programme(world, second_marker=Programme.SecondMarker.TUTOR)
    enrolment = pw.enrolments[0]
    draft = submission_version_add(
        viewer=pw.as_(enrolment.teacher),
        enrolment=enrolment,
        assignment=pw.assignment,
        text="A first draft.",
        final=False,
        now=ON_TIME,
    ).submission
    with pytest.raises(ValidationError, match="in another place"):
        marker_replace(
            viewer=pw.as_(pw.lead), submission=draft, position=Mark.Position.SECOND, person=pw.tutor
        )
    assert fresh(draft).second_marker is None


def test_no_second_marker_is_replaced_once_the_marks_are_released(world, scoped):
    # Until release the lead may replace a marker (with a reason, withdrawing the mark: see
    # test_markers.py); once the marks are released it is a correction instead.
    pw = build_programme(world, second_marker=Programme.SecondMarker.TUTOR)
    submission = submit(pw)
    lead = pw.as_(pw.lead)
    marker_replace(
        viewer=lead, submission=submission, position=Mark.Position.SECOND, person=pw.other_tutor
    )
    mark(pw, submission, pw.tutor, 60, 60)
    mark(pw, submission, pw.other_tutor, 60, 60)
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.RELEASED)
    with pytest.raises(ValidationError, match="released"):
        marker_replace(
            viewer=lead,
            submission=submission,
            position=Mark.Position.SECOND,
            person=pw.coach,
            reason="Too late.",
        )
    assert fresh(submission).second_marker == pw.other_tutor


@pytest.mark.parametrize(
    "tutor_is, message",
    [("teacher", "cannot be their own tutor"), ("coach", "someone other than the teacher's coach")],
)
def test_an_enrolment_needs_a_tutor_who_is_neither_the_teacher_nor_their_coach(
    world, programme, tutor_is, message
):
    teacher, coach = world.other_school.teacher, world.other_school.coach
    person = teacher if tutor_is == "teacher" else coach
    _also(programme, person, ProgrammeStaff.Role.TUTOR)
    cohort = programme.enrolments[0].cohort
    with pytest.raises(ValidationError, match=message):
        enrolment_add(
            viewer=programme.as_(programme.lead),
            cohort=cohort,
            teacher=teacher,
            school=world.other_school.school,
            coach=coach,
            tutor=person,
            started_on=timezone.localdate(),
        )
    assert not Enrolment.objects.filter(teacher=teacher).exists()


def test_a_teacher_whose_place_has_ended_cannot_hand_in_work(programme):
    enrolment = programme.enrolments[0]
    Enrolment.objects.filter(pk=enrolment.pk).update(finished_on=dt.date(2026, 1, 31))
    enrolment.refresh_from_db()
    with pytest.raises(ValidationError, match="place on this programme has ended"):
        submission_version_add(
            viewer=programme.as_(enrolment.teacher),
            enrolment=enrolment,
            assignment=programme.assignment,
            text="My case study.",
            final=True,
            now=timezone.make_aware(dt.datetime(2026, 3, 1, 12)),
        )
    assert not SubmissionVersion.objects.exists()


def test_a_second_tutor_marking_reads_the_final_version_and_not_the_drafts(world, scoped):
    pw = build_programme(world, second_marker=Programme.SecondMarker.TUTOR)
    enrolment = pw.enrolments[0]
    submission_version_add(
        viewer=pw.as_(enrolment.teacher),
        enrolment=enrolment,
        assignment=pw.assignment,
        text="A rough first draft, for my coach.",
        final=False,
        now=ON_TIME,
    )
    submission = submit(pw)
    marker_replace(
        viewer=pw.as_(pw.lead),
        submission=submission,
        position=Mark.Position.SECOND,
        person=pw.other_tutor,
    )
    as_second = submission_reading(pw.as_(pw.other_tutor), submission.pk)
    assert [v.kind for v in as_second.versions] == [SubmissionVersion.Kind.FINAL]
    as_tutor = submission_reading(pw.as_(pw.tutor), submission.pk)
    assert [v.kind for v in as_tutor.versions] == [
        SubmissionVersion.Kind.DRAFT,
        SubmissionVersion.Kind.FINAL,
    ]


def test_a_tutor_sees_a_coachs_caseload_across_the_whole_programme(world, scoped):
    pw = build_programme(world, teachers=3, caseload_limit=2)
    Enrolment.objects.filter(pk=pw.enrolments[2].pk).update(tutor=pw.other_tutor)
    coaches = momentum(pw.as_(pw.tutor), pw.programme.pk).coaches
    assert [(c.caseload, c.over_caseload) for c in coaches] == [(3, True)]


def _ended(enrolment, on=dt.date(2026, 1, 31)):
    Enrolment.objects.filter(pk=enrolment.pk).update(finished_on=on)
    enrolment.refresh_from_db()
    return enrolment


def test_a_meeting_held_after_the_place_ended_cannot_be_recorded_but_one_before_can(programme):
    enrolment = programme.enrolments[0]
    meeting = meeting_schedule(
        viewer=programme.as_(programme.coach),
        enrolment=enrolment,
        scheduled_for=timezone.make_aware(dt.datetime(2026, 1, 20, 16)),
        agenda="The case study's evidence.",
    )
    _ended(enrolment)
    record = {"viewer": programme.as_(programme.tutor), "meeting": meeting, "notes": "We met."}
    with pytest.raises(ValidationError, match="had ended by then"):
        meeting_record(**record, held_on=dt.date(2026, 2, 2))
    meeting_record(**record, held_on=dt.date(2026, 1, 20))
    meeting.refresh_from_db()
    assert meeting.held_on == dt.date(2026, 1, 20)


def test_after_the_place_ends_no_goal_is_brought_or_agreed_and_nothing_joins_the_portfolio(
    programme,
):
    enrolment = programme.enrolments[0]
    teacher = programme.as_(enrolment.teacher)
    goal = Goal.objects.create(
        trust=programme.trust,
        teacher=enrolment.teacher,
        title="More pupils explain their reasoning",
        pupils="Year 9",
        review_on=dt.date(2026, 6, 1),
        created_by=enrolment.teacher,
        created_at=timezone.now(),
    )
    agreement = programme_goal_bring(viewer=teacher, enrolment=enrolment, goal=goal)
    draft = submission_version_add(
        viewer=teacher,
        enrolment=enrolment,
        assignment=programme.assignment,
        text="A first draft.",
        final=False,
        now=ON_TIME,
    )
    _ended(enrolment)
    with pytest.raises(ValidationError, match="place on the programme has ended"):
        programme_goal_agree(viewer=programme.as_(programme.coach), agreement=agreement)
    other = Goal.objects.create(
        trust=programme.trust,
        teacher=enrolment.teacher,
        title="Calmer starts to lessons",
        pupils="Year 7",
        review_on=dt.date(2026, 6, 1),
        created_by=enrolment.teacher,
        created_at=timezone.now(),
    )
    with pytest.raises(ValidationError, match="place on this programme has ended"):
        programme_goal_bring(viewer=teacher, enrolment=enrolment, goal=other)
    with pytest.raises(ValidationError, match="place on this programme has ended"):
        portfolio_item_add(
            viewer=teacher, enrolment=enrolment, module=programme.assignment.module, item=draft
        )
    agreement.refresh_from_db()
    assert agreement.coach_agreed_at is None
    assert not PortfolioItem.objects.exists()
