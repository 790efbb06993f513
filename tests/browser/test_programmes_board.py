"""The exam board's page for a submission, on a phone and on a desktop: the programme lead
follows the link from the assignment page, reads the marks and their whole history, corrects
the released mark with a reason and reads the correction in the history. Every page is
axe-clean."""

import random
import re

import pytest

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.programmes.models import Submission
from coachloop.programmes.services.moderation import (
    marks_release,
    moderation_record,
    moderation_sample_draw,
)
from tests.browser.test_coaching_journey import sign_in
from tests.factories import MembershipFactory
from tests.programmes.fixtures import build_programme
from tests.programmes.test_moderation import marked
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "The reflection meets the pass descriptors."
WHY = "The second criterion was added up wrongly."


def _released():
    """One teacher's work marked 45 by both markers, moderated to 50 and released."""
    world = build_world()
    pw = build_programme(world, moderation_percent=20)
    with scopes_disabled():
        for person in (pw.lead, pw.moderator):
            MembershipFactory(user=person, school=None, trust=pw.trust, role=Role.PARTNER_STAFF)
    with trust_scope(pw.trust):
        submission = marked(pw, pw.enrolments[0], 45)
        moderation_sample_draw(
            viewer=pw.as_(pw.lead), assignment=pw.assignment, rng=random.Random(1)
        )
        moderation_record(
            viewer=pw.as_(pw.moderator), submission=submission, agree=False, mark=50, note=NOTE
        )
        marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment)
    pw.submission = submission
    return pw


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_lead_reads_the_history_and_corrects_a_released_mark(request, device, axe):
    pw = _released()
    teacher = pw.enrolments[0].teacher.full_name
    page = request.getfixturevalue(device).new_page()
    sign_in(page, axe, pw.lead.email)
    page.wait_for_url(re.compile(r"/programmes/$"))
    page.goto(f"/programmes/assignments/{pw.assignment.pk}/")
    page.get_by_role("link", name=f"Marks and history of {teacher}").click()
    page.get_by_role("heading", name=f"{teacher}: marks and history").wait_for()
    history = page.locator("#history")
    history.get_by_text("Drawn for moderation").wait_for()
    history.get_by_text(NOTE).wait_for()
    axe.check(page)

    page.get_by_role("link", name="Correct the mark").click()
    page.get_by_role("heading", name="Correct the mark").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Correct the mark").click()
    page.get_by_text("Enter the corrected mark.").first.wait_for()
    axe.check(page)
    page.get_by_label("Corrected mark").fill("56")
    page.get_by_label("Why the mark changes").fill(WHY)
    page.get_by_role("button", name="Correct the mark").click()
    page.get_by_text("The mark is corrected.").wait_for()
    page.locator("#history").get_by_text(WHY).wait_for()
    axe.check(page)
    with scopes_disabled():
        assert Submission.objects.get(pk=pw.submission.pk).final_mark == 56
