"""Kinds of coaching on a phone: a coaching lead starts mentoring, specialist coaching and a
co-coaching pair, ends one and hands one over; the teacher agrees to share their earlier
notes; the new coach reads them. Every page is checked with axe-core."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from coachloop.coaching.models import Relationship
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.browser.test_coaching_journey import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.world import SECRET_NOTE, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _teacher(school, name):
    user = UserFactory(full_name=name)
    MembershipFactory(user=user, school=school, role=Role.TEACHER)
    return user


def _done(page, text):
    page.get_by_text(text).first.wait_for()


def test_a_lead_runs_every_kind_of_coaching_and_a_handover_reaches_the_new_coach(phone, axe):
    world = build_world()
    with scopes_disabled():
        school = world.own.school
        mentee = _teacher(school, "Early Career Teacher")
        learner = _teacher(school, "Specialist Learner")
        _teacher(school, "Peer One")
        _teacher(school, "Peer Two")
    other_coach = world.people["other_coach"]
    today = timezone.localdate()

    page = phone.new_page()
    sign_in(page, axe, world.people["coaching_lead"].email)
    page.wait_for_url(re.compile(r"/lead/a1/$"))
    axe.check(page)

    # Mentoring, with a mistake first: the induction ends before it starts.
    page.get_by_role("link", name="Start coaching: instructional, mentoring").click()
    axe.check(page)
    page.get_by_role("link", name="Mentoring").click()
    page.get_by_label("Teacher being mentored").select_option(label="Early Career Teacher")
    page.get_by_label("Mentor", exact=True).select_option(str(other_coach.pk))
    page.get_by_label("Induction period starts on").fill(today.isoformat())
    page.get_by_label("Induction period ends on").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Start mentoring").click()
    _done(page, "The induction period must end after it starts.")
    axe.check(page)
    page.get_by_label("Induction period ends on").fill((today + dt.timedelta(days=700)).isoformat())
    page.get_by_label("Days between meetings").fill("21")
    page.get_by_role("button", name="Start mentoring").click()
    _done(page, "Another Coach now mentors Early Career Teacher.")
    axe.check(page)

    # Specialist coaching on a strand of the framework.
    page.get_by_role("link", name="Start coaching: instructional, mentoring").click()
    page.get_by_role("link", name="Specialist coaching").click()
    axe.check(page)
    page.get_by_label("Teacher", exact=True).select_option(label="Specialist Learner")
    page.get_by_label("Specialist coach").select_option(str(world.own.coach.pk))
    page.get_by_label("Strand of the framework").select_option(index=1)
    page.get_by_role("button", name="Start specialist coaching").click()
    _done(page, "Coach a1 now gives Specialist Learner specialist coaching.")

    # A co-coaching pair.
    page.get_by_role("link", name="Start coaching: instructional, mentoring").click()
    page.get_by_role("link", name="Co-coaching").click()
    axe.check(page)
    page.get_by_label("First teacher").select_option(label="Peer One")
    page.get_by_label("Second teacher").select_option(label="Peer Two")
    page.get_by_role("button", name="Start co-coaching").click()
    _done(page, "Peer One and Peer Two now coach each other.")
    axe.check(page)
    html = page.content()
    assert "Induction from" in html and "Focus: Behaviour and routines" in html
    assert html.count("Co-coaching</strong>") == 2

    # End the co-coaching (both ways).
    page.get_by_role("link", name="End the coaching of Peer One").click()
    axe.check(page)
    page.get_by_role("button", name="End the coaching").click()
    _done(page, "The co-coaching of Peer One and Peer Two has ended.")

    # Hand Teacher a1's coaching over to Another Coach.
    page.get_by_role("link", name="Hand over Teacher a1 to a new coach").click()
    axe.check(page)
    page.get_by_label("New coach").select_option(str(other_coach.pk))
    page.get_by_role("button", name="Hand over").click()
    _done(page, "Another Coach now coaches Teacher a1")
    with scopes_disabled():
        kinds = set(
            Relationship.objects.filter(finished_on__isnull=True).values_list("teacher", "kind")
        )
        assert (mentee.pk, "mentoring") in kinds and (learner.pk, "specialist") in kinds
        assert not Relationship.objects.filter(
            kind="co_coaching", finished_on__isnull=True
        ).exists()
        new = Relationship.objects.get(handed_over_from=world.own.relationship)

    # The teacher agrees that the new coach may read the earlier notes.
    teacher_page = phone.new_page()
    sign_in(teacher_page, axe, world.own.teacher.email)
    teacher_page.wait_for_url(re.compile(r"/me/$"))
    teacher_page.get_by_text(
        "Your new coach is Another Coach. Let them read your earlier coaching notes?"
    ).wait_for()
    axe.check(teacher_page)
    teacher_page.get_by_role("button", name="Yes, let them read my earlier notes").click()
    _done(teacher_page, "Another Coach can now read your earlier coaching notes.")
    axe.check(teacher_page)

    # The new coach reads them.
    coach_page = phone.new_page()
    sign_in(coach_page, axe, other_coach.email)
    coach_page.wait_for_url(re.compile(r"/coach/$"))
    axe.check(coach_page)
    coach_page.goto(f"/coach/teachers/{new.pk}/")
    axe.check(coach_page)
    coach_page.get_by_role("link", name="Read the earlier coaching notes").click()
    coach_page.get_by_role("heading", name="Earlier coaching").wait_for()
    assert SECRET_NOTE in coach_page.content()
    axe.check(coach_page)
