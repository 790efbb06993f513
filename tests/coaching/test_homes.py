"""The teacher's and the coach's homes: what is new since the person last looked comes first,
and the coach's teachers are one row each, the most in need of a drop-in first."""

import datetime as dt
import uuid
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import ActionStep, DropIn, HomeLook, Rehearsal
from coachloop.coaching.services import action_step_set, dropin_record, rehearsal_log
from coachloop.coaching.services.looks import VISIT, home_look
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from coachloop.people.queries import viewer_for
from tests.factories import (
    ActionStepFactory,
    MembershipFactory,
    RehearsalFactory,
    RelationshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _last_looked(person, page, *, hours_ago=2):
    """``person`` began a visit to their ``page`` home ``hours_ago`` hours ago."""
    with scopes_disabled():
        trust = person.memberships.first().trust
        HomeLook.objects.create(
            trust=trust,
            person=person,
            page=page,
            looked_at=timezone.now() - dt.timedelta(hours=hours_ago),
        )


def _page(client, person, route):
    client.force_login(person)
    response = client.get(reverse(route))
    assert response.status_code == 200
    return response.content.decode()


def _record_dropin(as_viewer, world, *, strengths):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        return dropin_record(
            viewer=viewer,
            relationship=world.own.relationship,
            uuid=uuid.uuid4(),
            visited_on=timezone.localdate(),
            class_or_group="8B",
            minutes=15,
            strengths=strengths,
        )


# -- the record of looking ------------------------------------------------------------------


def test_the_first_look_ever_has_nothing_to_compare_with(world):
    viewer_user = world.own.teacher
    viewer = viewer_for(viewer_user)
    with scopes_disabled():
        assert home_look(viewer=viewer, page=HomeLook.Page.TEACHER) is None
        look = HomeLook.objects.get(person=viewer_user)
    assert look.before is None and look.trust_id == world.trust.pk


def test_looks_within_a_visit_keep_comparing_with_the_visit_before(world):

    viewer = viewer_for(world.own.teacher)
    start = timezone.now()
    with scopes_disabled():
        home_look(viewer=viewer, page=HomeLook.Page.TEACHER, now=start)
        later = start + VISIT + dt.timedelta(minutes=1)
        assert home_look(viewer=viewer, page=HomeLook.Page.TEACHER, now=later) == start
        # Reading the page again a few minutes on: the same things are still new.
        again = later + dt.timedelta(minutes=5)
        assert home_look(viewer=viewer, page=HomeLook.Page.TEACHER, now=again) == start
        look = HomeLook.objects.get(person=world.own.teacher)
    assert (look.before, look.looked_at) == (start, later)


def test_each_home_and_each_trust_keeps_its_own_look(world):

    viewer = viewer_for(world.own.coach)
    with scopes_disabled():
        home_look(viewer=viewer, page=HomeLook.Page.COACH)
        home_look(viewer=viewer, page=HomeLook.Page.TEACHER)
        assert HomeLook.objects.filter(person=world.own.coach).count() == 2
        assert not HomeLook.objects.filter(trust=world.other_trust).exists()


# -- the teacher's home ---------------------------------------------------------------------


def test_the_teachers_first_visit_leads_with_the_latest_drop_in_and_marks_nothing_new(
    client, world
):
    html = _page(client, world.own.teacher, "coaching:teacher_home")
    assert "The latest from your coach" in html and "cl-new" not in html
    lead = html[html.index('id="lead"') : html.index("</section>")]
    assert f'id="lead-dropin-{world.own.dropin.pk}"' in lead
    assert world.own.dropin.strengths.split()[0] in lead
    assert html.index('id="lead"') < html.index("My current step")


def test_a_drop_in_recorded_since_the_last_visit_leads_marked_new_and_older_ones_do_not(
    client, world, as_viewer
):
    _last_looked(world.own.teacher, HomeLook.Page.TEACHER)
    fresh = _record_dropin(as_viewer, world, strengths="Every pupil was writing within a minute.")
    html = _page(client, world.own.teacher, "coaching:teacher_home")
    assert "New since you last looked" in html
    lead = html[html.index('id="lead"') : html.index("</section>")]
    card = lead[lead.index(f'id="lead-dropin-{fresh.pk}"') :]
    assert "cl-new" in card[:600] and "Every pupil was writing" in card
    assert f'id="lead-dropin-{world.own.dropin.pk}"' not in lead  # seen before: not the lead
    assert html.count("cl-new") == 2  # in the lead and in the history, once each


def test_a_step_set_since_the_last_visit_is_new(client, world, as_viewer):
    _last_looked(world.own.teacher, HomeLook.Page.TEACHER)
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        step = action_step_set(
            viewer=viewer,
            relationship=world.own.relationship,
            title="Narrate the positive",
            success_looks_like="Praise names the routine, not the pupil.",
            previous_outcome=ActionStep.Outcome.EMBEDDED,
        )
    html = _page(client, world.own.teacher, "coaching:teacher_home")
    lead = html[html.index('id="lead"') : html.index("</section>")]
    assert "Your next step:" in lead and f'href="#step-{step.pk}"' in lead and "cl-new" in lead


def test_what_changed_before_the_last_visit_is_not_new(client, world, as_viewer):
    _last_looked(world.own.teacher, HomeLook.Page.TEACHER)
    fresh = _record_dropin(as_viewer, world, strengths="Calm, quick start.")
    with scopes_disabled():
        AuditEvent.objects.filter(target_id=str(fresh.pk)).update(
            created_at=timezone.now() - dt.timedelta(hours=3)
        )
    html = _page(client, world.own.teacher, "coaching:teacher_home")
    assert "cl-new" not in html and "New since you last looked" not in html
    assert "Nothing has changed since you last looked" in html
    assert f'id="lead-dropin-{fresh.pk}"' in html  # still the latest from the coach


# -- the coach's home ----------------------------------------------------------------------


def _second_teacher(world, *, started_days_ago=3):
    with scopes_disabled():
        teacher = UserFactory(full_name="Never Visited")

        MembershipFactory(
            user=teacher, school=world.own.school, trust=world.trust, role=Role.TEACHER
        )
        return RelationshipFactory(
            school=world.own.school,
            coach=world.own.coach,
            teacher=teacher,
            started_on=timezone.localdate() - dt.timedelta(days=started_days_ago),
        )


def test_a_teacher_never_visited_is_not_due_yet_but_waiting_and_comes_before_the_rest(
    client, world
):
    _second_teacher(world)
    html = _page(client, world.own.coach, "coaching:coach_home")
    assert "Not due yet" not in html
    rows = html[html.index('id="my-teachers"') :]
    assert rows.index("Never Visited") < rows.index(world.own.teacher.full_name)
    assert "Not visited yet" in rows[rows.index("Never Visited") :][:1500]
    counts = html[html.index('id="teacher-counts"') : html.index("</ul>", html.index("cl-counts"))]
    assert "teacher not visited yet" in counts and "teacher on track" in counts


def test_the_counts_say_teachers_in_the_plural(client, world):
    _second_teacher(world)
    _second_teacher(world, started_days_ago=4)
    html = _page(client, world.own.coach, "coaching:coach_home")
    assert ">2</span>teachers not visited yet" in html
    assert ">1</span>teacher on track" in html


def test_an_embedded_step_prompts_the_coach_to_set_the_next(client, world):
    with scopes_disabled():
        ActionStep.objects.filter(pk=world.own.step.pk).update(status=ActionStep.Status.EMBEDDED)
    html = _page(client, world.own.coach, "coaching:coach_home")
    url = reverse("coaching:step_set", args=[world.own.relationship.pk])
    assert f'<a class="govuk-link" href="{url}">Embedded: set the next step' in html


def test_a_step_still_being_practised_has_no_prompt(client, world):
    html = _page(client, world.own.coach, "coaching:coach_home")
    assert "set the next step" not in html


def test_finish_drop_in_says_when_the_draft_was_started(client, world):
    started = dt.datetime(2026, 12, 3, 17, 5, tzinfo=LONDON)
    with scopes_disabled():
        DropIn.objects.filter(pk=world.own.draft.pk).update(created_at=started)
    html = _page(client, world.own.coach, "coaching:coach_home")
    assert "Finish drop-in" in html and "Draft started 17:05 on 3 Dec" in html


def test_what_a_teacher_did_since_the_coach_last_looked_is_marked_new(client, world, as_viewer):
    _last_looked(world.own.coach, HomeLook.Page.COACH)
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        rehearsal = Rehearsal.objects.get(pk=world.own.rehearsal.pk)
        rehearsal_log(
            viewer=viewer, rehearsal=rehearsal, done_on=timezone.localdate(), how_it_went="Fine."
        )
    html = _page(client, world.own.coach, "coaching:coach_home")
    row = html[html.index(f'id="teacher-{world.own.relationship.pk}"') :][:2500]
    assert "cl-new" in row and "Logged a rehearsal" in row
    assert ">1</span>teacher with something new" in html


def test_the_coachs_first_visit_marks_nothing_new(client, world, as_viewer):
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        rehearsal_log(
            viewer=viewer,
            rehearsal=Rehearsal.objects.get(pk=world.own.rehearsal.pk),
            done_on=timezone.localdate(),
            how_it_went="Fine.",
        )
    html = _page(client, world.own.coach, "coaching:coach_home")
    assert "cl-new" not in html and "something new" not in html


def test_a_teacher_assigned_since_the_coach_last_looked_is_new(client, world):
    _last_looked(world.own.coach, HomeLook.Page.COACH)
    relationship = _second_teacher(world)
    with scopes_disabled():
        type(relationship).objects.filter(pk=relationship.pk).update(created_at=timezone.now())
    html = _page(client, world.own.coach, "coaching:coach_home")
    row = html[html.index(f'id="teacher-{relationship.pk}"') :][:2500]
    assert "New to your list" in row


def test_what_a_teacher_did_in_someone_elses_coaching_is_not_news_to_this_coach(
    client, world, as_viewer
):
    """A teacher mentored by one colleague and coached by another: each coach hears only of
    their own coaching."""
    with scopes_disabled():
        mentor = UserFactory(full_name="Other Mentor")

        MembershipFactory(user=mentor, school=world.own.school, trust=world.trust, role=Role.COACH)
        other = RelationshipFactory(
            school=world.own.school,
            coach=mentor,
            teacher=world.own.teacher,
            kind="mentoring",
        )
        rehearsal = RehearsalFactory(action_step=ActionStepFactory(relationship=other))
    _last_looked(world.own.coach, HomeLook.Page.COACH)
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        rehearsal_log(
            viewer=viewer, rehearsal=rehearsal, done_on=timezone.localdate(), how_it_went="Ok."
        )
    html = _page(client, world.own.coach, "coaching:coach_home")
    assert "Logged a rehearsal" not in html


@pytest.mark.queries
def test_the_homes_read_what_is_new_in_queries_that_do_not_grow_with_it(client, world, as_viewer):
    def count(person, route):
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(route)).status_code == 200
        return len(queries)

    def looked_two_hours_ago():
        with scopes_disabled():
            HomeLook.objects.all().delete()
        _last_looked(world.own.teacher, HomeLook.Page.TEACHER)
        _last_looked(world.own.coach, HomeLook.Page.COACH)

    looked_two_hours_ago()
    _record_dropin(as_viewer, world, strengths="One.")
    few = (
        count(world.own.teacher, "coaching:teacher_home"),
        count(world.own.coach, "coaching:coach_home"),
    )
    looked_two_hours_ago()
    for n in range(4):
        _record_dropin(as_viewer, world, strengths=f"More {n}.")
    _second_teacher(world)
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        rehearsal_log(
            viewer=viewer,
            rehearsal=Rehearsal.objects.get(pk=world.own.rehearsal.pk),
            done_on=timezone.localdate(),
            how_it_went="Fine.",
        )
    many = (
        count(world.own.teacher, "coaching:teacher_home"),
        count(world.own.coach, "coaching:coach_home"),
    )
    assert few == many
