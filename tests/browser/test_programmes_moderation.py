"""Moderation that reaches people, on a phone and on a desktop: the programme lead reads the
moderator's outcome, note and name on the assignment page and adds a submission to the sample
by hand; the moderator changes their decision before release; the tutor reads the outcome on
their mark page. Every page is axe-clean."""

import random
import re

import pytest

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.programmes.models import Submission
from coachloop.programmes.services.moderation import moderation_record, moderation_sample_draw
from tests.browser.test_coaching_journey import sign_in
from tests.factories import MembershipFactory
from tests.programmes.fixtures import build_programme
from tests.programmes.test_moderation import marked
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "The reflection meets the pass descriptors."


def _moderated_assignment():
    """Three marked submissions, the fail sampled and changed from 45 to 50 by the moderator."""
    world = build_world()
    pw = build_programme(world, teachers=3, moderation_percent=20)
    with scopes_disabled():
        for person in (pw.lead, pw.tutor, pw.moderator):
            MembershipFactory(user=person, school=None, trust=pw.trust, role=Role.PARTNER_STAFF)
    with trust_scope(pw.trust):
        done = [marked(pw, e, a) for e, a in zip(pw.enrolments, (62, 45, 71), strict=True)]
        sample = moderation_sample_draw(
            viewer=pw.as_(pw.lead), assignment=pw.assignment, rng=random.Random(1)
        )
        assert [s.agreed_mark for s in sample] == [45]
        moderation_record(
            viewer=pw.as_(pw.moderator), submission=sample[0], agree=False, mark=50, note=NOTE
        )
    pw.changed = sample[0]
    pw.others = [s for s in done if s.pk != sample[0].pk]
    return pw


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_lead_reads_the_moderation_and_adds_work_to_the_sample(request, device, axe):
    pw = _moderated_assignment()
    page = request.getfixturevalue(device).new_page()
    sign_in(page, axe, pw.lead.email)
    page.wait_for_url(re.compile(r"/programmes/$"))
    page.goto(f"/programmes/assignments/{pw.assignment.pk}/")
    page.get_by_role("heading", name="A case study of one action step").wait_for()
    table = page.locator("#submissions")
    table.get_by_text(f"Changed from 45 to 50 by {pw.moderator.full_name}").wait_for()
    table.get_by_text(NOTE).wait_for()
    axe.check(page)

    teacher = pw.others[0].enrolment.teacher.full_name
    row = table.locator("tr").filter(has=page.get_by_text(teacher, exact=True))
    row.get_by_role("button", name="Add to the sample").click()
    page.get_by_text(f"{teacher}'s work is in the moderation sample").wait_for()
    axe.check(page)
    with scopes_disabled():
        added = Submission.objects.get(pk=pw.others[0].pk)
    assert added.in_sample and added.status == Submission.Status.IN_REVIEW


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_moderator_changes_their_decision_and_the_tutor_reads_it(request, device, axe):
    pw = _moderated_assignment()
    context = request.getfixturevalue(device)
    page = context.new_page()
    sign_in(page, axe, pw.moderator.email)
    page.goto(f"/programmes/submissions/{pw.changed.pk}/moderate/")
    page.get_by_role("heading", name="Change your decision").wait_for()
    axe.check(page)
    page.get_by_label("Change the mark").check()
    page.get_by_label("Moderated mark").fill("52")
    page.get_by_label("Note for the markers").fill("On a second reading, a secure pass.")
    page.get_by_role("button", name="Change your decision").click()
    page.get_by_text("Your decision is changed").wait_for()
    axe.check(page)
    context.clear_cookies()

    tutor = context.new_page()
    sign_in(tutor, axe, pw.tutor.email)
    tutor.goto(f"/programmes/submissions/{pw.changed.pk}/mark/")
    outcome = tutor.locator("#outcome")
    outcome.get_by_text("Changed from 45 to 52").wait_for()
    outcome.get_by_text("On a second reading, a secure pass.").wait_for()
    outcome.get_by_text(pw.moderator.full_name).wait_for()
    axe.check(tutor)
