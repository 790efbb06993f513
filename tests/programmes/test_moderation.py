"""Moderation and release: a sample of each assignment's marks is reviewed by a moderator, whose
changed mark is the one released, and nothing reaches the teacher before release."""

import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coachloop.programmes.models import ProgrammeStaff, Submission
from coachloop.programmes.queries.assessment import assessment_for
from coachloop.programmes.services.moderation import (
    marks_release,
    moderation_record,
    moderation_sample_draw,
    sample_for,
)
from coachloop.programmes.services.submissions import submission_version_add
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import ON_TIME, fresh, mark, submit

pytestmark = pytest.mark.django_db


def marked(pw, enrolment, agreed):
    """A submission whose two marks agree on ``agreed``."""
    submission = submit(pw, enrolment)
    mark(pw, submission, pw.tutor, agreed, agreed)
    mark(pw, submission, pw.coach, agreed, agreed)
    return fresh(submission)


def draw(pw, seed=1):
    return moderation_sample_draw(
        viewer=pw.as_(pw.lead), assignment=pw.assignment, rng=random.Random(seed)
    )


@pytest.fixture
def class_of_ten(world, scoped):
    pw = build_programme(world, teachers=10, moderation_percent=20, moderate_all_fails=True)
    agreed = [45, 40, 55, 58, 60, 62, 65, 68, 72, 52]  # two fails
    pw.submissions = [marked(pw, e, a) for e, a in zip(pw.enrolments, agreed, strict=True)]
    return pw


def test_a_sample_of_20_percent_with_all_fails_picks_every_fail_plus_enough_others(world, scoped):
    pw = build_programme(world, teachers=10)
    agreed = [45, 40, 30, 58, 60, 62, 65, 68, 72, 52]  # three fails: more than 20% already
    pw.submissions = [marked(pw, e, a) for e, a in zip(pw.enrolments, agreed, strict=True)]
    sample = draw(pw)
    assert sorted(s.agreed_mark for s in sample) == [30, 40, 45]


def test_when_the_fails_fill_the_share_the_sample_is_the_fails_whatever_the_draw(class_of_ten):
    for seed in range(6):
        sample = sample_for(
            class_of_ten.submissions, class_of_ten.programme, rng=random.Random(seed)
        )
        assert sorted(s.agreed_mark for s in sample) == [40, 45]  # both fails; 20% of 10 is 2


def test_with_one_fail_the_sample_adds_others_at_random_to_reach_its_share(world, scoped):
    pw = build_programme(world, teachers=10)
    agreed = [45, 50, 55, 58, 60, 62, 65, 68, 72, 52]
    pw.submissions = [marked(pw, e, a) for e, a in zip(pw.enrolments, agreed, strict=True)]
    picked_others = set()
    for seed in range(20):
        sample = sample_for(pw.submissions, pw.programme, rng=random.Random(seed))
        marks = [s.agreed_mark for s in sample]
        assert len(marks) == 2 and 45 in marks
        picked_others.update(m for m in marks if m != 45)
    assert len(picked_others) > 3  # the others are chosen at random, not always the same


def test_the_top_band_is_sampled_when_the_programme_says_so(world, scoped):
    pw = build_programme(world, teachers=5, moderate_top_band=True, moderation_percent=0)
    agreed = [45, 55, 70, 85, 62]
    pw.submissions = [marked(pw, e, a) for e, a in zip(pw.enrolments, agreed, strict=True)]
    assert sorted(s.agreed_mark for s in draw(pw)) == [45, 70, 85]


def test_drawing_the_sample_sends_it_to_review_and_the_rest_to_release(class_of_ten):
    sample = draw(class_of_ten)
    statuses = {
        s.pk: s.status for s in Submission.objects.filter(assignment=class_of_ten.assignment)
    }
    for submission in class_of_ten.submissions:
        expected = Submission.Status.IN_REVIEW if submission in sample else Submission.Status.READY
        assert statuses[submission.pk] == expected


def test_a_half_marked_submission_is_left_out_of_the_draw_and_the_rest_are_sampled(world, scoped):
    pw = build_programme(world, teachers=3, moderation_percent=50, moderate_all_fails=False)
    done = [marked(pw, pw.enrolments[0], 60), marked(pw, pw.enrolments[1], 64)]
    half = submit(pw, pw.enrolments[2])
    mark(pw, half, pw.tutor, 60, 60)
    sample = draw(pw)
    assert len(sample) == 1  # 50% of the two marked, not of three
    statuses = {fresh(s).status for s in done}
    assert statuses == {Submission.Status.IN_REVIEW, Submission.Status.READY}
    assert fresh(half).status == Submission.Status.IN_MARKING and not fresh(half).in_sample


def test_work_marked_after_a_draw_is_taken_by_a_later_draw_with_its_own_share(world, scoped):
    pw = build_programme(world, teachers=5, moderation_percent=20, moderate_all_fails=True)
    first_done = [marked(pw, e, 62) for e in pw.enrolments[:2]]
    later = [submit(pw, e) for e in pw.enrolments[2:]]
    assert len(draw(pw)) == 1  # 20% of two, rounded up
    after_first = {s.pk: (fresh(s).status, fresh(s).in_sample) for s in first_done}
    for submission, agreed in zip(later, (45, 66, 68), strict=True):
        mark(pw, submission, pw.tutor, agreed, agreed)
        mark(pw, submission, pw.coach, agreed, agreed)
    second = draw(pw)
    assert [s.agreed_mark for s in second] == [45]  # the fail; 20% of three is one
    assert {fresh(s).status for s in later} == {
        Submission.Status.IN_REVIEW,
        Submission.Status.READY,
    }
    # the first draw's work is left as it was
    assert {s.pk: (fresh(s).status, fresh(s).in_sample) for s in first_done} == after_first


