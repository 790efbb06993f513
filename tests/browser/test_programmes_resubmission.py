"""A resubmission, on a phone and on a desktop: the programme lead opens one for a teacher
whose released work failed, with a new due date and a reason; the teacher then sees the new
attempt, capped at the pass mark, with the first attempt and its mark kept beside it."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.programmes.services.moderation import marks_release
from tests.browser.test_coaching_journey import sign_in
from tests.factories import MembershipFactory
from tests.programmes.fixtures import build_programme
from tests.programmes.test_moderation import draw, marked
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_lead_opens_a_resubmission_and_the_teacher_sees_attempt_two(request, device, axe):
    world = build_world()
    pw = build_programme(world, moderation_percent=0, moderate_all_fails=False)
    teacher = pw.enrolments[0].teacher
    with scopes_disabled():
        MembershipFactory(user=pw.lead, school=None, trust=pw.trust, role=Role.PARTNER_STAFF)
    with trust_scope(pw.trust):
        marked(pw, pw.enrolments[0], 40)
        draw(pw)
        marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment)

    browser = request.getfixturevalue(device)
    page = browser.new_page()
    sign_in(page, axe, pw.lead.email)
    page.goto(reverse("programmes:assignment", args=[pw.assignment.pk]))
    page.get_by_role("link", name=re.compile("Open a resubmission")).click()
    page.get_by_role("heading", name=re.compile("Open a resubmission for")).wait_for()
    page.get_by_text("The new attempt’s mark will be capped at 50%, the pass mark.").wait_for()
    axe.check(page)
    new_due = timezone.localdate() + dt.timedelta(days=21)
    page.get_by_label("New due date").fill(new_due.isoformat())
    page.get_by_label("Reason").fill("The reflection was missing; agreed at the exam board.")
    page.get_by_role("button", name="Open the resubmission").click()
    page.get_by_text(re.compile("Resubmission opened.")).wait_for()
    page.get_by_text("Attempt 1, replaced by a resubmission").wait_for()
    axe.check(page)

    page = browser.new_page()  # the teacher's turn (the lead's session is another context)
    page.context.clear_cookies()
    sign_in(page, axe, teacher.email)
    page.goto(reverse("programmes:submission", args=[pw.assignment.pk]))
    page.get_by_text("Attempt 2, capped at 50").wait_for()
    page.get_by_role("table", name=re.compile("Earlier attempts")).wait_for()
    page.get_by_role("button", name="Save a draft").wait_for()
    axe.check(page)
