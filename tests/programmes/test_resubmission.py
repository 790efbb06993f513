"""A resubmission after a released fail: the programme lead opens a new attempt with its own
due date; the teacher drafts and hands it in; it is marked as any other, its mark capped at the
pass mark when the programme says so; both attempts stay on record."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coachloop.common.audit import READ
from coachloop.common.models import AuditEvent
from coachloop.programmes import personal_data, trail
from coachloop.programmes.models import MarkEvent, Submission
from coachloop.programmes.services.moderation import marks_release
from coachloop.programmes.services.resubmissions import resubmission_open
from coachloop.programmes.services.submissions import submission_version_add
from tests.programmes.fixtures import DUE, build_programme, main_content
from tests.programmes.test_marking import fresh, mark, submit
from tests.programmes.test_moderation import draw, marked
from tests.programmes.test_pages_staff import as_lead, text

pytestmark = pytest.mark.django_db

RELEASED_AT = DUE + dt.timedelta(days=30)
OPENED_AT = RELEASED_AT + dt.timedelta(days=1)
NEW_DUE = OPENED_AT + dt.timedelta(days=28)


def released(pw, agreed):
    submission = marked(pw, pw.enrolments[0], agreed)
    draw(pw)
    marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment, now=RELEASED_AT)
    return fresh(submission)


@pytest.fixture
def pw(world, scoped):
    return build_programme(world, moderation_percent=0, moderate_all_fails=False)


def open_for(pw, submission, *, by=None, due_at=NEW_DUE, reason="Failed on reflection."):
    return resubmission_open(
        viewer=pw.as_(by or pw.lead),
        submission=submission,
        due_at=due_at,
        reason=reason,
        now=OPENED_AT,
    )


def test_the_lead_opens_a_resubmission_of_a_released_fail(pw):
    first = released(pw, 40)
    second = open_for(pw, first)
    first = fresh(first)
    assert not first.is_current and first.final_mark == 40
    assert second.is_current and second.attempt == 2
    assert second.status == Submission.Status.DRAFTING
    assert second.extended_due_at == NEW_DUE and second.due_at == NEW_DUE
    assert second.mark_cap == pw.programme.pass_mark == 50
    event = MarkEvent.objects.get(submission=first, kind=MarkEvent.Kind.RESUBMISSION_OPENED)
    assert event.actor == pw.lead and event.reason == "Failed on reflection."
    assert event.mark == 40
    assert AuditEvent.objects.filter(verb="submission.resubmission_opened").count() == 1


def test_the_mark_is_not_capped_when_the_programme_says_so(world, scoped):
    pw = build_programme(
        world, moderation_percent=0, moderate_all_fails=False, cap_resubmissions=False
    )
    assert open_for(pw, released(pw, 40)).mark_cap is None


def test_a_resubmission_of_a_pass_is_refused_and_changes_nothing(pw):
    first = released(pw, 50)
    with pytest.raises(ValidationError, match="passed"):
        open_for(pw, first)
    assert fresh(first).is_current
    assert Submission.objects.count() == 1
    assert not MarkEvent.objects.filter(kind=MarkEvent.Kind.RESUBMISSION_OPENED).exists()


def test_a_resubmission_of_unreleased_work_is_refused(pw):
    first = marked(pw, pw.enrolments[0], 40)
    with pytest.raises(ValidationError, match="released"):
        open_for(pw, first)
    assert Submission.objects.count() == 1


@pytest.mark.parametrize("who", ["tutor", "coach", "moderator"])
def test_only_the_programme_lead_opens_a_resubmission(pw, who):
    first = released(pw, 40)
    with pytest.raises(PermissionDenied):
        open_for(pw, first, by=getattr(pw, who))
    assert Submission.objects.count() == 1


def test_a_due_date_in_the_past_is_refused(pw):
    first = released(pw, 40)
    with pytest.raises(ValidationError, match="future"):
        open_for(pw, first, due_at=OPENED_AT - dt.timedelta(hours=1))
    assert fresh(first).is_current


def test_a_reason_is_needed(pw):
    first = released(pw, 40)
    with pytest.raises(ValidationError, match="Say why"):
        open_for(pw, first, reason="  ")
    assert Submission.objects.count() == 1


def test_a_second_resubmission_is_not_opened_from_the_replaced_attempt(pw):
    first = released(pw, 40)
    open_for(pw, first)
    with pytest.raises(ValidationError, match="later attempt"):
        open_for(pw, first)
    assert Submission.objects.count() == 2


def test_the_teacher_hands_in_attempt_two_which_is_marked_capped_and_kept_beside_the_first(pw):
    first = released(pw, 40)
    open_for(pw, first)
    teacher = pw.enrolments[0].teacher
    for final in (False, True):
        submission_version_add(
            viewer=pw.as_(teacher),
            enrolment=pw.enrolments[0],
            assignment=pw.assignment,
            text="My second attempt, with the reflection the first lacked.",
            final=final,
            now=OPENED_AT + dt.timedelta(days=7),
        )
    second = Submission.objects.get(is_current=True)
    assert second.attempt == 2 and second.status == Submission.Status.NOT_MARKED
    assert not second.is_late  # due on the new date, not the assignment's
    assert second.versions.count() == 2
    assert second.first_marker == pw.tutor and second.second_marker == pw.coach
    mark(pw, second, pw.tutor, 70, 70)
    mark(pw, second, pw.coach, 70, 70)
    draw(pw)
    marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment, now=NEW_DUE)
    second = fresh(second)
    assert second.status == Submission.Status.RELEASED
    assert second.uncapped_mark == 70 and second.final_mark == 50
    first = fresh(first)
    assert first.final_mark == 40 and first.marks.count() == 2
    assert first.status == Submission.Status.RELEASED and first.versions.count() == 1


def test_both_attempts_are_in_the_teachers_own_data(pw):
    first = released(pw, 40)
    open_for(pw, first)
    submit(pw, now=OPENED_AT + dt.timedelta(days=7))
    teacher = pw.enrolments[0].teacher
    exported = personal_data.export(teacher, pw.trust, for_person_themself=True)
    section = next(s for s in exported if s.key == "programmes.enrolments")
    attempts = [s for e in section.records for s in e["submissions"]]
    assert sorted(s["attempt"] for s in attempts) == [1, 2]
    assert [s["final_mark"] for s in attempts if s["attempt"] == 1] == [40]


# -- the pages --------------------------------------------------------------------------------


def page_url(submission):
    return reverse("programmes:resubmission_open", args=[submission.pk])


def test_the_assignment_page_links_the_lead_to_a_resubmission_of_a_released_fail_only(
    client, world, scoped
):
    pw = build_programme(world, teachers=2, moderation_percent=0, moderate_all_fails=False)
    fail = marked(pw, pw.enrolments[0], 40)
    passed = marked(pw, pw.enrolments[1], 60)
    draw(pw)
    marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment, now=RELEASED_AT)
    page = text(as_lead(client, pw).get(reverse("programmes:assignment", args=[pw.assignment.pk])))
    assert page_url(fail) in page
    assert page_url(passed) not in page


def test_the_lead_opens_a_resubmission_on_its_page(client, pw):
    first = released(pw, 40)
    as_lead(client, pw)
    page = text(client.get(page_url(first)))
    assert "Open a resubmission for" in page and "40%" in page
    assert "capped at 50%" in page
    due_on = (timezone.localdate() + dt.timedelta(days=21)).isoformat()
    response = client.post(page_url(first), {"due_on": due_on, "reason": "Failed on reflection."})
    assert response.status_code == 302
    second = Submission.objects.get(is_current=True)
    assert second.attempt == 2 and timezone.localtime(second.due_at).date().isoformat() == due_on
    assert timezone.localtime(second.due_at).time() == timezone.localtime(DUE).time()
    assert "Attempt 2 is open already" in text(client.get(page_url(first)))


def test_a_past_date_on_the_page_is_refused_clearly_and_opens_nothing(client, pw):
    first = released(pw, 40)
    as_lead(client, pw)
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(page_url(first), {"due_on": past, "reason": "Failed."})
    assert response.status_code == 200
    assert "The new due date must be in the future." in text(response)
    assert Submission.objects.count() == 1


def test_the_page_says_why_a_pass_cannot_be_resubmitted(client, pw):
    first = released(pw, 60)
    page = text(as_lead(client, pw).get(page_url(first)))
    assert "This work passed, so there is nothing to resubmit." in page
    assert 'name="due_on"' not in page


def test_the_teacher_drafts_attempt_two_and_sees_the_first_with_its_mark(client, pw):
    first = released(pw, 40)
    resubmission_open(
        viewer=pw.as_(pw.lead),
        submission=first,
        due_at=timezone.now() + dt.timedelta(days=14),
        reason="Failed on reflection.",
    )
    client.force_login(pw.enrolments[0].teacher)
    url = reverse("programmes:submission", args=[pw.assignment.pk])
    page = main_content(text(client.get(url)))
    assert "Attempt 2, capped at 50" in page
    assert "Earlier attempts" in page and "40%" in page and "Fail" in page
    assert "Hand in the final version" in page
    response = client.post(url, {"text": "My second attempt.", "action": "draft"})
    assert response.status_code == 302
    second = Submission.objects.get(is_current=True)
    assert second.attempt == 2 and second.versions.get().text == "My second attempt."
    listing = main_content(text(client.get(reverse("programmes:my_programme"))))
    assert "Draft saved" in listing and "40%" not in listing


def test_the_leads_read_is_named_in_the_teachers_trail(client, pw):
    first = released(pw, 40)
    as_lead(client, pw).get(page_url(first))
    read = AuditEvent.objects.get(verb=READ, actor=pw.lead, subject=pw.enrolments[0].teacher)
    assert trail.names([read])[read] == (
        f"your mark for “{pw.assignment.title}”, to open a resubmission"
    )


def test_the_programme_page_counts_each_teachers_current_attempt_once(client, pw):
    open_for(pw, released(pw, 40))
    url = reverse("programmes:programme", args=[pw.programme.pk])
    page = main_content(text(as_lead(client, pw).get(url)))
    assert "Drafting: 1" in page and "Released" not in page
