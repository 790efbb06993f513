"""The programme lead replaces a submission's marker: a coach second marker who left is
replaced by another coach or a tutor, who then marks, and the cohort goes on to moderation and
release; after the mark is in, a reason is required and the mark is withdrawn (the history
keeps it)."""

import datetime as dt
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from coachloop.programmes.models import (
    Mark,
    MarkClaim,
    MarkEvent,
    Programme,
    ReconciliationProposal,
    Submission,
)
from coachloop.programmes.services.claims import submission_claim
from coachloop.programmes.services.markers import marker_replace
from coachloop.programmes.services.moderation import (
    marks_release,
    moderation_record,
    moderation_sample_draw,
)
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import ON_TIME, fresh, mark, submit

pytestmark = pytest.mark.django_db

SECOND = Mark.Position.SECOND


def replace(pw, submission, person, *, position=SECOND, reason="", by=None):
    return marker_replace(
        viewer=pw.as_(by or pw.lead),
        submission=submission,
        position=position,
        person=person,
        reason=reason,
        now=ON_TIME,
    )


def coach_leaves(world, coach):
    with scopes_disabled():
        Membership.objects.filter(user=coach, role=Role.COACH).update(
            started_on=dt.date(2020, 1, 1), finished_on=dt.date(2021, 1, 1)
        )


@pytest.mark.parametrize("newcomer", ["other_coach", "other_tutor"])
def test_a_coach_who_left_is_replaced_and_the_cohort_is_then_moderated_and_released(
    world, programme, newcomer
):
    pw = programme
    person = world.people["other_coach"] if newcomer == "other_coach" else pw.other_tutor
    submission = submit(pw)
    mark(pw, submission, pw.tutor, 64, 64)
    coach_leaves(world, pw.coach)
    replace(pw, submission, person)
    assert fresh(submission).second_marker == person
    mark(pw, submission, person, 66, 66)
    assert fresh(submission).status == Submission.Status.MARKING_DONE
    sample = moderation_sample_draw(
        viewer=pw.as_(pw.lead), assignment=pw.assignment, rng=random.Random(1)
    )
    assert [s.pk for s in sample] == [submission.pk]  # one of one is sampled
    moderation_record(viewer=pw.as_(pw.moderator), submission=submission, agree=True)
    marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment)
    assert fresh(submission).status == Submission.Status.RELEASED
    event = MarkEvent.objects.get(kind=MarkEvent.Kind.MARKER_REPLACED)
    assert (event.position, event.person, event.reason) == (SECOND, person, "")


def test_before_the_mark_is_in_no_reason_is_needed(programme):
    submission = submit(programme)
    replace(programme, submission, programme.other_tutor)
    assert fresh(submission).second_marker == programme.other_tutor
    assert AuditEvent.objects.filter(verb="submission.marker_replaced").exists()


def test_after_the_mark_is_in_a_reason_is_required(programme):
    submission = submit(programme)
    mark(programme, submission, programme.coach, 60, 60)
    with pytest.raises(ValidationError, match="say why"):
        replace(programme, submission, programme.other_tutor)
    assert fresh(submission).second_marker == programme.coach
    assert Mark.objects.filter(position=SECOND).exists()


def test_a_replacement_after_agreement_withdraws_the_mark_and_forgets_the_agreement(
    programme,
):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 60, 60)
    mark(programme, submission, programme.coach, 61, 61)
    assert fresh(submission).agreed_mark is not None
    replace(programme, submission, programme.other_tutor, reason="The coach marked a friend.")
    after = fresh(submission)
    assert after.status == Submission.Status.IN_MARKING
    assert (after.agreed_mark, after.agreed_by, after.second_marker) == (
        None,
        "",
        programme.other_tutor,
    )
    assert list(after.marks.values_list("position", flat=True)) == [Mark.Position.FIRST]
    withdrawn = MarkEvent.objects.get(kind=MarkEvent.Kind.MARK_WITHDRAWN)
    assert (withdrawn.previous_mark, withdrawn.person, withdrawn.reason) == (
        61,
        programme.coach,
        "The coach marked a friend.",
    )
    assert withdrawn.detail["comments"] == f"Feedback from {programme.coach.full_name}."
    replaced = MarkEvent.objects.get(kind=MarkEvent.Kind.MARKER_REPLACED)
    assert replaced.reason == "The coach marked a friend."
    # The new marker marks, and the marks are agreed again.
    mark(programme, submission, programme.other_tutor, 62, 62)
    assert fresh(submission).status == Submission.Status.MARKING_DONE


def test_a_replacement_supersedes_an_open_proposal(programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 40, 40)
    mark(programme, submission, programme.coach, 70, 70)
    proposal = ReconciliationProposal.objects.create(
        trust=programme.trust,
        submission=submission,
        proposed_by=programme.tutor,
        mark=55,
        reason="Split the difference.",
        proposed_at=ON_TIME,
    )
    replace(programme, submission, programme.other_tutor, reason="The coach has left.")
    proposal.refresh_from_db()
    assert proposal.outcome == ReconciliationProposal.Outcome.SUPERSEDED


