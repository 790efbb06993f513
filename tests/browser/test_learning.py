"""A teacher's own learning on a phone: a goal for a class, progress, evidence (a PDF and a
link) and a private reflection; their coach then sees the goal and its evidence, never the
reflection. Every page checked with axe-core."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from weasyprint import HTML

from coachloop.coaching.models import EvidenceItem, Goal, GoalProgress, Reflection
from coachloop.common.tenancy import scopes_disabled
from tests.browser.test_coaching_journey import sign_in
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOAL = "Every pupil answers in full sentences"
REFLECTION = "Waiting longer changed who answered"


@pytest.fixture
def lesson_pdf(tmp_path, media):
    path = tmp_path / "Exit tickets week 3.pdf"
    path.write_bytes(HTML(string="<h1>Exit tickets</h1><p>Year 9 set 2</p>").write_pdf())
    return path


def test_a_teacher_sets_a_goal_adds_evidence_and_reflects_and_the_coach_sees_only_the_goal(
    phone, axe, lesson_pdf
):
    world = build_world()
    teacher, coach = world.own.teacher, world.own.coach
    page = phone.new_page()
    sign_in(page, axe, teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))

    page.goto("/me/goals/")
    axe.check(page)
    page.get_by_role("link", name="Set a goal").click()
    axe.check(page)
    page.get_by_label("Your goal").fill(GOAL)
    page.get_by_label("The pupils it aims to help").fill("Year 9 set 2")
    page.get_by_label("Pupils' work").check()
    page.get_by_label("Pupil voice").check()
    review_on = timezone.localdate() + dt.timedelta(days=10)
    page.get_by_label("Review on").fill(review_on.isoformat())
    page.get_by_label(re.compile(f"Share it with {coach.full_name}")).check()
    page.get_by_role("button", name="Set this goal").click()
    page.get_by_role("heading", name=GOAL).wait_for()
    axe.check(page)

    page.get_by_text("Add progress", exact=True).first.click()
    page.get_by_label("What has changed?").fill("Half the class now answer in full.")
    page.get_by_role("button", name="Add progress").click()
    page.get_by_text("Progress added.").wait_for()
    axe.check(page)

    page.get_by_role("link", name="Add a file").click()
    axe.check(page)
    page.get_by_label("Choose a file").set_input_files(str(lesson_pdf))
    page.get_by_role("button", name="Add the file").click()
    page.get_by_text("File added.").wait_for()
    assert page.get_by_role(
        "link", name=re.compile("Download Exit tickets week 3.pdf")
    ).is_visible()
    axe.check(page)

    page.get_by_role("link", name="Add a link").click()
    axe.check(page)
    page.get_by_label("Link").fill("https://video.example.org/lesson-12")
    page.get_by_label("What is it?").fill("Lesson video, 12 March")
    page.get_by_role("button", name="Add the link").click()
    page.get_by_text("Link added.").wait_for()
    axe.check(page)

    page.get_by_role("link", name="Write a reflection about this goal").click()
    axe.check(page)
    page.get_by_label("Title").fill(REFLECTION)
    page.get_by_label("Your reflection").fill("I waited five seconds and new hands went up.")
    page.get_by_role("button", name="Save reflection").click()
    page.get_by_text("Reflection saved. Only you can read it.").wait_for()
    axe.check(page)
    reflection_url = page.url
    page.goto("/me/reflections/")
    axe.check(page)
    page.goto("/me/evidence/")
    axe.check(page)
    page.goto("/me/goals/")
    assert page.get_by_text("Review in 10 days").is_visible()
    axe.check(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, axe, coach.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    page.goto(f"/coach/teachers/{world.own.relationship.pk}/goals/")
    axe.check(page)
    page.get_by_role("link", name=GOAL).click()
    page.get_by_role("heading", name=GOAL).wait_for()
    assert page.get_by_text("Half the class now answer in full.").is_visible()
    assert page.get_by_role(
        "link", name=re.compile("Download Exit tickets week 3.pdf")
    ).is_visible()
    assert page.get_by_text(REFLECTION).count() == 0
    axe.check(page)
    response = page.goto(reflection_url)
    assert response.status == 404
    axe.check(page)

    with scopes_disabled():
        goal = Goal.objects.get()
        assert (goal.pupils, goal.relationship) == ("Year 9 set 2", world.own.relationship)
        assert GoalProgress.objects.filter(goal=goal).count() == 1
        assert set(EvidenceItem.objects.values_list("kind", flat=True)) == {"file", "link"}
        assert Reflection.objects.get().goal == goal
