"""Nothing is lost or written over when devices, sessions and ids collide, and the access and
audit rules hold at the edges: a coach who is no longer a coach, coaching that has ended,
back-dated visits, repeated logs."""

import datetime as dt
import threading
import uuid
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching import services
from coachloop.coaching.models import ActionStep, DropIn, Rehearsal, Relationship
from coachloop.coaching.services import dropins as dropin_services
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Membership, Role
from coachloop.people.queries import viewer_for
from tests.coaching.posts import dropin_post
from tests.world import build_world

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def unscoped(queryset_of):
    with scopes_disabled():
        return queryset_of()


@pytest.fixture
def coach_client(client, world):
    client.force_login(world.own.coach)
    return client


def as_coach(world):
    viewer = viewer_for(world.own.coach)
    return viewer, trust_scope(viewer.trust)


# Ids that are already taken


def test_another_trusts_drop_in_id_is_never_touched_and_the_coach_is_not_told_it_exists(
    coach_client, world
):
    theirs = world.other_trust_records.dropin
    url = reverse("coaching:dropin_new", args=[world.own.relationship.pk])
    response = coach_client.post(url, dropin_post(uuid=str(theirs.uuid)))
    assert response.status_code == 302
    with scopes_disabled():
        mine = DropIn.objects.get(
            relationship=world.own.relationship, strengths="Calm, warm start."
        )
        theirs_now = DropIn.objects.get(pk=theirs.pk)
    assert mine.uuid != theirs.uuid
    assert (theirs_now.strengths, theirs_now.relationship_id) == (
        theirs.strengths,
        world.other_trust_records.relationship.pk,
    )


def test_an_autosave_under_another_trusts_id_is_kept_as_a_new_draft(coach_client, world):
    theirs = world.other_trust_records.dropin
    url = reverse("coaching:dropin_draft", args=[world.own.relationship.pk])
    response = coach_client.post(url, {"uuid": str(theirs.uuid), "strengths": "Half a thought"})
    assert response.status_code == 200
    new_id = response.headers["X-Draft-Uuid"]
    assert new_id != str(theirs.uuid)
    draft = unscoped(lambda: DropIn.objects.get(uuid=new_id))
    assert draft.is_draft and draft.relationship == world.own.relationship


def test_an_old_copy_on_another_device_records_a_new_drop_in_rather_than_vanishing(
    coach_client, world
):
    recorded = world.own.dropin  # recorded on the laptop earlier, under this id
    url = reverse("coaching:dropin_new", args=[world.own.relationship.pk])
    response = coach_client.post(
        url, dropin_post(uuid=str(recorded.uuid), strengths="A new visit typed on the phone")
    )
    assert response.status_code == 302
    with scopes_disabled():
        new = DropIn.objects.get(strengths="A new visit typed on the phone")
        assert new.pk != recorded.pk and not new.is_draft
        assert DropIn.objects.get(pk=recorded.pk).strengths == recorded.strengths


def test_the_same_drop_in_posted_again_after_a_dropped_connection_is_recorded_once(
    coach_client, world
):
    url = reverse("coaching:dropin_new", args=[world.own.relationship.pk])
    post = dropin_post()
    first = coach_client.post(url, post)
    again = coach_client.post(url, post)
    assert first["Location"] == again["Location"]
    assert unscoped(lambda: DropIn.objects.filter(uuid=post["uuid"]).count()) == 1


def test_an_autosave_of_a_drop_in_already_recorded_never_turns_it_back_into_a_draft(
    coach_client, world
):
    recorded = world.own.dropin
    url = reverse("coaching:dropin_draft", args=[world.own.relationship.pk])
    response = coach_client.post(url, {"uuid": str(recorded.uuid), "strengths": "stale text"})
    assert response.headers["X-Draft-Uuid"] != str(recorded.uuid)
    recorded_now = unscoped(lambda: DropIn.objects.get(pk=recorded.pk))
    assert not recorded_now.is_draft
    assert recorded_now.strengths == recorded.strengths


def test_an_autosave_that_arrives_after_the_save_it_raced_leaves_no_ghost_draft(world):
    """The autosave was on its way when the coach pressed save; it lands after the record."""
    draft = world.own.draft
    viewer, scope = as_coach(world)
    with scope:
        stale = DropIn.objects.get(pk=draft.pk)
        DropIn.objects.filter(pk=draft.pk).update(is_draft=False, strengths="Recorded text")
        with mock.patch.object(dropin_services, "_by_uuid", return_value=stale):
            outcome = services.dropin_draft_save(
                viewer=viewer,
                relationship=world.own.relationship,
                uuid=draft.uuid,
                fields={"strengths": "stale autosave"},
            )
        recorded = DropIn.objects.get(pk=draft.pk)
        drafts = DropIn.objects.filter(relationship=world.own.relationship, is_draft=True)
        assert not drafts.exists()
    assert (recorded.is_draft, recorded.strengths) == (False, "Recorded text")
    assert outcome.draft is None and outcome.uuid != draft.uuid


