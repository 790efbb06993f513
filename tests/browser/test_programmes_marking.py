"""Double marking and moderation in the browser, on a phone and on a desktop: the tutor opens
their marking queue, claims a submission and marks it (a mark out of range is refused first);
the coach marks it second without seeing the tutor's mark, their marks are too far apart (or
close but in different bands), so the coach proposes an agreed mark with the agreed feedback
and the tutor confirms it; and the moderator changes a sampled mark with a note."""

import random
import re

import pytest

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.programmes.models import Submission
from coachloop.programmes.services.moderation import moderation_sample_draw
from tests.browser.test_coaching_journey import sign_in
from tests.factories import MembershipFactory
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import mark, submit
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEVICES = ["phone", "desktop"]
TUTORS_COMMENT = "A strong case with the evidence well chosen, tutor-7d2"
AGREED_FEEDBACK = "Well-chosen evidence; take the reflection further, agreed-4c1"


def sign_in_as(page, axe, person):
    sign_in(page, axe, person.email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/|/$"))


def university(pw, *people):
    with scopes_disabled():
        for person in people:
            MembershipFactory(user=person, school=None, trust=pw.trust, role=Role.PARTNER_STAFF)


def propose(page, agreed_mark):
    page.get_by_label("Agreed mark").fill(str(agreed_mark))
    page.get_by_label("How you reached it").fill("We met and agreed the reflection is thin.")
    page.get_by_label("Agreed feedback").fill(AGREED_FEEDBACK)
    page.get_by_role("button", name="Propose this mark").click()


def fill_mark(page, evidence, reflection, comment):
    page.get_by_label("Use of evidence").fill(str(evidence))
    page.get_by_label("Critical reflection").fill(str(reflection))
    page.get_by_label("Overall comment").fill(comment)
    page.get_by_role("button", name="Submit your mark").click()


@pytest.mark.parametrize("device", DEVICES)
def test_two_markers_mark_blind_then_one_proposes_the_agreed_mark_and_the_other_confirms(
    request, device, axe
):
    context = request.getfixturevalue(device)
    world = build_world()
    pw = build_programme(world)
    university(pw, pw.tutor)
    with trust_scope(world.trust):
        submission = submit(pw)
    page = context.new_page()

    # The tutor claims the work from their queue and marks it first.
    sign_in_as(page, axe, pw.tutor)
    page.goto("/programmes/marking/")
    page.get_by_role("heading", name="Your marking").wait_for()
    axe.check(page)
    page.get_by_role("button", name=re.compile(r"^Claim and mark")).click()
    page.wait_for_url(re.compile(rf"/submissions/{submission.pk}/mark/$"))
    page.get_by_text("It is yours to mark until").first.wait_for()
    axe.check(page)
    fill_mark(page, 150, 80, TUTORS_COMMENT)
    page.get_by_text("There is a problem").first.wait_for()
    page.get_by_text("Each mark must be a whole number from 0 to 100.").first.wait_for()
    axe.check(page)
    fill_mark(page, 80, 80, TUTORS_COMMENT)
    page.wait_for_url(re.compile(r"/programmes/marking/$"))
    page.get_by_text("The other marker's mark is still to come.").wait_for()
    axe.check(page)
    sign_out(page)

    # The coach marks second, blind: the tutor's mark and comment are not on the page.
    sign_in_as(page, axe, pw.coach)
    page.goto("/programmes/marking/")
    axe.check(page)
    page.get_by_role("link", name=re.compile(world.own.teacher.full_name)).click()
    page.wait_for_url(re.compile(rf"/submissions/{submission.pk}/mark/$"))
    axe.check(page)
    assert TUTORS_COMMENT not in page.content()
    fill_mark(page, 50, 50, "Thin on reflection; the evidence is a start.")

    # Thirty marks apart: the coach proposes a mark between them, with the agreed feedback.
    page.wait_for_url(re.compile(rf"/submissions/{submission.pk}/reconcile/$"))
    page.get_by_role("table", name="The two marks").wait_for()
    assert TUTORS_COMMENT in page.content()
    axe.check(page)
    propose(page, 95)  # outside the two marks: for the programme lead, not a marker
    page.get_by_text(
        "The agreed mark must lie between the two marks, from 50 to 80."
    ).first.wait_for()
    axe.check(page)
    propose(page, 65)
    page.get_by_text("Your proposal is waiting for the other marker").wait_for()
    axe.check(page)
    with scopes_disabled():
        assert Submission.objects.get(pk=submission.pk).agreed_mark is None
    sign_out(page)

    # The tutor finds it waiting for them and confirms it.
    sign_in_as(page, axe, pw.tutor)
    page.goto("/programmes/marking/")
    page.get_by_text(f"{pw.coach.full_name} proposed 65: confirm or decline it.").wait_for()
    axe.check(page)
    page.get_by_role("link", name=re.compile(world.own.teacher.full_name)).click()
    page.wait_for_url(re.compile(rf"/submissions/{submission.pk}/reconcile/$"))
    page.get_by_text(AGREED_FEEDBACK).wait_for()
    axe.check(page)
    page.get_by_role("button", name="Confirm the agreed mark of 65").click()
    page.wait_for_url(re.compile(r"/programmes/marking/$"))
    page.get_by_text("You confirmed it: the agreed mark is 65.").wait_for()
    axe.check(page)

    with scopes_disabled():
        submission = Submission.objects.get(pk=submission.pk)
    assert (submission.status, submission.agreed_mark) == ("marking_done", 65)
    assert (submission.agreed_by, submission.agreed_feedback) == ("reconciled", AGREED_FEEDBACK)
    assert (submission.reconciled_by, submission.confirmed_by) == (pw.coach, pw.tutor)


@pytest.mark.parametrize("device", DEVICES)
def test_close_marks_in_different_bands_are_reconciled_and_the_page_says_why(request, device, axe):
    context = request.getfixturevalue(device)
    world = build_world()
    pw = build_programme(world)
    university(pw, pw.tutor)
    with trust_scope(world.trust):
        submission = submit(pw)
        mark(pw, submission, pw.tutor, 68, 68)
    page = context.new_page()

    # Four marks apart, within tolerance, but Merit and Distinction: they agree a mark.
    sign_in_as(page, axe, pw.coach)
    page.goto(f"/programmes/submissions/{submission.pk}/mark/")
    fill_mark(page, 72, 72, "Critical throughout; the evidence is well chosen.")
    page.wait_for_url(re.compile(rf"/submissions/{submission.pk}/reconcile/$"))
    page.get_by_text(
        "Your two marks are in different bands: Merit from the first marker, Distinction "
        "from the second."
    ).wait_for()
    axe.check(page)
    propose(page, 69)
    page.get_by_text("Your proposal is waiting for the other marker").wait_for()
    with scopes_disabled():
        assert Submission.objects.get(pk=submission.pk).proposals.get().mark == 69


@pytest.mark.parametrize("device", DEVICES)
def test_the_moderator_changes_a_sampled_mark_with_a_note(request, device, axe):
    context = request.getfixturevalue(device)
    world = build_world()
    pw = build_programme(world, moderation_percent=100)
    university(pw, pw.tutor, pw.lead, pw.moderator)
    with trust_scope(world.trust):
        submission = submit(pw)
        mark(pw, submission, pw.tutor, 62, 62)
        mark(pw, submission, pw.coach, 60, 60)
        moderation_sample_draw(
            viewer=pw.as_(pw.lead), assignment=pw.assignment, rng=random.Random(1)
        )
    page = context.new_page()

    sign_in_as(page, axe, pw.moderator)
    page.goto(f"/programmes/{pw.programme.pk}/moderation/")
    page.get_by_role("table", name="Sampled work waiting for moderation").wait_for()
    axe.check(page)
    page.get_by_role("link", name=re.compile(world.own.teacher.full_name)).click()
    page.wait_for_url(re.compile(rf"/submissions/{submission.pk}/moderate/$"))
    axe.check(page)
    page.get_by_label("Change the mark").check()
    page.get_by_role("button", name="Record moderation").click()
    page.get_by_text("There is a problem").first.wait_for()
    axe.check(page)
    page.get_by_label("Moderated mark").fill("55")
    page.get_by_label("Note for the markers").fill("The reflection sits in the pass band.")
    page.get_by_role("button", name="Record moderation").click()
    page.wait_for_url(re.compile(rf"/programmes/{pw.programme.pk}/moderation/$"))
    page.get_by_text("Moderation recorded").wait_for()
    page.get_by_role("table", name="Sampled work you have moderated").wait_for()
    axe.check(page)

    with scopes_disabled():
        submission = Submission.objects.get(pk=submission.pk)
    assert (submission.status, submission.final_mark) == ("ready", 55)