def test_the_outgoing_markers_live_claim_is_ended(programme):
    submission = submit(programme)
    submission_claim(viewer=programme.as_(programme.coach), submission=submission, now=ON_TIME)
    replace(programme, submission, programme.other_tutor)
    assert not MarkClaim.objects.get().holds(ON_TIME)
    # The newcomer claims the slot at once.
    claim = submission_claim(
        viewer=programme.as_(programme.other_tutor), submission=submission, now=ON_TIME
    )
    assert claim.position == SECOND


def test_a_replacement_is_refused_once_the_marks_are_released(programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 60, 60)
    mark(programme, submission, programme.coach, 60, 60)
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.RELEASED)
    with pytest.raises(ValidationError, match="released"):
        replace(programme, submission, programme.other_tutor, reason="Too late.")
    assert fresh(submission).second_marker == programme.coach
    assert Mark.objects.count() == 2


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("teacher", "Nobody marks their own work"),
        ("tutor", "in another place"),
        ("coach", "marks this already"),
        ("outsider", "neither a tutor on this programme nor a coach"),
    ],
)
def test_who_may_not_take_the_second_slot(world, programme, who, message):
    person = {
        "teacher": programme.enrolments[0].teacher,
        "tutor": programme.tutor,
        "coach": programme.coach,
        "outsider": world.people["headteacher"],
    }[who]
    submission = submit(programme)
    with pytest.raises(ValidationError, match=message):
        replace(programme, submission, person)
    assert fresh(submission).second_marker == programme.coach


def test_a_coach_who_has_left_cannot_be_chosen(world, programme):
    submission = submit(programme)
    other = world.people["other_coach"]
    coach_leaves(world, other)
    with pytest.raises(ValidationError, match="neither a tutor"):
        replace(programme, submission, other)


def test_only_the_programme_lead_replaces_a_marker(programme):
    submission = submit(programme)
    for person in (programme.tutor, programme.moderator, programme.other_tutor):
        with pytest.raises(PermissionDenied):
            replace(programme, submission, programme.other_tutor, by=person)
    assert fresh(submission).second_marker == programme.coach


def test_on_a_tutor_programme_the_lead_chooses_the_second_marker(world, scoped):
    pw = build_programme(world, second_marker=Programme.SecondMarker.TUTOR)
    submission = submit(pw)
    assert submission.second_marker is None
    replace(pw, submission, pw.other_tutor)
    mark(pw, submission, pw.other_tutor, 60, 60)
    assert Mark.objects.get().marker == pw.other_tutor


def test_the_first_marker_can_be_replaced_too(programme):
    submission = submit(programme)
    replace(programme, submission, programme.other_tutor, position=Mark.Position.FIRST)
    mark(programme, submission, programme.other_tutor, 60, 60)
    assert Mark.objects.get().position == Mark.Position.FIRST


def test_there_is_no_third_marker_to_replace_until_one_is_appointed(programme):
    submission = submit(programme)
    with pytest.raises(ValidationError, match="no third marker"):
        replace(programme, submission, programme.other_tutor, position=Mark.Position.THIRD)


def test_replacing_a_marker_after_a_third_mark_settled_it_takes_the_third_mark_back_too(
    world, programme
):
    from coachloop.programmes.services.agreement import third_mark_record, third_marker_appoint

    pw = programme
    submission = submit(pw)
    mark(pw, submission, pw.tutor, 80, 80)
    mark(pw, submission, pw.coach, 50, 50)
    third_marker_appoint(
        viewer=pw.as_(pw.lead),
        submission=submission,
        person=pw.other_tutor,
        reason="Thirty marks apart.",
        now=ON_TIME,
    )
    third_mark_record(
        viewer=pw.as_(pw.other_tutor),
        submission=submission,
        scores=pw.scores(70, 70),
        comments="Good work.",
        reason="Closer to the first reading.",
        now=ON_TIME,
    )
    assert fresh(submission).agreed_mark == 70
    newcomer = world.people["other_coach"]
    replace(pw, submission, newcomer, reason="The coach marked a friend's work.")
    after = fresh(submission)
    assert (after.status, after.third_marker, after.agreed_mark) == (
        Submission.Status.IN_MARKING,
        None,
        None,
    )
    assert sorted(after.marks.values_list("position", flat=True)) == [Mark.Position.FIRST]
    mark(pw, submission, newcomer, 78, 78)
    assert (fresh(submission).status, fresh(submission).agreed_mark) == (
        Submission.Status.MARKING_DONE,
        79,
    )
    withdrawn = MarkEvent.objects.filter(kind=MarkEvent.Kind.MARK_WITHDRAWN)
    assert sorted(e.position for e in withdrawn) == [Mark.Position.SECOND, Mark.Position.THIRD]