def test_a_late_autosave_tells_the_page_the_drop_in_is_already_saved(coach_client, world):
    recorded = world.own.dropin
    url = reverse("coaching:dropin_draft", args=[world.own.relationship.pk])
    response = coach_client.post(url, {"uuid": str(recorded.uuid), "strengths": "late"})
    assert response.headers["X-Dropin-Recorded"] == "1"
    with scopes_disabled():
        assert not DropIn.objects.filter(strengths="late").exists()


def test_two_requests_recording_one_new_id_at_once_keep_both_and_raise_no_error(world):
    viewer, scope = as_coach(world)
    key = uuid.uuid4()
    fields = {
        "visited_on": TODAY,
        "class_or_group": "7B",
        "minutes": 10,
        "strengths": "First",
    }
    with scope:
        services.dropin_record(
            viewer=viewer, relationship=world.own.relationship, uuid=key, **fields
        )
        # The second request looked before the first wrote, so it believes the id is free.
        with mock.patch.object(dropin_services, "_by_uuid", return_value=None):
            second = services.dropin_record(
                viewer=viewer,
                relationship=world.own.relationship,
                uuid=key,
                **{**fields, "strengths": "Second"},
            )
        assert second.uuid != key
        assert DropIn.objects.filter(strengths__in=["First", "Second"]).count() == 2


@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="this database has no row locks"
)
def test_writes_to_one_relationship_lock_its_row_first(world):
    viewer, scope = as_coach(world)
    with scope, CaptureQueriesContext(connection) as queries:
        services.action_step_set(
            viewer=viewer,
            relationship=world.own.relationship,
            title="Pause after an instruction",
            success_looks_like="All eyes up.",
            previous_outcome=ActionStep.Outcome.MOVED_ON,
        )
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert locks and "coaching_relationship" in locks[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="this database has no row locks"
)
def test_two_steps_set_at_once_leave_exactly_one_current_step():
    world = build_world()
    errors, start = [], threading.Barrier(2)

    def set_step(title):
        try:
            viewer, scope = as_coach(world)
            start.wait()
            with scope:
                services.action_step_set(
                    viewer=viewer,
                    relationship=world.own.relationship,
                    title=title,
                    success_looks_like="Seen in the lesson.",
                    previous_outcome=ActionStep.Outcome.MOVED_ON,
                )
        except Exception as error:  # noqa: BLE001 - the test reports any error at all
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=set_step, args=(t,)) for t in ("From the phone", "Laptop")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with scopes_disabled():
        current = ActionStep.objects.filter(
            relationship=world.own.relationship, closed_on__isnull=True
        )
        assert current.count() == 1


# The audit trail lists reads of content, and only those


def reads_of(world):
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(subject=world.own.teacher, verb="read").values_list(
                "target_type", flat=True
            )
        )


def test_the_saved_page_shows_no_notes_and_so_is_not_listed_as_a_read(coach_client, world):
    url = reverse("coaching:dropin_new", args=[world.own.relationship.pk])
    coach_client.post(url, dropin_post(), follow=True)
    assert reads_of(world) == []


def test_saving_an_edit_is_audited_as_an_edit_not_also_as_a_read(coach_client, world):
    dropin = world.own.dropin
    url = reverse("coaching:dropin_edit", args=[dropin.pk])
    coach_client.post(url, dropin_post(version=str(dropin.version), strengths="Changed"))
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="dropin.edited", target_id=str(dropin.pk)).exists()
    assert reads_of(world) == []


def test_a_coach_opening_a_rehearsal_to_log_it_is_listed_for_the_teacher(coach_client, world):
    coach_client.get(reverse("coaching:rehearsal_log", args=[world.own.rehearsal.pk]))
    assert reads_of(world) == ["coaching.rehearsal"]


def test_a_coachs_own_draft_is_not_part_of_the_teachers_record_or_their_list_of_reads(
    coach_client, world
):
    draft = world.own.draft
    assert coach_client.get(reverse("coaching:dropin_edit", args=[draft.pk])).status_code == 302
    assert coach_client.get(reverse("coaching:dropin_detail", args=[draft.pk])).status_code == 404
    assert coach_client.get(reverse("coaching:dropin_saved", args=[draft.pk])).status_code == 404
    assert reads_of(world) == []


