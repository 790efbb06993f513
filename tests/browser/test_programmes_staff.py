"""The programme lead's journey, on a phone and on a desktop: they sign in, open the
programme, enrol a teacher, open the assignment, draw the moderation sample (work still being
marked is left out), release the marks that are ready on the release's confirmation page, and
look at who might need support and at the funding. Every page is axe-clean."""

import re

import pytest

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.programmes.models import Enrolment, Submission
from tests.browser.test_coaching_journey import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import mark, submit
from tests.programmes.test_moderation import marked
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _programme_with_marked_work():
    world = build_world()
    pw = build_programme(world, teachers=3)
    with scopes_disabled():
        MembershipFactory(user=pw.lead, school=None, trust=pw.trust, role=Role.PARTNER_STAFF)
        new_teacher = UserFactory(full_name="Nadia Patel")
        MembershipFactory(user=new_teacher, school=world.own.school, role=Role.TEACHER)
    with trust_scope(pw.trust):
        for enrolment, agreed in zip(pw.enrolments[:2], (62, 45), strict=True):
            marked(pw, enrolment, agreed)
        half = submit(pw, pw.enrolments[2])  # still being marked: left out of the draw
        mark(pw, half, pw.tutor, 71, 71)
    return pw, new_teacher


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_programme_lead_enrols_a_teacher_moderates_and_releases_marks(request, device, axe):
    pw, new_teacher = _programme_with_marked_work()
    page = request.getfixturevalue(device).new_page()
    sign_in(page, axe, pw.lead.email)
    page.wait_for_url(re.compile(r"/programmes/$"))
    axe.check(page)

    page.get_by_role("link", name="MA in Teaching and Learning").click()
    page.get_by_role("heading", name="MA in Teaching and Learning").wait_for()
    axe.check(page)

    page.get_by_role("link", name="Enrol a teacher").click()
    page.get_by_role("heading", name="Enrol a teacher").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Enrol teacher").click()  # nothing chosen yet
    page.get_by_text("There is a problem").first.wait_for()
    axe.check(page)
    page.get_by_label("Cohort").select_option(label="2025 cohort")
    page.get_by_label("Teacher", exact=True).select_option(label="Nadia Patel")
    page.get_by_label("Their school", exact=True).select_option(label="School A1")
    page.get_by_label("Their school coach").select_option(label=pw.coach.full_name)
    page.get_by_label("Their tutor").select_option(label="Dr Tom Reyes")
    page.get_by_role("button", name="Enrol teacher").click()
    page.get_by_text("Nadia Patel is enrolled on 2025 cohort.").wait_for()
    axe.check(page)
    with scopes_disabled():
        assert Enrolment.objects.filter(teacher=new_teacher).exists()

    page.get_by_role("link", name="A case study of one action step").click()
    page.get_by_role("heading", name="A case study of one action step").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Draw the moderation sample").click()
    page.get_by_text("The moderation sample is drawn").wait_for()
    page.get_by_text("1 submission still being marked is left out").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Release the marks that are ready").click()
    page.get_by_role("heading", name="Release the marks").wait_for()
    page.get_by_text("1 teacher's mark is ready for release.").wait_for()
    page.get_by_text("A release cannot be undone.").wait_for()
    axe.check(page)
    with scopes_disabled():
        assert not Submission.objects.filter(status=Submission.Status.RELEASED).exists()
    page.get_by_role("button", name="Release 1 teacher's mark").click()
    page.get_by_text("Marks released: 1 teacher can now see their mark and feedback.").wait_for()
    axe.check(page)
    with scopes_disabled():
        statuses = set(Submission.objects.values_list("status", flat=True))
    assert statuses == {
        Submission.Status.IN_REVIEW,
        Submission.Status.RELEASED,
        Submission.Status.IN_MARKING,
    }

    page.get_by_role("link", name="MA in Teaching and Learning").click()
    page.get_by_role("link", name="Who might need support").click()
    page.get_by_role("heading", name="Who might need support").wait_for()
    axe.check(page)
    page.get_by_role("link", name="MA in Teaching and Learning").click()
    page.get_by_role("link", name="Funding").click()
    page.get_by_role("heading", name="Funding").wait_for()
    page.locator("tfoot").get_by_text("£12,000.00").wait_for()  # four enrolments at £3,000
    axe.check(page)
