"""Agreeing marks that need reconciling: one marker proposes a mark between the two (with the
agreed feedback), the other confirms or declines; declined, the programme lead decides or
appoints a third marker whose mark, with a reason, settles it. One marker alone never sets the
agreed mark, and every step is in the mark history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coachloop.common.models import AuditEvent
from coachloop.programmes.models import Mark, MarkEvent, ReconciliationProposal, Submission
from coachloop.programmes.queries.assessment import assessment_for
from coachloop.programmes.services.agreement import (
    mark_adjudicate,
    reconciliation_confirm,
    reconciliation_decline,
    reconciliation_propose,
    reconciliation_withdraw,
    third_mark_record,
    third_marker_appoint,
)
from tests.programmes.test_marking import fresh, mark, submit

pytestmark = pytest.mark.django_db

REASON = "We met and read the reflection again: the evidence is strong, the analysis thin."
FEEDBACK = "Strong evidence from the classroom; push the analysis of why it worked."


@pytest.fixture
def apart(programme):
    """Marks of 72 (tutor, first) and 55 (coach, second): too far apart to agree alone."""
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 72, 72)
    mark(programme, submission, programme.coach, 55, 55)
    return fresh(submission)


def propose(pw, submission, person, agreed_mark=65, **kwargs):
    fields = {"reason": REASON, "feedback": FEEDBACK, **kwargs}
    return reconciliation_propose(
        viewer=pw.as_(person), submission=submission, agreed_mark=agreed_mark, **fields
    )


def kinds(submission):
    return list(MarkEvent.objects.filter(submission=submission).values_list("kind", flat=True))


def test_a_coach_recording_95_for_marks_of_72_and_55_is_refused(programme, apart):
    with pytest.raises(ValidationError) as refused:
        propose(programme, apart, programme.coach, 95)
    assert "between the two marks, from 55 to 72" in str(refused.value)
    assert fresh(apart).agreed_mark is None
    assert not ReconciliationProposal.objects.filter(submission=apart).exists()


def test_one_marker_proposing_does_not_set_the_agreed_mark(programme, apart):
    proposal = propose(programme, apart, programme.coach, 64)
    apart = fresh(apart)
    assert (apart.status, apart.agreed_mark) == (Submission.Status.IN_MARKING, None)
    assert (proposal.mark, proposal.outcome) == (64, "open")
    assert kinds(apart)[-1] == MarkEvent.Kind.PROPOSED
    assert AuditEvent.objects.filter(verb="submission.reconciliation_proposed").exists()


def test_the_other_marker_confirms_and_the_proposal_becomes_the_agreed_mark(programme, apart):
    proposal = propose(programme, apart, programme.coach, 64)
    reconciliation_confirm(viewer=programme.as_(programme.tutor), proposal=proposal)
    apart = fresh(apart)
    assert apart.status == Submission.Status.MARKING_DONE
    assert (apart.agreed_mark, apart.agreed_by) == (64, Submission.AgreedBy.RECONCILED)
    assert (apart.reconciled_by, apart.confirmed_by) == (programme.coach, programme.tutor)
    assert (apart.agreed_reason, apart.agreed_feedback) == (REASON, FEEDBACK)
    assert apart.agreed_at is not None
    assert ReconciliationProposal.objects.get(pk=proposal.pk).outcome == "confirmed"
    event = MarkEvent.objects.filter(submission=apart).last()
    assert (event.kind, event.mark, event.actor, event.person) == (
        "confirmed",
        64,
        programme.tutor,
        programme.coach,
    )


def test_the_proposer_cannot_confirm_their_own_proposal(programme, apart):
    proposal = propose(programme, apart, programme.coach, 64)
    with pytest.raises(ValidationError):
        reconciliation_confirm(viewer=programme.as_(programme.coach), proposal=proposal)
    assert fresh(apart).agreed_mark is None


def test_only_the_markers_propose_and_answer(programme, apart):
    with pytest.raises(PermissionDenied):
        propose(programme, apart, programme.lead)
    proposal = propose(programme, apart, programme.tutor)
    for outsider in (programme.lead, programme.other_tutor, programme.moderator):
        with pytest.raises(PermissionDenied):
            reconciliation_confirm(viewer=programme.as_(outsider), proposal=proposal)


def test_the_mark_reason_and_agreed_feedback_are_all_needed(programme, apart):
    for field, kwargs in (
        ("reason", {"reason": "  "}),
        ("feedback", {"feedback": ""}),
    ):
        with pytest.raises(ValidationError) as refused:
            propose(programme, apart, programme.tutor, **kwargs)
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError):
        propose(programme, apart, programme.tutor, 101)
    assert not ReconciliationProposal.objects.exists()


def test_marks_within_tolerance_cannot_be_proposed_instead(programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 60, 60)
    mark(programme, submission, programme.coach, 62, 62)
    with pytest.raises(ValidationError):
        propose(programme, submission, programme.tutor, 61)
    assert fresh(submission).agreed_mark == 61


def test_a_second_proposal_replaces_the_markers_own_open_one(programme, apart):
    first = propose(programme, apart, programme.coach, 60)
    second = propose(programme, apart, programme.coach, 62)
    assert ReconciliationProposal.objects.get(pk=first.pk).outcome == "superseded"
    assert ReconciliationProposal.objects.get(pk=second.pk).outcome == "open"


def test_a_marker_cannot_propose_over_the_other_markers_open_proposal(programme, apart):
    propose(programme, apart, programme.coach, 60)
    with pytest.raises(ValidationError) as refused:
        propose(programme, apart, programme.tutor, 70)
    assert "confirm or decline it first" in str(refused.value)


def test_the_proposer_withdraws_and_the_marks_wait_again(programme, apart):
    proposal = propose(programme, apart, programme.coach, 60)
    with pytest.raises(PermissionDenied):
        reconciliation_withdraw(viewer=programme.as_(programme.tutor), proposal=proposal)
    reconciliation_withdraw(viewer=programme.as_(programme.coach), proposal=proposal)
    assert ReconciliationProposal.objects.get(pk=proposal.pk).outcome == "withdrawn"
    with pytest.raises(ValidationError):
        reconciliation_confirm(viewer=programme.as_(programme.tutor), proposal=proposal)
    assert fresh(apart).status == Submission.Status.IN_MARKING
    propose(programme, apart, programme.tutor, 70)  # the other may propose now


def test_declining_needs_a_note_and_sends_the_marks_to_the_programme_lead(programme, apart):
    proposal = propose(programme, apart, programme.coach, 60)
    tutor = programme.as_(programme.tutor)
    with pytest.raises(ValidationError):
        reconciliation_decline(viewer=tutor, proposal=proposal, note=" ")
    assert fresh(apart).status == Submission.Status.IN_MARKING
    reconciliation_decline(viewer=tutor, proposal=proposal, note="60 undersells the evidence.")
    apart = fresh(apart)
    assert (apart.status, apart.agreed_mark) == (Submission.Status.ADJUDICATION, None)
    proposal = ReconciliationProposal.objects.get(pk=proposal.pk)
    assert (proposal.outcome, proposal.answer_note) == ("declined", "60 undersells the evidence.")
    assert kinds(apart)[-1] == MarkEvent.Kind.DECLINED
    with pytest.raises(ValidationError):
        propose(programme, apart, programme.tutor, 68)  # it is the lead's now


def test_the_programme_lead_adjudicates_any_mark_with_a_reason_and_feedback(programme, apart):
    proposal = propose(programme, apart, programme.coach, 60)
    reconciliation_decline(viewer=programme.as_(programme.tutor), proposal=proposal, note="No.")
    lead = programme.as_(programme.lead)
    with pytest.raises(ValidationError):
        mark_adjudicate(viewer=lead, submission=apart, agreed_mark=75, reason="", feedback="x")
    mark_adjudicate(viewer=lead, submission=apart, agreed_mark=75, reason=REASON, feedback=FEEDBACK)
    apart = fresh(apart)
    assert apart.status == Submission.Status.MARKING_DONE
    assert (apart.agreed_mark, apart.agreed_by) == (75, Submission.AgreedBy.ADJUDICATED)
    assert (apart.agreed_feedback, apart.confirmed_by) == (FEEDBACK, programme.lead)
    assert kinds(apart)[-1] == MarkEvent.Kind.ADJUDICATED


def test_the_lead_may_adjudicate_without_a_declined_proposal_and_replaces_an_open_one(
    programme, apart
):
    proposal = propose(programme, apart, programme.coach, 60)
    mark_adjudicate(
        viewer=programme.as_(programme.lead),
        submission=apart,
        agreed_mark=63,
        reason=REASON,
        feedback=FEEDBACK,
    )
    assert fresh(apart).agreed_mark == 63
    assert ReconciliationProposal.objects.get(pk=proposal.pk).outcome == "superseded"


def test_only_the_lead_adjudicates_and_only_marks_that_need_it(programme, apart):
    for person in (programme.tutor, programme.moderator):
        with pytest.raises(PermissionDenied):
            mark_adjudicate(
                viewer=programme.as_(person),
                submission=apart,
                agreed_mark=63,
                reason=REASON,
                feedback=FEEDBACK,
            )


def test_marks_that_agreed_within_tolerance_are_not_the_leads_to_decide(programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 60, 60)
    mark(programme, submission, programme.coach, 62, 62)
    with pytest.raises(ValidationError):
        mark_adjudicate(
            viewer=programme.as_(programme.lead),
            submission=submission,
            agreed_mark=40,
            reason=REASON,
            feedback=FEEDBACK,
        )
    assert fresh(submission).agreed_mark == 61


def appoint(pw, submission, person=None, reason="The markers cannot agree a band."):
    return third_marker_appoint(
        viewer=pw.as_(pw.lead),
        submission=submission,
        person=person or pw.other_tutor,
        reason=reason,
    )


def test_the_lead_appoints_a_third_marker_who_marks_blind_and_settles_it(programme, apart):
    appoint(programme, apart)
    apart = fresh(apart)
    assert (apart.status, apart.third_marker) == (
        Submission.Status.ADJUDICATION,
        programme.other_tutor,
    )
    event = MarkEvent.objects.filter(submission=apart).last()
    assert (event.kind, event.person) == ("third_marker_appointed", programme.other_tutor)
    third = programme.as_(programme.other_tutor)
    sees = assessment_for(third, apart.pk)
    assert sees.marks == [] and sees.hidden
    mark_in = third_mark_record(
        viewer=third,
        submission=apart,
        scores=programme.scores(66, 62),
        comments=FEEDBACK,
        reason="The evidence meets Merit; the reflection is Merit, not Distinction.",
    )
    assert (mark_in.position, mark_in.overall) == (Mark.Position.THIRD, 64)
    apart = fresh(apart)
    assert apart.status == Submission.Status.MARKING_DONE
    assert (apart.agreed_mark, apart.agreed_by) == (64, Submission.AgreedBy.THIRD_MARKER)
    assert apart.agreed_feedback == FEEDBACK
    assert apart.agreed_reason.startswith("The evidence meets Merit")
    assert kinds(apart)[-1] == MarkEvent.Kind.THIRD_MARKED
    assert [m.overall for m in assessment_for(third, apart.pk).marks] == [72, 55, 64]


def test_the_third_mark_needs_its_reason_and_only_the_third_marker_gives_it(programme, apart):
    appoint(programme, apart)
    with pytest.raises(ValidationError) as refused:
        third_mark_record(
            viewer=programme.as_(programme.other_tutor),
            submission=apart,
            scores=programme.scores(66, 62),
            comments=FEEDBACK,
            reason=" ",
        )
    assert "reason" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        third_mark_record(
            viewer=programme.as_(programme.tutor),
            submission=apart,
            scores=programme.scores(66, 62),
            comments=FEEDBACK,
            reason=REASON,
        )
    assert not Mark.objects.filter(submission=apart, position=Mark.Position.THIRD).exists()


def test_the_third_marker_is_a_programme_tutor_other_than_the_markers_and_the_teacher(
    programme, apart, world
):
    for person in (programme.tutor, programme.coach, programme.enrolments[0].teacher):
        with pytest.raises(ValidationError):
            appoint(programme, apart, person)
    with pytest.raises(ValidationError):
        appoint(programme, apart, programme.moderator)  # not a tutor on it
    with pytest.raises(ValidationError):
        appoint(programme, apart, reason="")
    with pytest.raises(PermissionDenied):
        third_marker_appoint(
            viewer=programme.as_(programme.tutor),
            submission=apart,
            person=programme.other_tutor,
            reason="Me",
        )
    assert fresh(apart).third_marker is None


def test_marks_within_tolerance_start_with_the_first_markers_comments_as_agreed_feedback(
    programme,
):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 60, 60)
    mark(programme, submission, programme.coach, 62, 62)
    assert fresh(submission).agreed_feedback == f"Feedback from {programme.tutor.full_name}."
