"""Group coaching on a phone: a coaching lead sets up an action learning set of four, one
member records a session with the presenter's action, another member reads it and records
what happened at the next session, and someone outside the group is shown "not found"."""

import re

import pytest

from coachloop.coaching.models import CoachingGroup, GroupSession
from coachloop.common.tenancy import scopes_disabled
from tests.browser.test_coaching_journey import sign_in
from tests.coaching.groups_fixtures import staff
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_action_learning_set_meets_and_hears_about_an_action_on_a_phone(phone, axe):
    world = build_world()
    teacher, coach = world.own.teacher, world.own.coach
    colleague = staff(world.own.school, 1, prefix="Priya")[0]
    fourth = staff(world.own.school, 1, prefix="Sam")[0]
    page = phone.new_page()

    # The coaching lead sets the group up.
    sign_in(page, axe, world.people["coaching_lead"].email)
    page.goto("/lead/a1/groups/")
    axe.check(page)
    page.get_by_role("link", name="Set up a group").click()
    axe.check(page)
    page.get_by_label("Action learning set").check()
    page.get_by_label("Name", exact=True).fill("Early-career set")
    page.get_by_label("What the group is working on (optional)").fill("Calm starts after lunch")
    for person in (teacher, coach, colleague):
        page.get_by_label(person.full_name, exact=True).check()
    # A facilitator who is not one of the members is refused, with the reason.
    page.get_by_label("Facilitator (optional)").select_option(label=fourth.full_name)
    page.get_by_role("button", name="Set up the group").click()
    page.get_by_role("link", name="The facilitator must be one of the members.").wait_for()
    axe.check(page)
    page.get_by_label(fourth.full_name, exact=True).check()
    page.get_by_label("Facilitator (optional)").select_option(label=coach.full_name)
    page.get_by_label("Days between sessions (optional)").fill("14")
    page.get_by_role("button", name="Set up the group").click()
    page.get_by_text("Early-career set is set up.").wait_for()
    axe.check(page)
    with scopes_disabled():
        group = CoachingGroup.objects.get()
        assert group.members.filter(left_on__isnull=True).count() == 4
    page.get_by_role("button", name="Sign out").click()

    # A member records a session in which a colleague brought a problem.
    sign_in(page, axe, teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto("/groups/")
    axe.check(page)
    page.get_by_role("link", name="Early-career set").click()
    axe.check(page)
    page.get_by_role("link", name="Record a session").click()
    axe.check(page)
    page.get_by_label("Who brought a problem").select_option(label=colleague.full_name)
    page.get_by_label("The problem brought").fill("Year 8 drift off task in the last ten minutes.")
    page.get_by_label("Questions that helped (optional)").fill("What are they doing at minute 40?")
    page.get_by_label("The action the presenter will take (optional)").fill(
        "End every lesson with a three-question exit ticket."
    )
    page.get_by_role("button", name="Save the session").click()
    page.get_by_text("Session recorded.").wait_for()
    axe.check(page)
    assert page.get_by_role("heading", name="Actions to hear about").is_visible()
    page.get_by_role("button", name="Sign out").click()

    # Another member reads it and, next time, records what happened.
    sign_in(page, axe, coach.email)
    page.goto(f"/groups/{group.pk}/")
    axe.check(page)
    assert page.get_by_text("Year 8 drift off task in the last ten minutes.").is_visible()
    page.get_by_role("link", name=re.compile("Record what happened")).first.click()
    axe.check(page)
    page.get_by_label("What happened").fill("The exit tickets kept them working to the bell.")
    page.get_by_role("button", name="Save what happened").click()
    page.get_by_text("The exit tickets kept them working to the bell.").wait_for()
    axe.check(page)
    assert page.get_by_role("heading", name="Actions to hear about").count() == 0
    with scopes_disabled():
        session = GroupSession.objects.get()
        assert session.presenter == colleague
        assert session.reported_on is not None
    page.get_by_role("button", name="Sign out").click()

    # Someone outside the group (another coach at the school) is shown "not found".
    sign_in(page, axe, world.people["other_coach"].email)
    page.wait_for_url(re.compile(r"/coach/$"))
    response = page.goto(f"/groups/{group.pk}/")
    assert response.status == 404
    axe.check(page)
    assert page.get_by_text("Year 8 drift off task").count() == 0
