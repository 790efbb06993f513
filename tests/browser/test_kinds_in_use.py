"""Every kind of coaching in use on a phone: a coaching lead starts it, the people in it
record drop-ins, set steps or record sessions, and the lead ends it. Mentoring, specialist and
instructional coaching; a co-coaching pair setting steps for each other; a dyad; and an action
learning set that ends. Every page is checked with axe-core."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from coachloop.coaching.models import (
    ActionStep,
    CoachingGroup,
    DropIn,
    GroupSession,
    Relationship,
)
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.browser.test_coaching_journey import sign_in
from tests.coaching.groups_fixtures import SESSION_WORDS, group_in, staff
from tests.factories import MembershipFactory, UserFactory
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAD_HOME = re.compile(r"/lead/a1/$")


def _teacher(school, name):
    with scopes_disabled():
        user = UserFactory(full_name=name)
        MembershipFactory(user=user, school=school, role=Role.TEACHER)
    return user


def _done(page, text):
    page.get_by_text(text).first.wait_for()


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def _lead_signs_in(page, axe, world):
    sign_in(page, axe, world.people["coaching_lead"].email)
    page.wait_for_url(LEAD_HOME)
    axe.check(page)


def _start_kind(page, axe, kind):
    """From the lead's home to the start form of one kind of coaching."""
    page.get_by_role("link", name="Start coaching: instructional, mentoring").click()
    axe.check(page)
    page.get_by_role("link", name=kind, exact=True).click()
    axe.check(page)


