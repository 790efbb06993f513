"""Coaches as learners and sharing, on a phone: a coach reviews a conversation and adds to
their learning log; a teacher shares a reflection with a colleague, who reads it; the teacher
sees the read, stops the share, and the colleague can no longer open it."""

import re

import pytest
from django.utils import timezone

from coachloop.coaching.models import CoachLearningEntry, Reflection, SessionReview, ShareGrant
from coachloop.coaching.principles import PRINCIPLES
from coachloop.common.tenancy import scopes_disabled
from tests.browser.test_coaching_journey import sign_in
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "The door routine is working; the last three in from PE still drift."


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/|/$"))


def test_a_coach_reviews_a_conversation_and_keeps_a_learning_log_on_a_phone(phone, axe):
    world = build_world()
    page = phone.new_page()
    sign_in(page, axe, world.own.coach.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    page.goto("/coach/reviews/")
    axe.check(page)
    page.get_by_role("link", name="Review a conversation").click()
    page.wait_for_url(re.compile(r"/coach/reviews/new/$"))
    axe.check(page)
    page.get_by_label("Which conversation").select_option(
        label="Teacher a1 (Instructional coaching)"
    )
    page.get_by_role("button", name="Save review").click()  # nothing rated yet
    page.get_by_text("There is a problem").first.wait_for()
    axe.check(page)
    for index, principle in enumerate(PRINCIPLES):
        answer = "Strongly" if index == 0 else "Partly"
        page.get_by_role("group", name=str(principle.name)).get_by_label(answer).check()
    page.get_by_label("What went well").fill("I waited for the teacher to name the step.")
    page.get_by_label("What I will try next time").fill("Rehearse twice before we finish.")
    page.get_by_label("Share with my QA lead").check()
    page.get_by_role("button", name="Save review").click()
    page.wait_for_url(re.compile(r"/coach/reviews/\d+/$"))
    page.get_by_text("Review saved and shared with your QA lead.").wait_for()
    axe.check(page)

    page.get_by_role("link", name="Your session reviews").click()
    page.get_by_role("table", name="Times each principle showed, by term").wait_for()
    axe.check(page)
    page.get_by_role("link", name="Learning log").click()
    axe.check(page)
    page.get_by_role("link", name="Add to your log").click()
    axe.check(page)
    page.get_by_label("Title").fill("Coach training: rehearsal that sticks")
    page.get_by_label("What I learnt").fill("Short, specific and repeated practice works best.")
    page.get_by_role("button", name="Add to log").click()
    page.wait_for_url(re.compile(r"/coach/learning-log/$"))
    page.get_by_text("Short, specific and repeated practice works best.").wait_for()
    axe.check(page)

    with scopes_disabled():
        review = SessionReview.objects.get()
        assert review.relationship == world.own.relationship
        assert review.shared_with_qa and review.ratings[PRINCIPLES[0].code] == "strongly"
        assert CoachLearningEntry.objects.get().coach == world.own.coach


def test_a_teacher_shares_a_reflection_sees_it_read_and_stops_the_share_on_a_phone(phone, axe):
    world = build_world()
    colleague = world.people["other_coach"]
    with scopes_disabled():
        reflection = Reflection.objects.create(
            trust=world.trust,
            teacher=world.own.teacher,
            written_on=timezone.localdate(),
            title="Calmer starts",
            body=BODY,
        )
    page = phone.new_page()

    sign_in(page, axe, world.own.teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"/me/share/reflection/{reflection.pk}/")
    axe.check(page)
    page.get_by_label("Who to share it with").select_option(label=colleague.full_name)
    page.get_by_label("A note for them (optional)").fill("Before Friday's meeting, please.")
    page.get_by_role("button", name="Share", exact=True).click()
    page.wait_for_url(re.compile(r"/me/shared/$"))
    page.get_by_text(f"Shared with {colleague.full_name} until").first.wait_for()
    axe.check(page)
    sign_out(page)

    sign_in(page, axe, colleague.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    page.goto("/shared-with-me/")
    axe.check(page)
    page.get_by_role("link", name="Calmer starts").click()
    page.get_by_text(BODY).wait_for()
    axe.check(page)
    shared_url = page.url
    sign_out(page)

    sign_in(page, axe, world.own.teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto("/me/who-has-read-my-records/")
    page.get_by_text(colleague.full_name).first.wait_for()
    assert page.get_by_text("you shared “Calmer starts” with them").first.is_visible()
    axe.check(page)
    page.goto("/me/shared/")
    page.get_by_role("button", name=re.compile("Stop sharing")).click()
    page.get_by_text(f"{colleague.full_name} can no longer read “Calmer starts”.").wait_for()
    axe.check(page)
    sign_out(page)

    sign_in(page, axe, colleague.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    response = page.goto(shared_url)
    assert response.status == 404
    axe.check(page)
    page.goto("/shared-with-me/")
    page.get_by_text("Nothing is shared with you at the moment.").wait_for()
    with scopes_disabled():
        assert ShareGrant.objects.get().revoked_at is not None