def test_a_draw_with_nothing_marked_yet_says_how_many_are_still_being_marked(world, scoped):
    pw = build_programme(world, teachers=2)
    half = submit(pw, pw.enrolments[0])
    mark(pw, half, pw.tutor, 60, 60)
    submit(pw, pw.enrolments[1])
    with pytest.raises(ValidationError, match="2 submissions are still being marked"):
        draw(pw)
    assert not Submission.objects.filter(in_sample=True).exists()
    assert set(Submission.objects.values_list("status", flat=True)) == {
        Submission.Status.NOT_MARKED,
        Submission.Status.IN_MARKING,
    }


def test_only_the_programme_lead_draws_the_sample(class_of_ten):
    for person in (class_of_ten.tutor, class_of_ten.moderator, class_of_ten.coach):
        with pytest.raises(PermissionDenied):
            moderation_sample_draw(
                viewer=class_of_ten.as_(person), assignment=class_of_ten.assignment
            )


def test_a_moderators_changed_mark_is_the_one_released(class_of_ten):
    pw = class_of_ten
    sample = draw(pw)
    changed, agreed = sample[0], sample[1]
    moderator = pw.as_(pw.moderator)
    moderation_record(
        viewer=moderator,
        submission=changed,
        agree=False,
        mark=50,
        note="The reflection meets the pass descriptors.",
    )
    moderation_record(viewer=moderator, submission=agreed, agree=True)
    marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment)
    teacher_sees = assessment_for(pw.as_(changed.enrolment.teacher), changed.pk)
    assert teacher_sees.final_mark == 50 != changed.agreed_mark
    assert fresh(changed).status == Submission.Status.RELEASED
    other = assessment_for(pw.as_(agreed.enrolment.teacher), agreed.pk)
    assert other.final_mark == agreed.agreed_mark


def test_a_changed_mark_needs_a_note_and_a_mark_in_range(class_of_ten):
    sample = draw(class_of_ten)
    moderator = class_of_ten.as_(class_of_ten.moderator)
    with pytest.raises(ValidationError, match="whole number from 0 to 100"):
        moderation_record(viewer=moderator, submission=sample[0], agree=False, mark=120, note="x")
    with pytest.raises(ValidationError) as refused:
        moderation_record(viewer=moderator, submission=sample[0], agree=False, mark=50, note="")
    assert "note" in refused.value.message_dict
    assert fresh(sample[0]).status == Submission.Status.IN_REVIEW
    assert fresh(sample[0]).moderated_mark is None


def test_a_marker_cannot_moderate_their_own_marking(class_of_ten):
    pw = class_of_ten
    ProgrammeStaff.objects.create(
        trust=pw.trust, programme=pw.programme, person=pw.tutor, role=ProgrammeStaff.Role.MODERATOR
    )
    sample = draw(pw)
    with pytest.raises(ValidationError, match="own marking"):
        moderation_record(viewer=pw.as_(pw.tutor), submission=sample[0], agree=True)


def test_nothing_reaches_the_teacher_before_release(class_of_ten):
    pw = class_of_ten
    sample = draw(pw)
    submission = next(s for s in pw.submissions if s not in sample)  # ready, not yet released
    teacher = pw.as_(submission.enrolment.teacher)
    assert fresh(submission).status == Submission.Status.READY
    seen = assessment_for(teacher, submission.pk)
    assert seen.marks == [] and seen.final_mark is None and seen.hidden
    marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment)
    seen = assessment_for(teacher, submission.pk)
    assert seen.final_mark == submission.agreed_mark and not seen.hidden
    # One piece of feedback (no agreed feedback written: the first marker's), not each
    # marker's marks and comments, which the programme does not show by default.
    assert seen.feedback == f"Feedback from {pw.tutor.full_name}."
    assert seen.marks == []


def test_the_teacher_sees_nothing_of_a_mark_at_any_stage_before_release(world, scoped):
    pw = build_programme(world)
    submission = submit(pw)
    teacher = pw.as_(pw.enrolments[0].teacher)

    def teacher_sees_nothing():
        seen = assessment_for(teacher, submission.pk)
        return seen.marks == [] and seen.final_mark is None

    assert teacher_sees_nothing()  # not marked
    mark(pw, submission, pw.tutor, 60, 60)
    assert teacher_sees_nothing()  # in marking
    mark(pw, submission, pw.coach, 62, 62)
    assert teacher_sees_nothing()  # marking done
    draw(pw)  # one submission, 20%: it is the sample
    assert fresh(submission).status == Submission.Status.IN_REVIEW and teacher_sees_nothing()
    moderation_record(viewer=pw.as_(pw.moderator), submission=submission, agree=True)
    assert fresh(submission).status == Submission.Status.READY and teacher_sees_nothing()
    marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment)
    assert assessment_for(teacher, submission.pk).final_mark == 61


def test_release_waits_for_moderation_of_the_sample(class_of_ten):
    pw = class_of_ten
    sample = draw(pw)
    released = marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment)
    assert len(released) == 8
    for submission in sample:
        assert fresh(submission).status == Submission.Status.IN_REVIEW
        assert (
            assessment_for(pw.as_(submission.enrolment.teacher), submission.pk).final_mark is None
        )


def test_a_submission_after_release_is_refused(class_of_ten):
    pw = class_of_ten
    draw(pw)
    released = marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment)
    enrolment = released[0].enrolment
    with pytest.raises(ValidationError, match="marked and released"):
        submission_version_add(
            viewer=pw.as_(enrolment.teacher),
            enrolment=enrolment,
            assignment=pw.assignment,
            text="A better version.",
            final=True,
            now=ON_TIME,
        )
    assert fresh(released[0]).versions.count() == 1