def _record_dropin(page, axe, coach, teacher_name, *, strengths):
    """The coach signs in and, from their home, records a drop-in for the teacher."""
    sign_in(page, axe, coach.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    axe.check(page)
    page.get_by_role("link", name=re.compile(f"Record a drop-in for {teacher_name}")).click()
    page.wait_for_url(re.compile(r"/coach/teachers/\d+/drop-in/$"))
    axe.check(page)
    page.get_by_label("Class or group").fill("9Y")
    page.get_by_label("Minutes in the lesson").fill("15")
    page.get_by_label("What went well").fill(strengths)
    page.get_by_role("button", name="Save drop-in").click()
    page.wait_for_url(re.compile(r"/saved/$"))
    axe.check(page)


def _set_step(page, axe, title, *, success):
    """On the step form: a step in the setter's own words."""
    axe.check(page)
    page.get_by_label("Or write the action step in your own words").fill(title)
    page.get_by_label("What success looks like").fill(success)
    page.get_by_role("button", name="Set this step").click()
    _done(page, "Action step proposed.")
    axe.check(page)


def _lead_ends(page, axe, teacher_name, *, ended):
    """From the lead's home, end the coaching of the teacher."""
    page.goto("/lead/a1/")
    axe.check(page)
    page.get_by_role("link", name=f"End the coaching of {teacher_name}").click()
    axe.check(page)
    page.get_by_role("button", name="End the coaching").click()
    page.wait_for_url(LEAD_HOME)
    _done(page, ended)
    axe.check(page)


def test_a_mentor_records_a_drop_in_and_sets_a_step_until_the_lead_ends_the_mentoring(phone, axe):
    world = build_world()
    mentee = _teacher(world.own.school, "Early Career Teacher")
    mentor = world.people["other_coach"]
    today = timezone.localdate()
    page = phone.new_page()

    # The coaching lead starts the mentoring.
    _lead_signs_in(page, axe, world)
    _start_kind(page, axe, "Mentoring")
    page.get_by_label("Teacher being mentored").select_option(label=mentee.full_name)
    page.get_by_label("Mentor", exact=True).select_option(str(mentor.pk))
    page.get_by_label("Induction period starts on").fill(today.isoformat())
    page.get_by_label("Induction period ends on").fill((today + dt.timedelta(days=700)).isoformat())
    page.get_by_role("button", name="Start mentoring").click()
    _done(page, "Another Coach now mentors Early Career Teacher.")
    axe.check(page)
    _sign_out(page)

    # The mentor records a drop-in and sets a first step.
    _record_dropin(page, axe, mentor, mentee.full_name, strengths="Calm, clear routines.")
    page.get_by_role("link", name="Set an action step").click()
    _set_step(page, axe, "Use the same signal for silence", success="Silence in five seconds.")
    _sign_out(page)

    # The lead ends the mentoring.
    _lead_signs_in(page, axe, world)
    _lead_ends(page, axe, mentee.full_name, ended="The coaching has ended.")
    _sign_out(page)

    with scopes_disabled():
        mentoring = Relationship.objects.get(teacher=mentee)
        assert mentoring.kind == Relationship.Kind.MENTORING
        assert mentoring.coach == mentor
        assert mentoring.finished_on is not None
        assert DropIn.objects.get(strengths="Calm, clear routines.").relationship == mentoring
        step = ActionStep.objects.get(title="Use the same signal for silence")
        assert step.relationship == mentoring

    # The mentor no longer has the mentee among the teachers they coach, only as ended.
    sign_in(page, axe, mentor.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    axe.check(page)
    assert page.locator("#my-teachers").count() == 0
    assert page.get_by_text("You are not coaching anyone at the moment.").is_visible()
    ended = page.get_by_role("heading", name="Coaching that ended recently")
    assert ended.is_visible()
    assert page.get_by_role("link", name=mentee.full_name).is_visible()
    axe.assert_clean()


def test_a_specialist_coach_records_a_drop_in_until_the_lead_ends_the_specialist_coaching(
    phone, axe
):
    world = build_world()
    learner = _teacher(world.own.school, "Specialist Learner")
    coach = world.own.coach
    page = phone.new_page()

    # The coaching lead starts specialist coaching on a strand of the framework.
    _lead_signs_in(page, axe, world)
    _start_kind(page, axe, "Specialist coaching")
    page.get_by_label("Teacher", exact=True).select_option(label=learner.full_name)
    page.get_by_label("Specialist coach").select_option(str(coach.pk))
    page.get_by_label("Strand of the framework").select_option(
        label="Behaviour and routines (Framework a)"
    )
    page.get_by_role("button", name="Start specialist coaching").click()
    _done(page, "Coach a1 now gives Specialist Learner specialist coaching.")
    axe.check(page)
    _sign_out(page)

    # The specialist coach records a drop-in.
    _record_dropin(page, axe, coach, learner.full_name, strengths="The signal worked first time.")
    _sign_out(page)

    # The lead ends it; the coach's other teacher is still coached.
    _lead_signs_in(page, axe, world)
    _lead_ends(page, axe, learner.full_name, ended="The coaching has ended.")

    with scopes_disabled():
        specialist = Relationship.objects.get(teacher=learner)
        assert specialist.kind == Relationship.Kind.SPECIALIST
        assert specialist.strand.title == "Behaviour and routines"
        assert specialist.finished_on is not None
        dropin = DropIn.objects.get(strengths="The signal worked first time.")
        assert dropin.relationship == specialist
        world.own.relationship.refresh_from_db()
        assert world.own.relationship.finished_on is None
    axe.assert_clean()


def test_an_instructional_coach_records_a_drop_in_until_the_lead_ends_the_coaching(phone, axe):
    world = build_world()
    newcomer = _teacher(world.own.school, "Uncoached Teacher")
    coach = world.people["other_coach"]
    page = phone.new_page()

    # The coaching lead assigns a coach to a teacher nobody coaches yet.
    _lead_signs_in(page, axe, world)
    _start_kind(page, axe, "Instructional coaching")
    page.get_by_label("Teacher", exact=True).select_option(label=newcomer.full_name)
    page.get_by_label("Coach", exact=True).select_option(str(coach.pk))
    page.get_by_role("button", name="Assign coach").click()
    _done(page, "Another Coach now coaches Uncoached Teacher.")
    axe.check(page)
    _sign_out(page)

    # The coach records a drop-in.
    _record_dropin(page, axe, coach, newcomer.full_name, strengths="Warm greeting at the door.")
    _sign_out(page)

    # The lead ends the coaching.
    _lead_signs_in(page, axe, world)
    _lead_ends(page, axe, newcomer.full_name, ended="The coaching has ended.")

    with scopes_disabled():
        coaching = Relationship.objects.get(teacher=newcomer)
        assert coaching.kind == Relationship.Kind.INSTRUCTIONAL
        assert coaching.coach == coach
        assert coaching.finished_on is not None
        assert DropIn.objects.get(strengths="Warm greeting at the door.").relationship == coaching
    axe.assert_clean()


def test_co_coaching_peers_each_set_a_step_for_the_other_until_the_lead_ends_the_pair(phone, axe):
    world = build_world()
    one = _teacher(world.own.school, "Peer One")
    two = _teacher(world.own.school, "Peer Two")
    page = phone.new_page()

    # The coaching lead starts the pair.
    _lead_signs_in(page, axe, world)
    _start_kind(page, axe, "Co-coaching")
    page.get_by_label("First teacher").select_option(label=one.full_name)
    page.get_by_label("Second teacher").select_option(label=two.full_name)
    page.get_by_role("button", name="Start co-coaching").click()
    _done(page, "Peer One and Peer Two now coach each other.")
    axe.check(page)
    _sign_out(page)

    # Peer One sets a step for Peer Two, from their own home.
    sign_in(page, axe, one.email)
    page.wait_for_url(re.compile(r"/me/$"))
    axe.check(page)
    page.locator("#my-co-coaching").get_by_role("link", name="Set a step for Peer Two").click()
    _set_step(page, axe, "Cold call after the pause", success="Three names called each lesson.")
    _sign_out(page)

    # Peer Two sees it on their home, and sets a step for Peer One.
    sign_in(page, axe, two.email)
    page.wait_for_url(re.compile(r"/me/$"))
    axe.check(page)
    assert page.get_by_role(
        "heading", name="My current step Cold call after the pause"
    ).is_visible()
    page.locator("#my-co-coaching").get_by_role("link", name="Set a step for Peer One").click()
    _set_step(page, axe, "Narrate the positive first", success="Praise before any correction.")
    _sign_out(page)

    # Peer One sees the step set for them.
    sign_in(page, axe, one.email)
    page.wait_for_url(re.compile(r"/me/$"))
    axe.check(page)
    assert page.get_by_role(
        "heading", name="My current step Narrate the positive first"
    ).is_visible()
    _sign_out(page)

    # The lead ends the pair: both halves end at once.
    _lead_signs_in(page, axe, world)
    _lead_ends(
        page, axe, one.full_name, ended="The co-coaching of Peer One and Peer Two has ended."
    )

    with scopes_disabled():
        one_coached = Relationship.objects.get(teacher=one, coach=two)
        two_coached = Relationship.objects.get(teacher=two, coach=one)
        assert {one_coached.kind, two_coached.kind} == {Relationship.Kind.CO_COACHING}
        assert one_coached.finished_on is not None and two_coached.finished_on is not None
        assert ActionStep.objects.get(title="Cold call after the pause").relationship == (
            two_coached
        )
        assert ActionStep.objects.get(title="Narrate the positive first").relationship == (
            one_coached
        )
    axe.assert_clean()


def test_a_dyad_records_a_session_and_after_it_ends_its_members_can_read_but_not_add(phone, axe):
    world = build_world()
    first, second = staff(world.own.school, 2, prefix="Dyad member")
    problem = "Year 10 lose focus after the starter."
    page = phone.new_page()

    # The coaching lead sets up the dyad.
    _lead_signs_in(page, axe, world)
    page.get_by_role("link", name="Coaching groups: dyads and action learning sets").click()
    axe.check(page)
    page.get_by_role("link", name="Set up a group").click()
    axe.check(page)
    page.get_by_label("Dyad (two colleagues)").check()
    page.get_by_label("Name", exact=True).fill("Science dyad")
    for person in (first, second):
        page.get_by_label(person.full_name, exact=True).check()
    page.get_by_role("button", name="Set up the group").click()
    _done(page, "Science dyad is set up.")
    axe.check(page)
    with scopes_disabled():
        group = CoachingGroup.objects.get(name="Science dyad")
        assert group.kind == CoachingGroup.Kind.DYAD
    _sign_out(page)

    # One member records a session, reaching the group from their home.
    sign_in(page, axe, first.email)
    page.wait_for_url(re.compile(r"/me/$"))
    axe.check(page)
    page.get_by_role("link", name="My coaching groups").click()
    axe.check(page)
    page.get_by_role("link", name="Science dyad").click()
    axe.check(page)
    page.get_by_role("link", name="Record a session").click()
    axe.check(page)
    page.get_by_label("Who brought a problem").select_option(label=first.full_name)
    page.get_by_label("The problem brought").fill(problem)
    page.get_by_role("button", name="Save the session").click()
    _done(page, "Session recorded.")
    axe.check(page)
    _sign_out(page)

    # The other member reads it.
    sign_in(page, axe, second.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"/groups/{group.pk}/")
    axe.check(page)
    assert page.get_by_text(problem).is_visible()
    _sign_out(page)

    # The lead ends the dyad.
    _lead_signs_in(page, axe, world)
    page.goto("/lead/a1/groups/")
    axe.check(page)
    page.get_by_role("link", name="Science dyad").click()
    axe.check(page)
    page.get_by_role("link", name="End the group").click()
    axe.check(page)
    page.get_by_role("button", name="End the group").click()
    _done(page, "Science dyad has ended.")
    axe.check(page)
    _sign_out(page)

    # Its members still read the session, but can record nothing new.
    sign_in(page, axe, second.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto("/groups/")
    axe.check(page)
    assert page.get_by_role("heading", name="Groups that have ended").is_visible()
    page.get_by_role("link", name="Science dyad").click()
    axe.check(page)
    _done(page, "You can still read its sessions, but they can no longer be changed.")
    assert page.get_by_text(problem).is_visible()
    assert page.get_by_role("link", name="Record a session").count() == 0
    assert page.get_by_role("link", name=re.compile("^Change")).count() == 0
    response = page.goto(f"/groups/{group.pk}/sessions/new/")
    assert response.status == 404
    axe.check(page)
    with scopes_disabled():
        group.refresh_from_db()
        assert group.finished_on is not None
        assert GroupSession.objects.filter(group=group).count() == 1
    axe.assert_clean()


def test_a_member_sees_that_the_lead_has_ended_their_action_learning_set(phone, axe):
    world = build_world()
    group = group_in(world.own)  # Teacher a1, Coach a1 and one more; one session
    page = phone.new_page()

    # The coaching lead ends the set.
    _lead_signs_in(page, axe, world)
    page.goto("/lead/a1/groups/")
    axe.check(page)
    page.get_by_role("link", name=group.name).click()
    axe.check(page)
    page.get_by_role("link", name="End the group").click()
    axe.check(page)
    page.get_by_role("button", name="End the group").click()
    _done(page, f"{group.name} has ended.")
    axe.check(page)
    _sign_out(page)

    # A member finds it among their ended groups, and can still read what it recorded.
    sign_in(page, axe, world.own.teacher.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.get_by_role("link", name="My coaching groups").click()
    axe.check(page)
    assert page.get_by_role("heading", name="Groups that have ended").is_visible()
    assert page.get_by_text("You are not in a group at the moment.").is_visible()
    page.get_by_role("link", name=group.name).click()
    axe.check(page)
    _done(page, "This group ended on")
    assert page.get_by_text(SESSION_WORDS).is_visible()
    assert page.get_by_role("link", name="Record a session").count() == 0
    with scopes_disabled():
        group.refresh_from_db()
        assert group.finished_on is not None
    axe.assert_clean()
