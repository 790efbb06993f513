"""The three partners, on a phone and on a desktop: the coach schedules a three-way meeting,
the teacher brings a goal, the tutor records the meeting's notes and an action, agrees the
goal and adds a reading to the module's list, and the coach agrees the goal too (now agreed by
all three) and prepares a discussion prompt for the reading. Every page is axe-clean."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from coachloop.coaching.models import Goal
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
from tests.browser.test_coaching_journey import sign_in
from tests.factories import MembershipFactory
from tests.programmes.fixtures import build_programme
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOAL = "More pupils explain their reasoning aloud"
AGENDA = "How the case study's first draft is going"
NOTES = "We read the introduction together; the evidence section comes next."
ACTION = "Send the tutor a plan of the evidence section"
PROMPT = "Where have you seen cold calling work in your own lessons?"


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/|/$"))


def _set_up():
    world = build_world()
    with scopes_disabled():
        pw = build_programme(world)
        MembershipFactory(user=pw.tutor, school=None, trust=pw.trust, role=Role.PARTNER_STAFF)
        enrolment = pw.enrolments[0]
        Goal.objects.create(
            trust=pw.trust,
            teacher=enrolment.teacher,
            title=GOAL,
            pupils="Year 9, set 2",
            review_on=timezone.localdate() + dt.timedelta(days=60),
            created_by=enrolment.teacher,
            created_at=timezone.now(),
        )
        module = Module.objects.get(programme=pw.programme)
    return pw, enrolment, module


def _visit(page, axe, url):
    page.goto(url)
    axe.check(page)


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_three_partners_meet_agree_a_goal_and_discuss_a_reading(request, device, axe):
    pw, enrolment, module = _set_up()
    shared_page = f"/programmes/enrolments/{enrolment.pk}/"
    page = request.getfixturevalue(device).new_page()

    # The coach schedules a three-way meeting.
    sign_in(page, axe, enrolment.coach.email)
    page.wait_for_load_state()
    _visit(page, axe, shared_page)
    page.get_by_role("link", name="Schedule a meeting").click()
    page.wait_for_url(re.compile(r"/meetings/new/$"))
    axe.check(page)
    page.get_by_role("button", name="Schedule meeting").click()  # nothing filled in yet
    page.get_by_text("There is a problem").first.wait_for()
    page.get_by_text("Enter the date of the meeting.").first.wait_for()
    axe.check(page)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_label("Date", exact=True).fill(tomorrow.isoformat())
    page.get_by_label("Time", exact=True).fill("15:45")
    page.get_by_label("Agenda").fill(AGENDA)
    page.get_by_role("button", name="Schedule meeting").click()
    page.wait_for_url(re.compile(r"/programmes/meetings/\d+/$"))
    page.get_by_text("Meeting scheduled.").wait_for()
    axe.check(page)
    sign_out(page)

    # The teacher brings one of their goals to the programme.
    sign_in(page, axe, enrolment.teacher.email)
    page.wait_for_load_state()
    _visit(page, axe, shared_page)
    page.get_by_role("link", name="Bring one of your goals").click()
    page.wait_for_url(re.compile(r"/goals/bring/$"))
    axe.check(page)
    page.get_by_label(GOAL).check()
    page.get_by_role("button", name="Bring this goal").click()
    page.wait_for_url(re.compile(r"/programmes/enrolments/\d+/$"))
    page.get_by_text("Goal brought to the programme.").wait_for()
    axe.check(page)
    sign_out(page)

    # The tutor records the meeting, agrees the goal and adds a reading.
    sign_in(page, axe, pw.tutor.email)
    page.wait_for_load_state()
    _visit(page, axe, shared_page)
    page.locator("#upcoming-meetings a").first.click()
    page.wait_for_url(re.compile(r"/programmes/meetings/\d+/$"))
    axe.check(page)
    page.get_by_label("Notes").fill(NOTES)
    first_action = page.get_by_role("group", name="Action 1 (optional)")
    first_action.get_by_label("Action 1").fill(ACTION)
    first_action.get_by_label("Who will do it").select_option(
        label=f"{enrolment.teacher.full_name} (teacher)"
    )
    first_action.get_by_label("By").fill((tomorrow + dt.timedelta(days=13)).isoformat())
    page.get_by_role("button", name="Save meeting notes").click()
    page.get_by_text("Meeting notes saved.").wait_for()
    page.get_by_role("table", name="Actions").get_by_text(ACTION).wait_for()
    axe.check(page)
    _visit(page, axe, shared_page)
    page.get_by_role("table", name="Actions from your meetings, not done yet").get_by_text(
        ACTION
    ).wait_for()
    page.get_by_role("button", name=re.compile("^Agree this goal")).click()
    page.get_by_text("You have agreed this goal.").wait_for()
    axe.check(page)
    _visit(page, axe, f"/programmes/modules/{module.pk}/readings/")
    page.get_by_role("link", name="Add a reading").click()
    page.wait_for_url(re.compile(r"/readings/new/$"))
    axe.check(page)
    page.get_by_label("Link (optional)").fill("not a link")
    page.get_by_role("button", name="Add reading").click()  # no title, and a bad link
    page.get_by_text("Give the reading a title.").first.wait_for()
    axe.check(page)
    page.get_by_label("Title").fill("Teach Like a Champion 3.0")
    page.get_by_label("Author and reference").fill("Lemov, D. (2021)")
    page.get_by_label("Link (optional)").fill("https://example.org/tlac")
    page.get_by_role("button", name="Add reading").click()
    page.get_by_text("Reading added to the list.").wait_for()
    axe.check(page)
    sign_out(page)

    # The coach agrees the goal (now agreed by all three) and prepares a discussion prompt.
    sign_in(page, axe, enrolment.coach.email)
    page.wait_for_load_state()
    _visit(page, axe, shared_page)
    page.get_by_role("button", name=re.compile("^Agree this goal")).click()
    page.get_by_text("All three of you have agreed this goal.").wait_for()
    page.get_by_text("Agreed by all three").wait_for()
    axe.check(page)
    page.get_by_role("link", name="Reading list and discussion prompts for MA1").click()
    page.wait_for_url(re.compile(r"/modules/\d+/readings/$"))
    axe.check(page)
    page.get_by_role("link", name=re.compile("^Add a discussion prompt")).click()
    page.wait_for_url(re.compile(r"/prompts/new/$"))
    axe.check(page)
    page.get_by_label("Discussion prompt").fill(PROMPT)
    page.get_by_role("button", name="Add prompt").click()
    page.get_by_text(f"Discussion prompt added for {enrolment.teacher.full_name}.").wait_for()
    page.get_by_text(PROMPT).wait_for()
    axe.check(page)

    with scopes_disabled():
        meeting = Meeting.objects.get(enrolment=enrolment)
        assert (meeting.agenda, meeting.notes, meeting.held_on) == (
            AGENDA,
            NOTES,
            timezone.localdate(),
        )
        action = MeetingAction.objects.get(meeting=meeting)
        assert (action.text, action.owner_id) == (ACTION, enrolment.teacher_id)
        assert GoalAgreement.objects.get(enrolment=enrolment).is_agreed
        reading = Reading.objects.get(module=module)
        assert reading.url == "https://example.org/tlac"
        prompt = DiscussionPrompt.objects.get(reading=reading)
        assert (prompt.enrolment_id, prompt.written_by_id) == (enrolment.pk, enrolment.coach_id)