def test_starting_a_draft_is_audited_once_however_often_it_autosaves(coach_client, world):
    key = str(uuid.uuid4())
    url = reverse("coaching:dropin_draft", args=[world.own.relationship.pk])
    for text in ("H", "Ha", "Half a thought"):
        coach_client.post(url, {"uuid": key, "strengths": text})
    with scopes_disabled():
        draft = DropIn.objects.get(uuid=key)
        started = AuditEvent.objects.filter(verb="dropin.draft_started", target_id=str(draft.pk))
        assert started.count() == 1
    assert draft.strengths == "Half a thought"


# Who may still act


def test_the_teacher_sees_no_coachs_controls_and_no_sign_of_an_unfinished_draft(client, world):
    client.force_login(world.own.teacher)
    page = client.get(reverse("coaching:coachee", args=[world.own.relationship.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Finish drop-in" not in html and "Record a drop-in" not in html
    assert "Mark as" not in html and "Set a new action step" not in html


def test_a_coach_whose_coach_role_has_finished_can_no_longer_read_or_write(client, world):
    with scopes_disabled():
        Membership.objects.filter(user=world.own.coach, role=Role.COACH).update(
            finished_on=TODAY - dt.timedelta(days=1)
        )
        # Still on the staff as a teacher, so still signed in to the trust.
        Membership.objects.create(
            trust=world.trust, user=world.own.coach, school=world.own.school, role=Role.TEACHER
        )
    client.force_login(world.own.coach)
    relationship = world.own.relationship
    assert client.get(reverse("coaching:coachee", args=[relationship.pk])).status_code == 404
    draft_url = reverse("coaching:dropin_draft", args=[relationship.pk])
    assert client.post(draft_url, {"uuid": str(uuid.uuid4())}).status_code == 404


def test_coaching_cannot_be_ended_on_a_date_still_to_come(world):
    with trust_scope(world.trust), pytest.raises(ValidationError, match="today or on a past"):
        services.relationship_end(
            actor=world.people["administrator"],
            relationship=world.own.relationship,
            finished_on=TODAY + dt.timedelta(days=1),
        )
    world.own.relationship.refresh_from_db()
    assert world.own.relationship.finished_on is None


def test_ending_coaching_closes_its_current_step_and_the_teacher_plans_no_more_practice(
    client, world
):
    with trust_scope(world.trust):
        services.relationship_end(
            actor=world.people["administrator"], relationship=world.own.relationship
        )
    world.own.step.refresh_from_db()
    assert world.own.step.closed_on == TODAY
    assert world.own.step.outcome == ActionStep.Outcome.COACHING_ENDED
    client.force_login(world.own.teacher)
    url = reverse("coaching:rehearsal_plan", args=[world.own.step.pk])
    assert client.get(url).status_code == 404
    assert (
        "You are not being coached at the moment"
        in client.get(reverse("coaching:teacher_home")).content.decode()
    )


# Rehearsals and follow-ups keep to their rules


def test_a_rehearsal_is_logged_once_and_a_second_log_is_refused_with_a_reason(client, world):
    rehearsal = world.own.rehearsal
    url = reverse("coaching:rehearsal_log", args=[rehearsal.pk])
    client.force_login(world.own.teacher)
    post = {"done_on": TODAY.isoformat(), "how_it_went": "Three clean run-throughs."}
    assert client.post(url, post).status_code == 302
    client.force_login(world.own.coach)
    response = client.post(url, {**post, "how_it_went": "The coach's account"})
    assert "This rehearsal has already been logged." in response.content.decode()
    rehearsal.refresh_from_db()
    assert rehearsal.how_it_went == "Three clean run-throughs."


def test_practice_on_a_closed_step_cannot_be_logged(world):
    viewer, scope = as_coach(world)
    with scope:
        services.action_step_set(
            viewer=viewer,
            relationship=world.own.relationship,
            title="A newer step",
            success_looks_like="Seen.",
            previous_outcome=ActionStep.Outcome.MOVED_ON,
        )
        rehearsal = Rehearsal.objects.get(pk=world.own.rehearsal.pk)
        with pytest.raises(ValidationError, match="This step is closed"):
            services.rehearsal_log(
                viewer=viewer, rehearsal=rehearsal, done_on=TODAY, how_it_went="Late"
            )


def test_a_back_dated_drop_in_does_not_follow_up_a_step_set_after_the_visit(world):
    viewer, scope = as_coach(world)
    step = world.own.step
    with scope:
        ActionStep.objects.filter(pk=step.pk).update(set_on=TODAY)
        dropin = services.dropin_record(
            viewer=viewer,
            relationship=world.own.relationship,
            uuid=uuid.uuid4(),
            visited_on=TODAY - dt.timedelta(days=1),
            class_or_group="7B",
            minutes=10,
            strengths="Before the step was set",
            followup=DropIn.FollowUp.HABIT,
        )
        step.refresh_from_db()
    assert dropin.followup_step is None and dropin.followup == ""
    assert step.status != ActionStep.Status.EMBEDDED


def test_an_edit_that_says_the_step_looked_like_habit_marks_it_embedded(coach_client, world):
    dropin = world.own.dropin
    with scopes_disabled():
        DropIn.objects.filter(pk=dropin.pk).update(followup_step=world.own.step)
        ActionStep.objects.filter(pk=world.own.step.pk).update(
            set_on=dropin.visited_on - dt.timedelta(days=3)
        )
    url = reverse("coaching:dropin_edit", args=[dropin.pk])
    post = dropin_post(
        version=str(dropin.version), visited_on=dropin.visited_on.isoformat(), followup="habit"
    )
    assert coach_client.post(url, post).status_code == 302
    world.own.step.refresh_from_db()
    assert world.own.step.status == ActionStep.Status.EMBEDDED


def test_a_step_marked_embedded_too_soon_can_be_marked_practising_again(coach_client, world):
    url = reverse("coaching:step_status", args=[world.own.step.pk])
    coach_client.post(url, {"status": "embedded"})
    coach_client.post(url, {"status": "practising"})
    world.own.step.refresh_from_db()
    assert world.own.step.status == ActionStep.Status.PRACTISING


@pytest.mark.parametrize("route", ["step_set", "rehearsal_plan", "rehearsal_log"])
def test_an_empty_post_gets_the_forms_messages_and_saves_nothing(coach_client, world, route):
    args = {
        "step_set": [world.own.relationship.pk],
        "rehearsal_plan": [world.own.step.pk],
        "rehearsal_log": [world.own.rehearsal.pk],
    }[route]
    before = unscoped(lambda: (ActionStep.objects.count(), Rehearsal.objects.count()))
    response = coach_client.post(reverse(f"coaching:{route}", args=args), {})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert unscoped(lambda: (ActionStep.objects.count(), Rehearsal.objects.count())) == before


def test_a_write_checks_the_relationship_as_it_is_now_not_as_the_page_loaded_it(world):
    viewer, scope = as_coach(world)
    with scope:
        loaded = Relationship.objects.get(pk=world.own.relationship.pk)  # the page's copy
        services.relationship_end(actor=world.people["administrator"], relationship=loaded)
        stale = Relationship.objects.get(pk=loaded.pk)
        stale.finished_on = None  # as the page still believes
        with pytest.raises(PermissionDenied):
            services.action_step_set(
                viewer=viewer,
                relationship=stale,
                title="Set too late",
                success_looks_like="-",
                previous_outcome=ActionStep.Outcome.MOVED_ON,
            )
        with pytest.raises(PermissionDenied):
            services.dropin_record(
                viewer=viewer,
                relationship=stale,
                uuid=uuid.uuid4(),
                visited_on=TODAY,
                class_or_group="7B",
                minutes=10,
                strengths="Recorded too late",
            )
        assert not ActionStep.objects.filter(title="Set too late").exists()
        assert not DropIn.objects.filter(strengths="Recorded too late").exists()


def test_planning_a_rehearsal_leaves_a_status_changed_meanwhile_alone(world):
    viewer, scope = as_coach(world)
    with scope:
        step = ActionStep.objects.get(pk=world.own.step.pk)
        ActionStep.objects.filter(pk=step.pk).update(status=ActionStep.Status.EMBEDDED)
        step.status = ActionStep.Status.SET  # the page's copy is older
        services.rehearsal_plan(
            viewer=viewer, action_step=step, planned_for=TODAY, mode="alone", plan="Again"
        )
        assert ActionStep.objects.get(pk=step.pk).status == ActionStep.Status.EMBEDDED


def test_an_edit_cannot_date_a_visit_after_the_step_it_looked_for_had_ended(coach_client, world):
    dropin = world.own.dropin
    with scopes_disabled():
        ActionStep.objects.filter(pk=world.own.step.pk).update(
            set_on=dropin.visited_on - dt.timedelta(days=5),
            closed_on=dropin.visited_on,
            outcome=ActionStep.Outcome.MOVED_ON,
        )
        DropIn.objects.filter(pk=dropin.pk).update(followup_step=world.own.step)
    url = reverse("coaching:dropin_edit", args=[dropin.pk])
    post = dropin_post(version=str(dropin.version), visited_on=TODAY.isoformat())
    response = coach_client.post(url, post)
    assert "cannot be dated after it" in response.content.decode()
    dropin.refresh_from_db()
    assert dropin.visited_on == world.own.dropin.visited_on
