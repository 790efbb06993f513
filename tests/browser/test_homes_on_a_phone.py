"""The teacher's and the coach's homes on a phone (390×844): each person's key fact is on the
first screen (the first 800 pixels), nothing scrolls sideways, and axe finds nothing."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from coachloop.coaching.models import HomeLook
from coachloop.coaching.services import dropin_record
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.people.queries import viewer_for
from tests.browser.test_coaching_journey import sign_in
from tests.factories import MembershipFactory, RelationshipFactory, UserFactory
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_SCREEN = 800


def _bottom(locator):
    box = locator.bounding_box()
    assert box is not None
    return box["y"] + box["height"]


def _no_sideways_scrolling(page):
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_a_teacher_finds_what_their_coach_wrote_last_on_the_first_screen(phone, axe):
    world = build_world()
    with scopes_disabled():
        HomeLook.objects.create(
            trust=world.trust,
            person=world.own.teacher,
            page=HomeLook.Page.TEACHER,
            looked_at=timezone.now() - dt.timedelta(days=1),
        )
    viewer = viewer_for(world.own.coach)
    with trust_scope(viewer.trust):
        dropin = dropin_record(
            viewer=viewer,
            relationship=world.own.relationship,
            uuid=uuid.uuid4(),
            visited_on=timezone.localdate(),
            class_or_group="9C",
            minutes=20,
            strengths="The signal for attention worked first time, every time.",
        )
    page = phone.new_page()
    sign_in(page, axe, world.own.teacher.email)
    page.goto("/me/")
    axe.check(page)
    card = page.locator(f"#lead-dropin-{dropin.pk}")
    assert _bottom(card.get_by_text("New", exact=True)) <= FIRST_SCREEN
    assert _bottom(card.get_by_text("The signal for attention worked")) <= FIRST_SCREEN
    assert page.get_by_role("heading", name="New since you last looked").is_visible()
    _no_sideways_scrolling(page)


def test_a_coach_of_seven_finds_the_counts_and_the_most_urgent_teacher_first(phone, axe):
    world = build_world()
    today = timezone.localdate()
    with scopes_disabled():
        names = ["Asha Patel", "Ben Okafor", "Cara Byrne", "Dev Singh", "Ellie Marsh", "Finn Hart"]
        for n, name in enumerate(names):
            teacher = UserFactory(full_name=name)
            MembershipFactory(
                user=teacher, school=world.own.school, trust=world.trust, role=Role.TEACHER
            )
            # Asha started five weeks ago and has never been visited: overdue, first.
            RelationshipFactory(
                school=world.own.school,
                coach=world.own.coach,
                teacher=teacher,
                started_on=today - dt.timedelta(days=35 if n == 0 else 1 + n),
            )
    page = phone.new_page()
    sign_in(page, axe, world.own.coach.email)
    page.goto("/coach/")
    axe.check(page)
    counts = page.locator("#teacher-counts")
    assert "1teacher overdue a drop-in" in counts.inner_text().replace("\n", "")
    assert _bottom(counts) <= FIRST_SCREEN
    first_row = page.locator("#my-teachers tbody tr").first
    assert "Asha Patel" in first_row.inner_text()
    assert _bottom(first_row.get_by_text("Drop-in overdue")) <= FIRST_SCREEN
    assert _bottom(first_row.get_by_role("link", name="Asha Patel", exact=True)) <= FIRST_SCREEN
    # Seven teachers in about two screens of the phone.
    assert page.locator("#my-teachers tbody tr").count() == 7
    assert _bottom(page.locator("#my-teachers")) <= 2 * 844
    _no_sideways_scrolling(page)
