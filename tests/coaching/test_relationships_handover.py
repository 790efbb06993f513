"""Coach handover: the lead gives a teacher a new coach; the old relationship closes and the
new one carries on from the current step. The new coach sees the earlier activity at once,
and the earlier notes only once the teacher agrees (audited); the old coach reads, not
writes, until the school's period is over, then nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import ActionStep, Relationship
from coachloop.coaching.services import action_step_set
from coachloop.coaching.services.handover import (
    earlier_content_consent_give,
    earlier_content_consent_withdraw,
    relationship_hand_over,
)
from coachloop.coaching.services.relationships import co_coaching_start, coach_assign
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.people.queries import viewer_for
from coachloop.policy.models import SchoolModel
from tests.factories import MembershipFactory, UserFactory
from tests.world import SECRET_NOTE

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days(n):
    return TODAY + dt.timedelta(days=n)


def hand_over(world, relationship=None, coach=None):
    viewer = viewer_for(world.people["coaching_lead"])
    with trust_scope(viewer.trust):
        return relationship_hand_over(
            viewer=viewer,
            relationship=relationship or world.own.relationship,
            coach=coach or world.people["other_coach"],
        )


def consent(world, new):
    viewer = viewer_for(new.teacher)
    with trust_scope(viewer.trust):
        earlier_content_consent_give(viewer=viewer, relationship=new)


def fresh(model, pk):
    with scopes_disabled():
        return model.objects.get(pk=pk)


# -- the service ------------------------------------------------------------------------------


def test_a_handover_closes_the_old_coaching_and_carries_the_step_into_the_new(world):
    with scopes_disabled():
        SchoolModel.objects.create(
            trust=world.trust, school=world.own.school, read_after_end_days=7
        )
        ActionStep.objects.filter(pk=world.own.step.pk).update(status=ActionStep.Status.PRACTISING)
    new = hand_over(world)
    old = fresh(Relationship, world.own.relationship.pk)
    assert old.finished_on == TODAY and old.coach_reads_until == days(7)
    old_step = fresh(ActionStep, world.own.step.pk)
    assert old_step.closed_on == TODAY
    assert old_step.outcome == ActionStep.Outcome.HANDED_OVER
    assert (new.teacher, new.coach, new.kind) == (
        world.own.teacher,
        world.people["other_coach"],
        Relationship.Kind.INSTRUCTIONAL,
    )
    assert new.handed_over_from_id == old.pk and new.started_on == TODAY
    with scopes_disabled():
        step = ActionStep.objects.get(relationship=new)
        verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert step.continues_id == old_step.pk and step.closed_on is None
    assert (step.title, step.success_looks_like, step.framework_step_id) == (
        old_step.title,
        old_step.success_looks_like,
        old_step.framework_step_id,
    )
    assert step.status == ActionStep.Status.PRACTISING and step.set_on == old_step.set_on
    assert {"relationship.handed_over", "relationship.started"} <= verbs


def test_a_handed_over_mentoring_keeps_its_induction_and_rhythm(world):
    with scopes_disabled():
        mentee = UserFactory(full_name="Early Career Teacher")
        MembershipFactory(user=mentee, school=world.own.school, role=Role.TEACHER)
    viewer = viewer_for(world.people["coaching_lead"])
    with trust_scope(viewer.trust):
        mentoring = coach_assign(
            viewer=viewer,
            school=world.own.school,
            coach=world.own.coach,
            teacher=mentee,
            kind=Relationship.Kind.MENTORING,
            induction_starts_on=days(-10),
            induction_ends_on=days(700),
            cadence_days=21,
        )
    new = hand_over(world, relationship=mentoring)
    assert new.kind == Relationship.Kind.MENTORING
    assert (new.induction_starts_on, new.induction_ends_on, new.cadence_days) == (
        days(-10),
        days(700),
        21,
    )


@pytest.mark.parametrize(
    ("coach_of", "message"),
    [
        ("same", "coaches this teacher already"),
        ("not_a_coach", "is not a coach at School A1"),
        ("none", "Choose the new coach."),
    ],
)
def test_a_handover_to_someone_who_cannot_take_it_on_is_refused_and_nothing_changes(
    world, coach_of, message
):
    coach = {
        "same": world.own.coach,
        "not_a_coach": world.people["headteacher"],
        "none": None,
    }[coach_of]
    viewer = viewer_for(world.people["coaching_lead"])
    with trust_scope(viewer.trust), pytest.raises(ValidationError, match=message):
        relationship_hand_over(viewer=viewer, relationship=world.own.relationship, coach=coach)
    assert fresh(Relationship, world.own.relationship.pk).finished_on is None
    assert fresh(ActionStep, world.own.step.pk).closed_on is None


def test_co_coaching_is_not_handed_over(world):
    with scopes_disabled():
        peer = UserFactory(full_name="Peer Teacher")
        MembershipFactory(user=peer, school=world.own.school, role=Role.TEACHER)
    viewer = viewer_for(world.people["coaching_lead"])
    with trust_scope(viewer.trust):
        one, _other = co_coaching_start(
            viewer=viewer, school=world.own.school, teacher=world.own.teacher, peer=peer
        )
        with pytest.raises(ValidationError, match="not handed over"):
            relationship_hand_over(
                viewer=viewer, relationship=one, coach=world.people["other_coach"]
            )


def test_only_the_schools_coaching_lead_hands_coaching_over(world):
    viewer = viewer_for(world.own.coach)
    with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
        relationship_hand_over(
            viewer=viewer, relationship=world.own.relationship, coach=world.people["other_coach"]
        )


# -- what the new coach sees -----------------------------------------------------------------


def test_the_new_coach_sees_the_earlier_activity_and_current_step_but_no_notes_before_consent(
    client, world
):
    new = hand_over(world)
    client.force_login(world.people["other_coach"])
    page = client.get(reverse("coaching:coachee", args=[new.pk])).content.decode()
    assert world.own.step.title in page  # the current step, carried on
    assert "You took this coaching on from Coach a1" in page
    assert "See what happened in the earlier coaching" in page
    assert SECRET_NOTE not in page
    earlier = client.get(reverse("coaching:earlier_record", args=[new.pk])).content.decode()
    assert "has not agreed to share the notes" in earlier and SECRET_NOTE not in earlier
    assert "With Coach a1" in earlier
    assert f"{world.own.dropin.visited_on:%-d %b %Y}" in earlier  # when the drop-in was
    assert world.own.step.title in earlier and "Carried on with a new coach" in earlier
    assert (
        client.get(reverse("coaching:dropin_detail", args=[world.own.dropin.pk])).status_code == 404
    )
    assert (
        client.get(reverse("coaching:rehearsal_log", args=[world.own.rehearsal.pk])).status_code
        == 404
    )
    with scopes_disabled():
        assert not AuditEvent.objects.filter(
            verb="read", actor=world.people["other_coach"], target_id=str(world.own.relationship.pk)
        ).exists()


def test_after_the_teacher_consents_the_new_coach_reads_the_earlier_notes_and_it_is_audited(
    client, world
):
    new = hand_over(world)
    client.force_login(world.own.teacher)
    home = client.get(reverse("coaching:teacher_home")).content.decode()
    assert "Your coach has changed" in home  # a handover keeps its own title
    assert "Your new coach is Another Coach. Let them read your earlier coaching notes?" in home
    assert home.count(f"<strong>{world.own.step.title}</strong>") == 1  # set once, carried on
    response = client.post(
        reverse("coaching:earlier_consent", args=[new.pk]), {"answer": "agree"}, follow=True
    )
    assert "Another Coach can now read your earlier coaching notes." in response.content.decode()
    assert fresh(Relationship, new.pk).earlier_content_consented_at is not None

    client.force_login(world.people["other_coach"])
    coachee = client.get(reverse("coaching:coachee", args=[new.pk])).content.decode()
    assert "Read the earlier coaching notes" in coachee
    earlier = client.get(reverse("coaching:earlier_record", args=[new.pk])).content.decode()
    assert SECRET_NOTE in earlier and world.own.rehearsal.plan in earlier
    detail = client.get(reverse("coaching:dropin_detail", args=[world.own.dropin.pk]))
    assert detail.status_code == 200 and SECRET_NOTE in detail.content.decode()
    with scopes_disabled():
        reads = set(
            AuditEvent.objects.filter(
                verb="read", actor=world.people["other_coach"], subject=world.own.teacher
            ).values_list("target_type", "target_id")
        )
    assert ("coaching.relationship", str(world.own.relationship.pk)) in reads
    assert ("coaching.dropin", str(world.own.dropin.pk)) in reads
    client.force_login(world.own.teacher)
    audit = client.get(reverse("coaching:my_audit")).content.decode()
    assert "your earlier coaching notes, from before your coach changed" in audit
    # The new coach still cannot change the earlier record.
    client.force_login(world.people["other_coach"])
    assert (
        client.get(reverse("coaching:dropin_edit", args=[world.own.dropin.pk])).status_code == 404
    )


def test_the_teacher_can_say_not_now_and_later_stop_sharing(client, world):
    new = hand_over(world)
    url = reverse("coaching:earlier_consent", args=[new.pk])
    client.force_login(world.own.teacher)
    page = client.get(url).content.decode()
    assert "Let them read your earlier coaching notes?" in page
    client.post(url, {"answer": "not_now"})
    assert fresh(Relationship, new.pk).earlier_content_consented_at is None
    client.post(url, {"answer": "agree"})
    assert fresh(Relationship, new.pk).earlier_content_consented_at is not None
    home = client.get(reverse("coaching:teacher_home")).content.decode()
    assert "Another Coach can read your earlier coaching notes." in home
    assert "Let them read your earlier coaching notes?" not in home
    response = client.post(url, {"answer": "withdraw"}, follow=True)
    assert "can no longer read your earlier coaching notes" in response.content.decode()
    assert fresh(Relationship, new.pk).earlier_content_consented_at is None
    client.force_login(world.people["other_coach"])
    earlier = client.get(reverse("coaching:earlier_record", args=[new.pk])).content.decode()
    assert SECRET_NOTE not in earlier
    with scopes_disabled():
        verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert "relationship.earlier_content_shared" in verbs
    assert "relationship.earlier_content_withdrawn" in verbs


def test_only_the_teacher_answers_and_only_for_coaching_that_was_handed_over(world):
    new = hand_over(world)
    viewer = viewer_for(world.people["other_coach"])
    with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
        earlier_content_consent_give(viewer=viewer, relationship=new)
    teacher = viewer_for(world.other_school.teacher)
    with trust_scope(teacher.trust), pytest.raises(PermissionDenied):
        earlier_content_consent_give(viewer=teacher, relationship=world.other_school.relationship)
    with trust_scope(teacher.trust), pytest.raises(PermissionDenied):
        earlier_content_consent_withdraw(
            viewer=teacher, relationship=world.other_school.relationship
        )


def test_consent_covers_the_whole_chain_of_earlier_coaching(client, world):
    with scopes_disabled():
        third = UserFactory(full_name="Third Coach")
        MembershipFactory(user=third, school=world.own.school, role=Role.COACH)
    second = hand_over(world)
    latest = hand_over(world, relationship=second, coach=third)
    consent(world, latest)
    client.force_login(third)
    earlier = client.get(reverse("coaching:earlier_record", args=[latest.pk])).content.decode()
    assert "With Coach a1" in earlier and "With Another Coach" in earlier
    assert SECRET_NOTE in earlier
    # Another Coach, handed over in turn, no longer reads the first coach's notes.
    client.force_login(world.people["other_coach"])
    assert (
        client.get(reverse("coaching:dropin_detail", args=[world.own.dropin.pk])).status_code == 404
    )


# -- what the old coach keeps -----------------------------------------------------------------


def test_the_old_coach_reads_but_cannot_write_after_a_handover_then_reads_nothing(client, world):
    hand_over(world)
    old = world.own.relationship
    viewer = viewer_for(world.own.coach)
    with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
        action_step_set(viewer=viewer, relationship=old, title="Too late", success_looks_like="-")
    client.force_login(world.own.coach)
    record = reverse("coaching:coachee", args=[old.pk])
    page = client.get(record)
    assert page.status_code == 200 and "Record a drop-in" not in page.content.decode()
    detail = client.get(reverse("coaching:dropin_detail", args=[world.own.dropin.pk]))
    assert detail.status_code == 200 and SECRET_NOTE in detail.content.decode()
    assert client.get(reverse("coaching:dropin_new", args=[old.pk])).status_code == 404
    # The school's period (30 days) passes.
    with scopes_disabled():
        Relationship.objects.filter(pk=old.pk).update(
            started_on=days(-100), finished_on=days(-31), coach_reads_until=days(-1)
        )
    assert client.get(record).status_code == 404
    assert (
        client.get(reverse("coaching:dropin_detail", args=[world.own.dropin.pk])).status_code == 404
    )


# -- the lead's pages -------------------------------------------------------------------------


def test_a_lead_hands_coaching_over_in_the_browser(client, world):
    client.force_login(world.people["coaching_lead"])
    url = reverse("coaching:relationship_handover", args=[world.own.relationship.pk])
    page = client.get(url).content.decode()
    assert "Another Coach" in page and world.own.step.title in page
    assert ">Coach a1 (" not in page  # the coach now is not offered
    response = client.post(url, {"coach": world.people["other_coach"].pk}, follow=True)
    html = response.content.decode()
    assert "Another Coach now coaches Teacher a1" in html
    assert "(handed over)" in html and SECRET_NOTE not in html
    with scopes_disabled():
        assert Relationship.objects.filter(
            handed_over_from=world.own.relationship, coach=world.people["other_coach"]
        ).exists()


def test_choosing_no_new_coach_re_shows_the_form_and_changes_nothing(client, world):
    client.force_login(world.people["coaching_lead"])
    url = reverse("coaching:relationship_handover", args=[world.own.relationship.pk])
    response = client.post(url, {"coach": ""})
    assert response.status_code == 200 and "Choose the new coach." in response.content.decode()
    assert fresh(Relationship, world.own.relationship.pk).finished_on is None
