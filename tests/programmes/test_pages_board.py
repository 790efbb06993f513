"""A submission's board page (marks, agreement, moderation, final mark, whole history) for the
programme's lead and moderators, and the lead's reopen, correct and moderator pages."""

import pytest
from django.core import mail
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.programmes.models import MarkEvent, ProgrammeStaff, Submission
from tests.factories import UserFactory
from tests.programmes.fixtures import main_content
from tests.programmes.test_exam_board import WHY, corrected_cohort
from tests.programmes.test_marking import fresh
from tests.programmes.test_moderation import draw, marked
from tests.programmes.test_pages_marking import build_programme_in_other_trust, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw(world, scoped):
    return corrected_cohort(world)


@pytest.fixture
def sampled(world, scoped):
    """Marked 45 by both, drawn for moderation, not yet moderated."""
    from tests.programmes.fixtures import build_programme

    pw = build_programme(world, moderation_percent=20)
    for person in (pw.tutor, pw.other_tutor, pw.lead, pw.moderator):
        staff_member(pw, person)
    pw.submission = marked(pw, pw.enrolments[0], 45)
    draw(pw)
    return pw


def url(name, submission):
    return reverse(f"programmes:{name}", args=[submission.pk])


def get(client, person, name, submission):
    client.force_login(person)
    return client.get(url(name, submission))


def test_the_lead_reads_each_step_and_the_whole_history_with_reasons(client, pw):
    response = get(client, pw.lead, "submission_board", pw.submission)
    assert response.status_code == 200
    page = main_content(response.content.decode())
    for seen in (
        pw.tutor.full_name,
        pw.coach.full_name,
        pw.moderator.full_name,
        "The mean of the two marks",
        "Changed from 45 to 50",
        "The reflection meets the pass criteria.",
        "Corrected after release",
        WHY,
        "Pass",
    ):
        assert seen in page
    assert page.count('data-kind="marked"') == 2
    assert 'data-outcome="final"><strong>56</strong>' in page


def test_showing_the_board_page_is_a_read_in_the_teachers_trail(client, pw):
    get(client, pw.moderator, "submission_board", pw.submission)
    read = AuditEvent.objects.get(verb="read", actor=pw.moderator)
    assert read.subject == pw.enrolments[0].teacher


def test_a_moderator_reads_the_board_page_without_the_leads_actions(client, pw):
    page = main_content(
        get(client, pw.moderator, "submission_board", pw.submission).content.decode()
    )
    assert WHY in page
    assert "Correct the mark" not in page


def test_a_tutor_may_not_read_the_board_page_and_another_trust_finds_nothing(client, pw, world):
    assert get(client, pw.tutor, "submission_board", pw.submission).status_code == 403
    other = build_programme_in_other_trust(world)
    assert get(client, pw.lead, "submission_board", other).status_code == 404


def test_the_assignment_page_links_each_submission_to_its_board_page_and_the_export(client, pw):
    client.force_login(pw.lead)
    page = client.get(reverse("programmes:assignment", args=[pw.assignment.pk])).content.decode()
    assert url("submission_board", pw.submission) in page
    assert reverse("programmes:exam_board_xlsx", args=[pw.assignment.pk]) in page
    assert reverse("programmes:exam_board_csv", args=[pw.assignment.pk]) + "?table=history" in page


def test_the_lead_reopens_a_stage_from_its_page(client, sampled):
    client.force_login(sampled.lead)
    response = client.post(
        url("reopen", sampled.submission), {"stage": "agreement", "reason": "Added up wrongly."}
    )
    assert response.status_code == 302
    assert response["Location"] == url("submission_board", sampled.submission)
    submission = fresh(sampled.submission)
    assert (submission.status, submission.agreed_mark) == (Submission.Status.IN_MARKING, None)
    event = MarkEvent.objects.get(submission=submission, kind=MarkEvent.Kind.REOPENED)
    assert event.reason == "Added up wrongly."


def test_a_reopen_without_a_reason_is_shown_again_and_changes_nothing(client, sampled):
    client.force_login(sampled.lead)
    response = client.post(url("reopen", sampled.submission), {"stage": "agreement"})
    assert response.status_code == 200
    assert "Say why you are reopening it." in response.content.decode()
    assert fresh(sampled.submission).agreed_mark == 45


def test_the_reopen_page_offers_only_what_is_there(client, sampled):
    page = get(client, sampled.lead, "reopen", sampled.submission).content.decode()
    assert 'value="first"' in page and 'value="agreement"' in page
    assert 'value="moderation"' not in page and 'value="third"' not in page


def test_the_lead_corrects_a_released_mark_and_the_teacher_is_emailed(
    client, pw, django_capture_on_commit_callbacks
):
    client.force_login(pw.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("correct", pw.submission), {"mark": "58", "reason": "Recount."})
    assert response.status_code == 302
    assert fresh(pw.submission).final_mark == 58
    [email] = mail.outbox
    assert "from 56 to 58" in email.body


def test_a_correction_out_of_range_is_shown_again_with_a_clear_message(client, pw):
    client.force_login(pw.lead)
    response = client.post(url("correct", pw.submission), {"mark": "101", "reason": "Recount."})
    assert response.status_code == 200
    assert "The corrected mark must be a whole number from 0 to 100." in response.content.decode()
    assert fresh(pw.submission).final_mark == 56


def test_before_release_the_correct_page_sends_the_lead_to_reopen(client, sampled):
    page = get(client, sampled.lead, "correct", sampled.submission).content.decode()
    assert "reopen the stage" in page
    assert 'name="mark"' not in page


def test_the_lead_chooses_the_moderator_from_its_page(client, sampled):
    person = UserFactory(full_name="Dr Nia Evans")
    ProgrammeStaff.objects.create(
        trust=sampled.trust,
        programme=sampled.programme,
        person=person,
        role=ProgrammeStaff.Role.MODERATOR,
    )
    page = get(client, sampled.lead, "moderator_replace", sampled.submission).content.decode()
    assert "Dr Nia Evans" in page
    assert sampled.tutor.full_name not in page.split('name="moderator"')[1]
    response = client.post(url("moderator_replace", sampled.submission), {"moderator": person.pk})
    assert response.status_code == 302
    assert fresh(sampled.submission).moderator == person


@pytest.mark.parametrize("name", ["reopen", "correct", "moderator_replace"])
def test_only_the_lead_uses_the_correction_pages(client, pw, name):
    assert get(client, pw.moderator, name, pw.submission).status_code == 403
    assert get(client, pw.tutor, name, pw.submission).status_code == 403


def test_the_teachers_trail_says_their_marks_were_read_for_the_exam_board(client, pw):
    get(client, pw.moderator, "submission_board", pw.submission)
    client.force_login(pw.enrolments[0].teacher)
    trail = client.get(reverse("coaching:my_audit")).content.decode()
    assert "and their history, for the exam board" in trail
