"""Progression on a phone: a teacher records where they are on a strand (down, then up again)
and sees the path; proposes their next step; their coach accepts it; the teacher sees it as
their current step and the share of steps they proposed. Every page checked with axe-core."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from coachloop.coaching.models import ActionStep, StageAssessment
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import AcademicYear, Term
from tests.browser.test_coaching_journey import sign_in
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEP = "Cold-call after think-pair-share"


def _record(page, axe, *, stage, days_ago, note=""):
    page.get_by_role("link", name="Record where you are now", exact=True).first.click()
    page.wait_for_url(re.compile(r"/me/progression/place/"))
    axe.check(page)
    page.get_by_label("Behaviour and routines").check()
    page.get_by_label(stage, exact=True).check()
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    page.get_by_label("Date").fill(day.isoformat())
    if note:
        page.get_by_label("Note (optional)").fill(note)
    page.get_by_role("button", name="Save this stage").click()
    page.wait_for_url(re.compile(r"/me/progression/#strand-BR$"))
    page.get_by_text("Your stage is saved.").wait_for()
    axe.check(page)


def test_a_teacher_charts_their_stage_proposes_a_step_and_the_coach_accepts_it(phone, axe):
    world = build_world()
    teacher, coach = world.own.teacher, world.own.coach
    with scopes_disabled():
        StageAssessment.objects.create(
            trust=world.trust,
            teacher=teacher,
            strand=world.own.framework_step.strand,
            strand_code="BR",
            strand_title="Behaviour and routines",
            stage=3,
            assessed_on=timezone.localdate() - dt.timedelta(days=40),
            assessed_by=teacher,
        )
        # A term around today, so the steps are counted together.
        year = AcademicYear.objects.create(
            trust=world.trust,
            name="This year",
            starts_on=timezone.localdate() - dt.timedelta(days=200),
            ends_on=timezone.localdate() + dt.timedelta(days=100),
        )
        Term.objects.create(
            trust=world.trust,
            academic_year=year,
            name="This term",
            starts_on=timezone.localdate() - dt.timedelta(days=60),
            ends_on=timezone.localdate() + dt.timedelta(days=30),
        )
    page = phone.new_page()
    sign_in(page, axe, teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto("/me/progression/")
    axe.check(page)

    # Down after a hard few weeks, then up again.
    _record(page, axe, stage="Advanced beginner", days_ago=20, note="A new Year 9 group.")
    _record(page, axe, stage="Proficient", days_ago=0)
    chart = page.get_by_role("img", name=re.compile("Stage in Behaviour and routines over time"))
    chart.wait_for()
    assert page.locator('[data-chart="stage-path"] [data-direction="down"]').count() == 1
    assert page.locator('[data-chart="stage-path"] [data-direction="up"]').count() == 1
    assert page.locator('[data-chart="stage-path"] [data-mark="step"]').count() == 1
    table = page.get_by_role("table", name="Behaviour and routines: stages and steps, by date")
    assert table.get_by_text("A new Year 9 group.").is_visible()

    # The teacher proposes their next step.
    page.get_by_role("link", name=re.compile("Propose your next step")).click()
    page.wait_for_url(re.compile(r"/propose-a-step/$"))
    axe.check(page)
    page.get_by_label("The step, in your own words").fill(STEP)
    page.get_by_label("What success looks like").fill("Every pair has an answer ready.")
    page.get_by_label("Why this step now?").fill("The same hands go up every lesson.")
    page.get_by_role("button", name="Send to my coach").click()
    page.get_by_text("Your proposal is with your coach.").wait_for()
    assert page.get_by_role("button", name="Withdraw this proposal").is_visible()
    axe.check(page)
    page.get_by_role("button", name="Sign out").click()

    # The coach accepts it: the step it replaces had become habit.
    sign_in(page, axe, coach.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    page.goto(f"/coach/teachers/{world.own.relationship.pk}/proposed-steps/")
    axe.check(page)
    assert page.get_by_text(STEP).first.is_visible()
    page.get_by_role("button", name="Accept and set this step").click()
    page.get_by_text("Say how the current step ended.").first.wait_for()
    axe.check(page)
    page.get_by_label("Embedded: it has become habit").check()
    page.get_by_role("button", name="Accept and set this step").click()
    page.wait_for_url(re.compile(r"/coach/teachers/\d+/$"))
    page.get_by_text("step is set").wait_for()
    axe.check(page)
    # The coach reads the teacher's path too, and adds where they see them.
    page.goto(f"/coach/teachers/{world.own.relationship.pk}/progression/")
    page.get_by_role("img", name=re.compile("Stage in Behaviour and routines")).wait_for()
    axe.check(page)
    page.get_by_role("link", name="Record a stage", exact=True).click()
    axe.check(page)
    page.get_by_label("Competent", exact=True).check()
    page.get_by_role("button", name="Save this stage").click()
    page.get_by_text(f"Stage saved for {teacher.full_name}.").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Sign out").click()

    # The teacher sees it as their current step, and the share of steps they proposed.
    sign_in(page, axe, teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    axe.check(page)
    assert page.get_by_role("heading", name=re.compile(STEP)).is_visible()
    page.goto("/me/progression/")
    share = page.get_by_role(
        "table", name="The share of your steps that you proposed, term by term."
    )
    share.wait_for()
    assert share.get_by_text("50%").is_visible()
    axe.check(page)

    with scopes_disabled():
        step = ActionStep.objects.get(relationship=world.own.relationship, closed_on__isnull=True)
        assert (step.title, step.proposed_by) == (STEP, teacher)
        stages = list(
            StageAssessment.objects.filter(teacher=teacher).values_list("stage", flat=True)
        )
    assert stages == [3, 2, 4, 3]
    axe.assert_clean()
