"""Summative marking by two markers: blind until both marks are in, agreed by the programme's
rule within tolerance, reconciled with a reason outside it (claims: test_claims.py)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from coachloop.common.models import AuditEvent
from coachloop.programmes.models import Mark, Programme, Submission
from coachloop.programmes.queries.assessment import assessment_for
from coachloop.programmes.services.agreement import (
    reconciliation_confirm,
    reconciliation_propose,
)
from coachloop.programmes.services.marking import mark_record
from coachloop.programmes.services.submissions import submission_version_add
from tests.programmes.fixtures import DUE, build_programme

pytestmark = pytest.mark.django_db

ON_TIME = DUE - dt.timedelta(days=1)


def submit(pw, enrolment=None, *, now=ON_TIME):
    enrolment = enrolment or pw.enrolments[0]
    version = submission_version_add(
        viewer=pw.as_(enrolment.teacher),
        enrolment=enrolment,
        assignment=pw.assignment,
        text="My case study of one action step, with the evidence I gathered.",
        final=True,
        now=now,
    )
    return version.submission


def mark(pw, submission, person, *scores, now=ON_TIME):
    return mark_record(
        viewer=pw.as_(person),
        submission=submission,
        scores=pw.scores(*scores),
        comments=f"Feedback from {person.full_name}.",
        now=now,
    )


def fresh(submission):
    return Submission.objects.get(pk=submission.pk)


def agree(pw, submission, agreed_mark, reason, *, proposer=None, confirmer=None):
    """The markers agree a mark for marks that need reconciling: one proposes (with the agreed
    feedback), the other confirms. The proposer is the coach unless said."""
    proposer = proposer or pw.coach
    if confirmer is None:
        confirmer = pw.tutor if proposer == pw.coach else pw.coach
    proposal = reconciliation_propose(
        viewer=pw.as_(proposer),
        submission=submission,
        agreed_mark=agreed_mark,
        reason=reason,
        feedback=f"Agreed feedback at {agreed_mark}.",
    )
    return reconciliation_confirm(viewer=pw.as_(confirmer), proposal=proposal)


def test_the_tutor_marks_first_and_the_coach_second(programme):
    submission = submit(programme)
    assert submission.first_marker == programme.tutor
    assert submission.second_marker == programme.coach
    assert submission.status == Submission.Status.NOT_MARKED


def test_the_overall_mark_weights_each_criterion(programme):
    submission = submit(programme)
    first = mark(programme, submission, programme.tutor, 70, 55)  # 0.6 * 70 + 0.4 * 55 = 64
    assert first.overall == 64 and first.position == Mark.Position.FIRST


def test_with_blind_marking_neither_marker_sees_the_others_mark_before_both_are_in(programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 68, 68)
    coach_sees = assessment_for(programme.as_(programme.coach), submission.pk)
    assert coach_sees.marks == [] and coach_sees.hidden
    tutor_sees = assessment_for(programme.as_(programme.tutor), submission.pk)
    assert [m.marker for m in tutor_sees.marks] == [programme.tutor] and not tutor_sees.hidden
    mark(programme, submission, programme.coach, 66, 66)
    coach_sees = assessment_for(programme.as_(programme.coach), submission.pk)
    assert [m.overall for m in coach_sees.marks] == [68, 66] and not coach_sees.hidden


def test_without_blind_marking_the_second_marker_sees_the_first_mark(world, scoped):
    pw = build_programme(world, blind_marking=False)
    submission = submit(pw)
    mark(pw, submission, pw.tutor, 68, 68)
    assert [m.overall for m in assessment_for(pw.as_(pw.coach), submission.pk).marks] == [68]


def test_marks_within_tolerance_agree_as_their_mean_rounded_half_up(programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 65, 65)
    mark(programme, submission, programme.coach, 62, 62)  # 3 apart, tolerance 5
    submission = fresh(submission)
    assert submission.status == Submission.Status.MARKING_DONE
    assert (submission.agreed_mark, submission.agreed_by) == (64, Submission.AgreedBy.MEAN)


def test_marks_within_tolerance_agree_as_the_first_markers_when_the_programme_says_so(
    world, scoped
):
    pw = build_programme(world, agree_by=Programme.AgreeBy.FIRST_MARKER)
    submission = submit(pw)
    mark(pw, submission, pw.tutor, 64, 64)
    mark(pw, submission, pw.coach, 61, 61)  # both Merit: marks in different bands reconcile
    submission = fresh(submission)
    assert (submission.agreed_mark, submission.agreed_by) == (64, "first_marker")


def test_marks_outside_tolerance_need_an_agreed_mark_proposed_with_a_reason_and_confirmed(
    programme,
):
    # Rewritten for issue 18: one marker used to record the reconciled mark alone; now one
    # proposes it and the other confirms it (tests/programmes/test_agreement.py has the rest).
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 72, 72)
    mark(programme, submission, programme.coach, 58, 58)  # 14 apart
    assert fresh(submission).status == Submission.Status.IN_MARKING
    assert fresh(submission).agreed_mark is None
    tutor = programme.as_(programme.tutor)
    fields = {"agreed_mark": 65, "feedback": "Strong evidence; thin reflection."}
    with pytest.raises(ValidationError) as refused:
        reconciliation_propose(viewer=tutor, submission=submission, reason="  ", **fields)
    assert "reason" in refused.value.message_dict
    assert fresh(submission).agreed_mark is None
    proposal = reconciliation_propose(
        viewer=tutor,
        submission=submission,
        reason="We met: the evidence is strong but the reflection is thin.",
        **fields,
    )
    assert fresh(submission).agreed_mark is None
    reconciliation_confirm(viewer=programme.as_(programme.coach), proposal=proposal)
    submission = fresh(submission)
    assert submission.status == Submission.Status.MARKING_DONE
    assert (submission.agreed_mark, submission.agreed_by) == (65, "reconciled")
    assert submission.agreed_reason.startswith("We met")


def test_marks_within_tolerance_cannot_be_reconciled_instead(programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 60, 60)
    mark(programme, submission, programme.coach, 62, 62)
    with pytest.raises(ValidationError):
        reconciliation_propose(
            viewer=programme.as_(programme.tutor),
            submission=submission,
            agreed_mark=61,
            reason="We would rather.",
            feedback="Good.",
        )
    assert fresh(submission).agreed_mark == 61


@pytest.mark.parametrize("bad", [101, -1, 64.5, "70", None, True])
def test_a_mark_outside_the_criteria_range_is_refused_and_nothing_is_stored(programme, bad):
    submission = submit(programme)
    with pytest.raises(ValidationError) as refused:
        mark(programme, submission, programme.tutor, bad, 60)
    assert "whole number from 0 to 100" in str(refused.value)
    assert not Mark.objects.exists()
    assert fresh(submission).status == Submission.Status.NOT_MARKED


def test_a_mark_must_cover_every_criterion(programme):
    submission = submit(programme)
    with pytest.raises(ValidationError, match="every criterion"):
        mark_record(
            viewer=programme.as_(programme.tutor),
            submission=submission,
            scores={str(programme.criteria[0].pk): 60},
            comments="Half a mark.",
        )
    assert not Mark.objects.exists()


def test_a_marker_marks_once(programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 60, 60)
    with pytest.raises(ValidationError, match="already"):
        mark(programme, submission, programme.tutor, 70, 70)
    assert Mark.objects.count() == 1


def test_only_the_two_markers_can_mark(programme):
    submission = submit(programme)
    for person in (programme.other_tutor, programme.moderator, programme.enrolments[0].teacher):
        with pytest.raises(PermissionDenied):
            mark(programme, submission, person, 60, 60)
    assert not Mark.objects.exists()


def test_another_tutor_marks_second_when_the_programme_says_so(world, scoped):
    pw = build_programme(world, second_marker=Programme.SecondMarker.TUTOR)
    submission = submit(pw)
    assert submission.second_marker is None  # the programme lead chooses who


def test_each_mark_is_in_the_audit_trail(programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 60, 60)
    event = AuditEvent.objects.get(verb="submission.marked")
    assert (event.actor, event.subject) == (programme.tutor, programme.enrolments[0].teacher)


def test_someone_with_no_part_in_the_submission_gets_a_404(programme, world):
    submission = submit(programme)
    for person in (
        programme.other_tutor,
        world.people["coaching_lead"],
        world.people["headteacher"],
    ):
        with pytest.raises(Http404):
            assessment_for(programme.as_(person), submission.pk)
