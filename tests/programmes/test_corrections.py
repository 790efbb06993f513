"""The programme lead puts marking right: reopening a stage before release, correcting a mark
after release (the teacher is told), and replacing the moderator of a sampled submission."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from coachloop.common.models import AuditEvent
from coachloop.programmes.models import Mark, MarkEvent, ProgrammeStaff, Submission
from coachloop.programmes.services.corrections import mark_correct, submission_reopen
from coachloop.programmes.services.moderation import (
    marks_release,
    moderation_record,
    moderator_replace,
)
from tests.factories import UserFactory
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import fresh, mark
from tests.programmes.test_moderation import draw, marked

pytestmark = pytest.mark.django_db

WHY = "The first marker marked the wrong file."


@pytest.fixture
def pw(world, scoped):
    """One teacher whose two marks agree on 45: a fail, so the draw samples it."""
    pw = build_programme(world, moderation_percent=20, moderate_all_fails=True)
    pw.submission = marked(pw, pw.enrolments[0], 45)
    return pw


def sampled(pw):
    draw(pw)
    return fresh(pw.submission)


def moderated(pw, mark=50):
    sampled(pw)
    return moderation_record(
        viewer=pw.as_(pw.moderator),
        submission=pw.submission,
        agree=False,
        mark=mark,
        note="The reflection meets the pass criteria.",
    )


def released(pw, **moderation):
    moderated(pw, **moderation)
    marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment)
    return fresh(pw.submission)


def reopen(pw, stage, reason=WHY, who=None):
    return submission_reopen(
        viewer=pw.as_(who or pw.lead), submission=pw.submission, stage=stage, reason=reason
    )


def kinds(submission):
    return list(MarkEvent.objects.filter(submission=submission).values_list("kind", flat=True))


# Reopening before release


def test_reopening_the_first_mark_withdraws_it_and_the_first_marker_marks_again(pw):
    reopen(pw, "first")
    submission = fresh(pw.submission)
    assert submission.status == Submission.Status.IN_MARKING
    assert submission.agreed_mark is None
    assert list(submission.marks.values_list("position", flat=True)) == [Mark.Position.SECOND]
    mark(pw, submission, pw.tutor, 47, 47)
    assert fresh(submission).agreed_mark == 46  # the mean of 47 and 45


def test_a_withdrawn_mark_is_kept_in_the_history_with_the_reason(pw):
    reopen(pw, "first")
    withdrawn = MarkEvent.objects.get(submission=pw.submission, kind=MarkEvent.Kind.MARK_WITHDRAWN)
    assert withdrawn.previous_mark == 45
    assert withdrawn.person == pw.tutor
    assert withdrawn.reason == WHY
    assert withdrawn.detail["comments"] == f"Feedback from {pw.tutor.full_name}."
    reopened = MarkEvent.objects.get(submission=pw.submission, kind=MarkEvent.Kind.REOPENED)
    assert (reopened.position, reopened.reason, reopened.actor) == ("first", WHY, pw.lead)


def test_reopening_a_mark_after_the_draw_takes_the_work_out_of_the_sample(pw):
    moderated(pw)
    reopen(pw, "second")
    submission = fresh(pw.submission)
    assert submission.status == Submission.Status.IN_MARKING
    assert (submission.in_sample, submission.moderated_mark, submission.moderator) == (
        False,
        None,
        None,
    )


def test_reopening_the_agreement_sends_it_back_to_the_markers_with_both_marks(pw):
    sampled(pw)
    reopen(pw, "agreement")
    submission = fresh(pw.submission)
    assert submission.status == Submission.Status.IN_MARKING
    assert (submission.agreed_mark, submission.agreed_by, submission.in_sample) == (None, "", False)
    assert submission.marks.count() == 2


def test_reopening_the_moderation_clears_the_decision_and_the_moderator_decides_again(pw):
    moderated(pw, mark=50)
    reopen(pw, "moderation")
    submission = fresh(pw.submission)
    assert submission.status == Submission.Status.IN_REVIEW
    assert (submission.moderated_mark, submission.moderated_at) == (None, None)
    assert submission.final_mark == 45
    moderation_record(viewer=pw.as_(pw.moderator), submission=submission, agree=True)
    assert fresh(submission).status == Submission.Status.READY


def test_the_reopened_event_gives_the_final_mark_before_and_after(pw):
    moderated(pw, mark=50)
    reopen(pw, "moderation")
    event = MarkEvent.objects.get(submission=pw.submission, kind=MarkEvent.Kind.REOPENED)
    assert (event.previous_mark, event.mark) == (50, 45)


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason_and_changes_nothing_without_one(pw, reason):
    with pytest.raises(ValidationError) as refused:
        reopen(pw, "first", reason=reason)
    assert "reason" in refused.value.message_dict
    assert fresh(pw.submission).marks.count() == 2
    assert MarkEvent.Kind.REOPENED not in kinds(pw.submission)


@pytest.mark.parametrize(
    ("stage", "why"),
    [
        ("third", "There is no third mark to reopen."),
        ("moderation", "There is no moderation decision to reopen."),
        ("everything", "Choose what to reopen."),
    ],
)
def test_reopening_what_is_not_there_is_refused_with_a_clear_message(pw, stage, why):
    with pytest.raises(ValidationError) as refused:
        reopen(pw, stage)
    assert refused.value.message_dict["stage"] == [why]


def test_after_release_nothing_is_reopened(pw):
    released(pw)
    with pytest.raises(ValidationError) as refused:
        reopen(pw, "moderation")
    assert "correct the mark instead" in refused.value.message_dict["stage"][0]


@pytest.mark.parametrize("who", ["tutor", "coach", "moderator"])
def test_only_the_programme_lead_reopens(pw, who):
    with pytest.raises(PermissionDenied):
        reopen(pw, "first", who=getattr(pw, who))


# Correcting after release


def correct(pw, to, reason="The second criterion was added up wrongly.", who=None):
    return mark_correct(
        viewer=pw.as_(who or pw.lead), submission=pw.submission, mark=to, reason=reason
    )


def test_a_correction_after_release_is_the_final_mark_with_its_reason_in_the_history(pw):
    released(pw, mark=50)
    correct(pw, 56)
    submission = fresh(pw.submission)
    assert (submission.corrected_mark, submission.final_mark) == (56, 56)
    event = MarkEvent.objects.get(submission=submission, kind=MarkEvent.Kind.CORRECTED)
    assert (event.previous_mark, event.mark, event.actor) == (50, 56, pw.lead)
    assert event.reason == "The second criterion was added up wrongly."
    assert AuditEvent.objects.filter(verb="submission.mark_corrected").count() == 1


def test_the_teacher_is_emailed_the_correction_once_it_is_saved(
    pw, django_capture_on_commit_callbacks
):
    released(pw, mark=50)
    with django_capture_on_commit_callbacks(execute=True):
        correct(pw, 56)
    [email] = mail.outbox
    assert email.to == [pw.enrolments[0].teacher.email]
    assert "A case study of one action step" in email.subject
    assert "from 50 to 56" in email.body
    assert "The second criterion was added up wrongly." in email.body
    assert f"/assignments/{pw.assignment.pk}/submission/" in email.body


def test_a_refused_correction_sends_no_email(pw, django_capture_on_commit_callbacks):
    released(pw)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        correct(pw, 56, reason="")
    assert mail.outbox == []


def test_a_correction_is_held_to_the_attempts_cap(pw):
    released(pw, mark=45)
    Submission.objects.filter(pk=pw.submission.pk).update(mark_cap=50)
    correct(pw, 62)
    submission = fresh(pw.submission)
    assert (submission.corrected_mark, submission.final_mark) == (62, 50)


def test_before_release_a_mark_is_not_corrected_but_reopened(pw):
    moderated(pw)
    with pytest.raises(ValidationError) as refused:
        correct(pw, 56)
    assert "reopen the stage" in refused.value.message_dict["mark"][0]
    assert fresh(pw.submission).corrected_mark is None


@pytest.mark.parametrize(
    ("to", "reason", "field"),
    [
        (101, "A reason.", "mark"),
        ("56", "A reason.", "mark"),
        (56, " ", "reason"),
        (50, "Same.", "mark"),
    ],
)
def test_a_correction_needs_a_new_whole_mark_and_a_reason(pw, to, reason, field):
    released(pw, mark=50)
    with pytest.raises(ValidationError) as refused:
        correct(pw, to, reason=reason)
    assert field in refused.value.message_dict
    assert fresh(pw.submission).corrected_mark is None
    assert MarkEvent.Kind.CORRECTED not in kinds(pw.submission)


@pytest.mark.parametrize("who", ["tutor", "moderator"])
def test_only_the_programme_lead_corrects(pw, who):
    released(pw)
    with pytest.raises(PermissionDenied):
        correct(pw, 56, who=getattr(pw, who))


# Replacing the moderator


@pytest.fixture
def second_moderator(pw):
    person = UserFactory(full_name="Dr Nia Evans")
    ProgrammeStaff.objects.create(
        trust=pw.trust, programme=pw.programme, person=person, role=ProgrammeStaff.Role.MODERATOR
    )
    return person


def replace(pw, person, reason=""):
    return moderator_replace(
        viewer=pw.as_(pw.lead), submission=pw.submission, moderator=person, reason=reason
    )


def test_before_a_decision_the_lead_chooses_the_moderator_without_a_reason(pw, second_moderator):
    sampled(pw)
    replace(pw, second_moderator)
    submission = fresh(pw.submission)
    assert submission.moderator == second_moderator
    event = MarkEvent.objects.get(submission=submission, kind=MarkEvent.Kind.MODERATOR_REPLACED)
    assert event.person == second_moderator


def test_only_the_chosen_moderator_then_moderates(pw, second_moderator):
    sampled(pw)
    replace(pw, second_moderator)
    with pytest.raises(ValidationError):
        moderation_record(viewer=pw.as_(pw.moderator), submission=pw.submission, agree=True)
    moderation_record(viewer=pw.as_(second_moderator), submission=pw.submission, agree=True)
    assert fresh(pw.submission).status == Submission.Status.READY


def test_after_a_decision_replacing_the_moderator_needs_a_reason_and_clears_it(
    pw, second_moderator
):
    moderated(pw, mark=50)
    with pytest.raises(ValidationError) as refused:
        replace(pw, second_moderator)
    assert "reason" in refused.value.message_dict
    assert fresh(pw.submission).moderated_mark == 50
    replace(pw, second_moderator, reason="Prof Hale is on leave until the board.")
    submission = fresh(pw.submission)
    assert submission.status == Submission.Status.IN_REVIEW
    assert (submission.moderated_mark, submission.moderator) == (None, second_moderator)
    event = MarkEvent.objects.get(submission=submission, kind=MarkEvent.Kind.MODERATOR_REPLACED)
    assert (event.previous_mark, event.mark) == (50, 45)
    assert event.reason == "Prof Hale is on leave until the board."


def test_the_moderator_must_be_one_of_the_programmes_and_not_a_marker(pw):
    sampled(pw)
    ProgrammeStaff.objects.create(
        trust=pw.trust, programme=pw.programme, person=pw.tutor, role=ProgrammeStaff.Role.MODERATOR
    )
    for person in (pw.other_tutor, pw.tutor):
        with pytest.raises(ValidationError):
            replace(pw, person)
    assert fresh(pw.submission).moderator is None


def test_work_not_in_the_sample_has_no_moderator_to_replace(pw, second_moderator):
    with pytest.raises(ValidationError) as refused:
        replace(pw, second_moderator)
    assert refused.value.message_dict["moderator"] == [
        "This submission is not in the moderation sample."
    ]


def test_only_the_programme_lead_replaces_the_moderator(pw, second_moderator):
    sampled(pw)
    with pytest.raises(PermissionDenied):
        moderator_replace(
            viewer=pw.as_(pw.moderator), submission=pw.submission, moderator=second_moderator
        )
