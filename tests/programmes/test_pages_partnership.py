"""The three partners' pages: the enrolment's shared page, scheduling and recording a
three-way meeting, bringing and agreeing goals, the module's reading list and discussion
prompts. Bad input gets a clear message and changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import Goal
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from coachloop.programmes.models import (
    DiscussionPrompt,
    GoalAgreement,
    Meeting,
    MeetingAction,
    Module,
    Reading,
)
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw(programme):
    """The programme, with its university staff able to sign in."""
    with scopes_disabled():
        for person in (programme.lead, programme.tutor, programme.other_tutor, programme.moderator):
            MembershipFactory(
                user=person, school=None, trust=programme.trust, role=Role.PARTNER_STAFF
            )
    return programme


@pytest.fixture
def enrolment(pw):
    return pw.enrolments[0]


@pytest.fixture
def module(pw):
    return Module.objects.get(programme=pw.programme)


def _goal(teacher, title="More pupils explain their reasoning aloud"):
    return Goal.objects.create(
        trust=teacher.memberships.first().trust,
        teacher=teacher,
        title=title,
        pupils="Year 9, set 2",
        review_on=timezone.localdate() + dt.timedelta(days=60),
        created_by=teacher,
        created_at=timezone.now(),
    )


def _meeting(enrolment, *, days=7):
    return Meeting.objects.create(
        trust=enrolment.trust,
        enrolment=enrolment,
        scheduled_for=timezone.now() + dt.timedelta(days=days),
        agenda="How the case study is going.",
        created_by=enrolment.coach,
    )


def _record_data(meeting, **extra):
    data = {
        "version": meeting.version,
        "held_on": timezone.localdate().isoformat(),
        "notes": "We read the draft introduction together.",
    }
    data.update(extra)
    return data


# The shared page


def test_the_three_partners_see_their_shared_page(client, pw, enrolment):
    meeting = _meeting(enrolment)
    for person in (enrolment.teacher, enrolment.coach, enrolment.tutor):
        client.force_login(person)
        response = client.get(reverse("programmes:enrolment", args=[enrolment.pk]))
        assert response.status_code == 200
        assert meeting.agenda.encode() in response.content


def test_the_lead_moderator_and_another_tutor_cannot_read_the_three_s_page(client, pw, enrolment):
    _meeting(enrolment)
    for person in (pw.lead, pw.moderator, pw.other_tutor):
        client.force_login(person)
        for route in ("programmes:enrolment", "programmes:meeting_new"):
            assert client.get(reverse(route, args=[enrolment.pk])).status_code == 404


def test_the_page_shows_open_actions_with_their_owner_and_date(client, pw, enrolment):
    meeting = _meeting(enrolment, days=-3)
    MeetingAction.objects.create(
        trust=enrolment.trust,
        meeting=meeting,
        text="Draft the literature review",
        owner=enrolment.teacher,
        due_on=dt.date(2026, 5, 1),
    )
    client.force_login(enrolment.coach)
    response = client.get(reverse("programmes:enrolment", args=[enrolment.pk]))
    content = response.content.decode()
    assert "Draft the literature review" in content
    assert "1 May 2026" in content
    assert enrolment.teacher.full_name in content


def test_a_coach_reading_the_page_is_in_the_teacher_s_audit_trail(client, pw, enrolment):
    client.force_login(enrolment.coach)
    client.get(reverse("programmes:enrolment", args=[enrolment.pk]))
    assert AuditEvent.objects.filter(
        actor=enrolment.coach, subject=enrolment.teacher, verb="read"
    ).exists()


# Scheduling a meeting


def test_the_coach_schedules_a_meeting(client, pw, enrolment):
    client.force_login(enrolment.coach)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("programmes:meeting_new", args=[enrolment.pk]),
        {"on": tomorrow.isoformat(), "at": "15:45", "agenda": "The draft's structure"},
    )
    meeting = Meeting.objects.get(enrolment=enrolment)
    assert response.status_code == 302
    assert response.url == reverse("programmes:meeting", args=[meeting.pk])
    assert timezone.localtime(meeting.scheduled_for).time() == dt.time(15, 45)
    assert meeting.agenda == "The draft's structure"


@pytest.mark.parametrize(
    ("on", "at", "message"),
    [
        ("next tuesday", "15:45", "as a real date"),
        ("2026-02-30", "15:45", "as a real date"),
        ("", "15:45", "Enter the date of the meeting"),
        ("TOMORROW", "quarter to four", "hours and minutes"),
        ("2020-01-06", "15:45", "has not passed yet"),
    ],
)
def test_a_meeting_time_that_is_not_a_time_is_refused(client, pw, enrolment, on, at, message):
    client.force_login(enrolment.coach)
    if on == "TOMORROW":
        on = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("programmes:meeting_new", args=[enrolment.pk]),
        {"on": on, "at": at, "agenda": "The draft"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.filter(enrolment=enrolment).exists()


def test_a_meeting_without_an_agenda_is_refused(client, pw, enrolment):
    client.force_login(enrolment.tutor)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("programmes:meeting_new", args=[enrolment.pk]),
        {"on": tomorrow.isoformat(), "at": "09:00", "agenda": "   "},
    )
    assert "Say what the meeting is for" in response.content.decode()
    assert not Meeting.objects.exists()


# Recording a meeting


def test_the_tutor_records_notes_and_an_action(client, pw, enrolment):
    meeting = _meeting(enrolment, days=-1)
    client.force_login(enrolment.tutor)
    url = reverse("programmes:meeting", args=[meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _record_data(
            meeting,
            action_1_text="Send the tutor a plan",
            action_1_owner=enrolment.teacher.pk,
            action_1_due_on="2026-06-01",
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_on == timezone.localdate()
    assert meeting.notes == "We read the draft introduction together."
    action = MeetingAction.objects.get(meeting=meeting)
    assert (action.text, action.owner, action.due_on) == (
        "Send the tutor a plan",
        enrolment.teacher,
        dt.date(2026, 6, 1),
    )


def test_an_action_for_someone_outside_the_three_is_refused(client, pw, enrolment):
    meeting = _meeting(enrolment, days=-1)
    client.force_login(enrolment.tutor)
    response = client.post(
        reverse("programmes:meeting", args=[meeting.pk]),
        _record_data(meeting, action_1_text="Mark it", action_1_owner=pw.lead.pk),
    )
    assert response.status_code == 200
    assert "Choose the teacher, the coach or the tutor" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.held_on is None and not MeetingAction.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"action_1_text": "Read chapter 2"}, "Choose who will do action 1"),
        ({"action_1_owner": "TEACHER"}, "Say what action 1 is"),
        (
            {"action_1_text": "Read", "action_1_owner": "TEACHER", "action_1_due_on": "soon"},
            "as a real date",
        ),
        ({"held_on": "yesterday-ish"}, "as a real date"),
        ({"held_on": "2999-01-01"}, "cannot be recorded before it has happened"),
        ({"version": "x"}, "There is a problem"),
    ],
)
def test_bad_meeting_records_change_nothing(client, pw, enrolment, extra, message):
    meeting = _meeting(enrolment, days=-1)
    extra = {k: enrolment.teacher.pk if v == "TEACHER" else v for k, v in extra.items()}
    client.force_login(enrolment.coach)
    response = client.post(
        reverse("programmes:meeting", args=[meeting.pk]), _record_data(meeting, **extra)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.held_on is None and meeting.version == 1
    assert not MeetingAction.objects.exists()


def test_two_people_recording_at_once_do_not_overwrite_each_other(client, pw, enrolment):
    meeting = _meeting(enrolment, days=-1)
    stale = _record_data(meeting, notes="The coach's notes")
    client.force_login(enrolment.tutor)
    client.post(reverse("programmes:meeting", args=[meeting.pk]), _record_data(meeting))
    client.force_login(enrolment.coach)
    response = client.post(reverse("programmes:meeting", args=[meeting.pk]), stale)
    assert response.status_code == 200
    assert "Someone else saved this meeting" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.notes == "We read the draft introduction together."


def test_a_meeting_is_a_404_for_anyone_but_the_three(client, pw, enrolment):
    meeting = _meeting(enrolment)
    for person in (pw.lead, pw.moderator, pw.other_tutor):
        client.force_login(person)
        url = reverse("programmes:meeting", args=[meeting.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, _record_data(meeting)).status_code == 404
    meeting.refresh_from_db()
    assert meeting.held_on is None


# Goals


def test_the_teacher_brings_a_goal_and_all_three_agree_it(client, pw, enrolment):
    goal = _goal(enrolment.teacher)
    client.force_login(enrolment.teacher)
    bring_url = reverse("programmes:goal_bring", args=[enrolment.pk])
    assert goal.title.encode() in client.get(bring_url).content
    response = client.post(bring_url, {"goal": goal.pk})
    assert response.status_code == 302
    agreement = GoalAgreement.objects.get(goal=goal)
    assert agreement.teacher_agreed_at is not None
    for person in (enrolment.coach, enrolment.tutor):
        client.force_login(person)
        page = client.get(reverse("programmes:enrolment", args=[enrolment.pk])).content.decode()
        assert "Agree this goal" in page
        response = client.post(reverse("programmes:goal_agree", args=[agreement.pk]))
        assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.is_agreed
    page = client.get(reverse("programmes:enrolment", args=[enrolment.pk])).content.decode()
    assert "Agreed by all three" in page and "Agree this goal" not in page


def test_a_changed_goal_shows_that_each_is_asked_again(client, pw, enrolment):
    goal = _goal(enrolment.teacher)
    GoalAgreement.objects.create(
        trust=enrolment.trust,
        enrolment=enrolment,
        goal=goal,
        goal_version=goal.version,
        teacher_agreed_at=timezone.now(),
        coach_agreed_at=timezone.now(),
        tutor_agreed_at=timezone.now(),
    )
    Goal.objects.filter(pk=goal.pk).update(version=goal.version + 1)
    client.force_login(enrolment.tutor)
    page = client.get(reverse("programmes:enrolment", args=[enrolment.pk])).content.decode()
    assert "The goal has changed since it was agreed" in page
    assert "Waiting for agreement" in page and "Agree this goal" in page


def test_a_tampered_goal_id_is_refused(client, pw, enrolment, world):
    someone_elses = _goal(world.people["other_coach"], title="Not yours")
    client.force_login(enrolment.teacher)
    for value in (someone_elses.pk, "999999", "abc"):
        response = client.post(
            reverse("programmes:goal_bring", args=[enrolment.pk]), {"goal": value}
        )
        assert response.status_code == 200
        assert "Choose one of your goals" in response.content.decode()
    assert not GoalAgreement.objects.exists()


def test_a_goal_already_brought_is_not_offered_again(client, pw, enrolment):
    goal = _goal(enrolment.teacher)
    client.force_login(enrolment.teacher)
    url = reverse("programmes:goal_bring", args=[enrolment.pk])
    client.post(url, {"goal": goal.pk})
    response = client.post(url, {"goal": goal.pk})
    assert response.status_code == 200
    assert GoalAgreement.objects.count() == 1


def test_only_the_teacher_brings_a_goal(client, pw, enrolment):
    goal = _goal(enrolment.teacher)
    for person in (enrolment.coach, enrolment.tutor):
        client.force_login(person)
        url = reverse("programmes:goal_bring", args=[enrolment.pk])
        assert client.post(url, {"goal": goal.pk}).status_code == 403
    assert not GoalAgreement.objects.exists()


def test_the_lead_cannot_agree_a_goal_or_read_it(client, pw, enrolment):
    goal = _goal(enrolment.teacher)
    agreement = GoalAgreement.objects.create(
        trust=enrolment.trust,
        enrolment=enrolment,
        goal=goal,
        goal_version=goal.version,
        teacher_agreed_at=timezone.now(),
    )
    client.force_login(pw.lead)
    assert client.post(reverse("programmes:goal_agree", args=[agreement.pk])).status_code == 404
    assert client.get(reverse("programmes:goal_agree", args=[agreement.pk])).status_code == 405
    agreement.refresh_from_db()
    assert agreement.coach_agreed_at is None and agreement.tutor_agreed_at is None


# Reading lists and discussion prompts


def test_the_tutor_adds_a_reading(client, pw, module):
    client.force_login(pw.tutor)
    response = client.post(
        reverse("programmes:reading_new", args=[module.pk]),
        {
            "title": "Teach Like a Champion 3.0",
            "citation": "Lemov, D. (2021)",
            "url": "https://example.org/tlac",
            "week": "3",
        },
    )
    assert response.status_code == 302
    reading = Reading.objects.get(module=module)
    assert (reading.title, reading.citation, reading.url, reading.week) == (
        "Teach Like a Champion 3.0",
        "Lemov, D. (2021)",
        "https://example.org/tlac",
        3,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Give the reading a title"),
        ({"title": "A", "url": "not a link at all"}, "Enter a link"),
        ({"title": "A", "url": "javascript:alert(1)"}, "Enter a link"),
        ({"title": "A", "week": "three"}, "as a number"),
        ({"title": "A", "week": "99"}, "Enter a week from 1 to 52"),
    ],
)
def test_a_bad_reading_is_refused(client, pw, module, data, message):
    client.force_login(pw.lead)
    response = client.post(reverse("programmes:reading_new", args=[module.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Reading.objects.exists()


def test_only_the_lead_and_tutors_add_readings(client, pw, module, enrolment):
    for person in (pw.moderator, enrolment.teacher, enrolment.coach):
        client.force_login(person)
        url = reverse("programmes:reading_new", args=[module.pk])
        assert client.post(url, {"title": "Mine"}).status_code == 403
    assert not Reading.objects.exists()


def test_the_coach_adds_a_prompt_the_three_see_and_the_lead_does_not(client, pw, module, enrolment):
    reading = Reading.objects.create(trust=pw.trust, module=module, title="Rosenshine's principles")
    client.force_login(enrolment.coach)
    response = client.post(
        reverse("programmes:prompt_new", args=[reading.pk]),
        {"enrolment": enrolment.pk, "text": "Which principle do you already use?"},
    )
    assert response.status_code == 302
    prompt = DiscussionPrompt.objects.get()
    assert (prompt.enrolment, prompt.written_by) == (enrolment, enrolment.coach)
    for person, sees in (
        (enrolment.teacher, True),
        (enrolment.tutor, True),
        (pw.lead, False),
        (pw.moderator, False),
    ):
        client.force_login(person)
        page = client.get(reverse("programmes:readings", args=[module.pk]))
        assert page.status_code == 200
        assert ("Which principle do you already use?" in page.content.decode()) is sees
    client.force_login(enrolment.teacher)
    page = client.get(reverse("programmes:enrolment", args=[enrolment.pk])).content.decode()
    assert "Rosenshine" in page and "Which principle do you already use?" in page


def test_a_prompt_for_a_teacher_the_coach_does_not_support_is_refused(
    client, pw, module, enrolment, world
):
    reading = Reading.objects.create(trust=pw.trust, module=module, title="Rosenshine")
    client.force_login(enrolment.coach)
    url = reverse("programmes:prompt_new", args=[reading.pk])
    for value in ("999999", "abc", ""):
        response = client.post(url, {"enrolment": value, "text": "A question"})
        assert response.status_code == 200
        assert "Choose" in response.content.decode()
    response = client.post(url, {"enrolment": enrolment.pk, "text": "   "})
    assert "Write the question" in response.content.decode()
    assert not DiscussionPrompt.objects.exists()


def test_only_a_coach_or_tutor_of_a_teacher_on_the_programme_adds_prompts(
    client, pw, module, enrolment
):
    reading = Reading.objects.create(trust=pw.trust, module=module, title="Rosenshine")
    url = reverse("programmes:prompt_new", args=[reading.pk])
    for person, code in ((enrolment.teacher, 403), (pw.lead, 403), (pw.other_tutor, 403)):
        client.force_login(person)
        assert client.get(url).status_code == code
    assert not DiscussionPrompt.objects.exists()


def test_readings_of_an_unknown_module_are_a_404(client, pw, enrolment):
    client.force_login(enrolment.teacher)
    assert client.get(reverse("programmes:readings", args=[999999])).status_code == 404
    assert client.get(reverse("programmes:prompt_new", args=[999999])).status_code == 404
