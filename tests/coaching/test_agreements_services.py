"""Learning agreements: proposing versions, agreeing, what is in force, who may do either."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coachloop.coaching.models import (
    AgreementConsent,
    AgreementVersion,
    CoachingGroup,
    GroupMember,
    Relationship,
)
from coachloop.coaching.queries import agreements as queries
from coachloop.coaching.services import agreements as services
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.people.queries import viewer_for
from tests.factories import MembershipFactory, RelationshipFactory, UserFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


# -- helpers (also used by the other agreement tests) ------------------------------------------


def terms(**overrides):
    values = {
        "ground_rules": "We meet when we say we will.\nWe talk about practice, not people.",
        "confidentiality": "What we say stays between us, except a safeguarding concern.",
        "sharing": "The teacher decides what is shared, with whom and for how long.",
        "appraisal": AgreementVersion.Appraisal.SEPARATE,
        "meeting_frequency": "Every two weeks, for about an hour.",
    }
    values.update(overrides)
    return values


def propose(user, *, based_on, relationship=None, group=None, **overrides):
    viewer = viewer_for(user)
    with trust_scope(viewer.trust):
        return services.agreement_propose(
            viewer=viewer,
            based_on=based_on,
            relationship=relationship,
            group=group,
            **terms(**overrides),
        )


def agree(user, version):
    viewer = viewer_for(user)
    with trust_scope(viewer.trust):
        return services.agreement_agree(viewer=viewer, version=version)


def fresh(version):
    with scopes_disabled():
        return AgreementVersion.objects.get(pk=version.pk)


def make_group(school, people, *, kind=CoachingGroup.Kind.ACTION_LEARNING_SET, created_by=None):
    with scopes_disabled():
        group = CoachingGroup.objects.create(
            trust=school.trust,
            school=school,
            kind=kind,
            name="Year 7 action learning set",
            started_on=TODAY - dt.timedelta(days=30),
            created_by=created_by or people[0],
        )
        for person in people:
            GroupMember.objects.create(
                trust=school.trust, group=group, person=person, joined_on=group.started_on
            )
    return group


def colleague(school, name, role=Role.TEACHER):
    with scopes_disabled():
        user = UserFactory(full_name=name)
        MembershipFactory(user=user, school=school, trust=school.trust, role=role)
    return user


def co_coaching(school, first, second):
    """Two peers, each coach to the other: two relationships pointing at each other."""
    with scopes_disabled():
        one = RelationshipFactory(
            school=school, coach=first, teacher=second, kind=Relationship.Kind.CO_COACHING
        )
        other = RelationshipFactory(
            school=school,
            coach=second,
            teacher=first,
            kind=Relationship.Kind.CO_COACHING,
            peer=one,
        )
        one.peer = other
        one.save(update_fields=["peer"])
    return one, other


# -- proposing and agreeing --------------------------------------------------------------------


def test_proposing_the_first_version_records_the_proposers_agreement_but_not_in_force(world):
    version = propose(world.own.coach, relationship=world.own.relationship, based_on=0)
    assert version.number == 1
    assert version.in_force_from is None
    with scopes_disabled():
        assert list(
            AgreementConsent.objects.filter(version=version).values_list("person", flat=True)
        ) == [world.own.coach.pk]
        assert AuditEvent.objects.filter(
            verb="agreement.proposed", target_id=str(version.pk), subject=world.own.teacher
        ).exists()


def test_a_version_is_in_force_once_the_teacher_agrees_too(world):
    version = propose(world.own.coach, relationship=world.own.relationship, based_on=0)
    agree(world.own.teacher, version)
    stored = fresh(version)
    assert stored.in_force_from is not None
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            verb="agreement.agreed", target_id=str(version.pk)
        ).exists()


def test_a_change_is_not_in_force_until_all_agree_and_the_old_version_stays_in_force(world):
    first = propose(world.own.teacher, relationship=world.own.relationship, based_on=0)
    agree(world.own.coach, first)
    second = propose(
        world.own.coach,
        relationship=world.own.relationship,
        based_on=1,
        meeting_frequency="Every week, for half an hour.",
    )
    assert second.number == 2
    assert fresh(second).in_force_from is None
    viewer = viewer_for(world.own.teacher)
    with trust_scope(viewer.trust):
        agreement = queries.relationship_agreement(viewer, world.own.relationship.pk)
    assert agreement.in_force.number == 1
    assert agreement.waiting.number == 2
    assert agreement.needs_my_agreement
    assert [p.pk for p in agreement.waiting_for] == [world.own.teacher.pk]
    assert agreement.waiting.changed == ["meeting_frequency"]

    agree(world.own.teacher, second)
    with trust_scope(viewer.trust):
        agreement = queries.relationship_agreement(viewer, world.own.relationship.pk)
    assert agreement.in_force.number == 2
    assert agreement.waiting is None


def test_older_versions_stay_readable_with_who_agreed_when(world):
    first = propose(world.own.teacher, relationship=world.own.relationship, based_on=0)
    agree(world.own.coach, first)
    second = propose(
        world.own.coach, relationship=world.own.relationship, based_on=1, sharing="Nothing."
    )
    agree(world.own.teacher, second)
    viewer = viewer_for(world.own.teacher)
    with trust_scope(viewer.trust):
        agreement = queries.relationship_agreement(viewer, world.own.relationship.pk)
        old = queries.version_of(viewer, agreement, 1)
    assert old.state == queries.EARLIER
    assert old.until == fresh(second).in_force_from
    assert old.sharing == terms()["sharing"]
    assert {c.person_id for c in old.consent_list} == {world.own.teacher.pk, world.own.coach.pk}
    assert all(c.agreed_at for c in old.consent_list)


def test_a_version_replaced_before_everyone_agreed_is_never_in_force(world):
    first = propose(world.own.teacher, relationship=world.own.relationship, based_on=0)
    propose(world.own.coach, relationship=world.own.relationship, based_on=1, sharing="Less.")
    with pytest.raises(ValidationError, match="Version 2 has been proposed since"):
        agree(world.own.coach, first)
    viewer = viewer_for(world.own.teacher)
    with trust_scope(viewer.trust):
        agreement = queries.relationship_agreement(viewer, world.own.relationship.pk)
    assert [v.state for v in agreement.versions] == [queries.WAITING, queries.REPLACED]
    assert agreement.in_force is None


def test_agreeing_twice_is_refused_and_changes_nothing(world):
    version = propose(world.own.coach, relationship=world.own.relationship, based_on=0)
    with pytest.raises(ValidationError, match="already agreed"):
        agree(world.own.coach, version)
    with scopes_disabled():
        assert AgreementConsent.objects.filter(version=version).count() == 1
    assert fresh(version).in_force_from is None


def test_a_proposal_the_same_as_the_latest_version_is_refused(world):
    propose(world.own.coach, relationship=world.own.relationship, based_on=0)
    with pytest.raises(ValidationError, match="same as version 1"):
        propose(world.own.teacher, relationship=world.own.relationship, based_on=1)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ground_rules", "   ", "Enter the ground rules."),
        ("confidentiality", "", "Say what stays confidential."),
        ("sharing", "x" * 4001, "4000 characters or fewer"),
        ("meeting_frequency", "x" * 201, "200 characters or fewer"),
        ("appraisal", "shared_with_the_head", "Choose how this relates to appraisal."),
    ],
)
def test_bad_terms_are_refused_field_by_field_and_nothing_is_stored(world, field, value, message):
    with pytest.raises(ValidationError) as error:
        propose(world.own.coach, relationship=world.own.relationship, based_on=0, **{field: value})
    assert message in " ".join(error.value.message_dict[field])
    with scopes_disabled():
        assert not AgreementVersion.objects.exists()


def test_appraisal_is_kept_apart_by_default_in_the_starting_text(world):
    with scopes_disabled():
        start = services.agreement_starting_terms(relationship=world.own.relationship)
    assert start["appraisal"] == AgreementVersion.Appraisal.SEPARATE
    assert all(start[name].strip() for name in services.TERMS)


def test_the_starting_text_follows_the_rhythm_of_a_mentoring_relationship(world):
    relationship = Relationship(kind=Relationship.Kind.MENTORING, cadence_days=14)
    assert services.agreement_starting_terms(relationship=relationship)[
        "meeting_frequency"
    ].startswith("Every two weeks")


# -- a proposal based on an out-of-date version ------------------------------------------------


def test_a_proposal_based_on_an_out_of_date_version_gets_a_clear_message(world):
    first = propose(world.own.coach, relationship=world.own.relationship, based_on=0)
    agree(world.own.teacher, first)
    propose(world.own.coach, relationship=world.own.relationship, based_on=1, sharing="Less.")
    with pytest.raises(ValidationError) as error:
        propose(world.own.teacher, relationship=world.own.relationship, based_on=1, sharing="More.")
    assert "Someone proposed version 2 of the agreement while you were writing" in str(error.value)
    with scopes_disabled():
        assert sorted(
            AgreementVersion.objects.filter(relationship=world.own.relationship).values_list(
                "number", flat=True
            )
        ) == [1, 2]
        assert AgreementVersion.objects.get(number=2).sharing == "Less."


@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="this database has no row locks"
)
def test_a_proposal_locks_the_relationships_row_first(world):
    viewer = viewer_for(world.own.coach)
    with trust_scope(viewer.trust), CaptureQueriesContext(connection) as captured:
        services.agreement_propose(
            viewer=viewer, relationship=world.own.relationship, based_on=0, **terms()
        )
    locks = [q["sql"] for q in captured if "FOR UPDATE" in q["sql"]]
    assert locks and "coaching_relationship" in locks[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="this database has no row locks"
)
def test_two_parties_proposing_at_once_make_one_new_version_and_one_clear_refusal():
    world = build_world()
    results, start = [], threading.Barrier(2)

    def go(user, sharing):
        try:
            start.wait()
            results.append(
                propose(user, relationship=world.own.relationship, based_on=0, sharing=sharing)
            )
        except ValidationError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=go, args=(world.own.coach, "Coach's words")),
        threading.Thread(target=go, args=(world.own.teacher, "Teacher's words")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(refusals) == 1
    assert "while you were writing" in str(refusals[0])
    with scopes_disabled():
        assert list(AgreementVersion.objects.values_list("number", flat=True)) == [1]


# -- co-coaching: one agreement for the pair ---------------------------------------------------


def test_co_coaching_peers_share_one_agreement_on_the_lower_row(world):
    first = colleague(world.own.school, "Peer One")
    second = colleague(world.own.school, "Peer Two")
    one, other = co_coaching(world.own.school, first, second)
    version = propose(second, relationship=other, based_on=0)
    assert version.relationship_id == min(one.pk, other.pk)
    agree(first, version)
    assert fresh(version).in_force_from is not None
    for user, row in ((first, one), (second, other), (first, other)):
        viewer = viewer_for(user)
        with trust_scope(viewer.trust):
            found = queries.relationship_agreement(viewer, row.pk)
        assert found.in_force.pk == version.pk
    with scopes_disabled():
        assert not AuditEvent.objects.filter(verb="read").exists()


# -- groups ------------------------------------------------------------------------------------


def test_a_group_agreement_needs_every_current_member(world):
    third = colleague(world.own.school, "Third Member")
    group = make_group(world.own.school, [world.own.teacher, world.own.coach, third])
    version = propose(world.own.teacher, group=group, based_on=0)
    agree(world.own.coach, version)
    assert fresh(version).in_force_from is None
    agree(third, version)
    assert fresh(version).in_force_from is not None


def _agreed_by_all_but_one_who_left(world):
    """A group of four whose version everyone agreed to but the fourth, who then left."""
    third = colleague(world.own.school, "Third Member")
    fourth = colleague(world.own.school, "Fourth Member")
    group = make_group(world.own.school, [world.own.teacher, world.own.coach, third, fourth])
    version = propose(world.own.teacher, group=group, based_on=0)
    agree(world.own.coach, version)
    agree(third, version)
    with scopes_disabled():
        GroupMember.objects.filter(group=group, person=fourth).update(left_on=TODAY)
    return group, version, fourth


def test_a_member_who_left_is_not_needed_and_no_longer_reads_the_agreement(world):
    group, version, fourth = _agreed_by_all_but_one_who_left(world)
    viewer = viewer_for(world.own.teacher)
    with trust_scope(viewer.trust):
        agreement = queries.group_agreement(viewer, group.pk)
        assert agreement.can_confirm
    agree(world.own.teacher, version)
    assert fresh(version).in_force_from is not None
    with pytest.raises(PermissionDenied):
        propose(fourth, group=group, based_on=1, sharing="Changed by someone who left.")
    viewer = viewer_for(fourth)
    with trust_scope(viewer.trust), pytest.raises(Http404):
        queries.group_agreement(viewer, group.pk)


def test_a_member_who_agreed_can_bring_a_version_into_force_after_someone_left(world):
    _group, version, _fourth = _agreed_by_all_but_one_who_left(world)
    agree(world.own.teacher, version)
    assert fresh(version).in_force_from is not None


def test_someone_who_joins_later_can_add_their_agreement_to_the_version_in_force(world):
    third = colleague(world.own.school, "Third Member")
    group = make_group(world.own.school, [world.own.teacher, world.own.coach, third])
    version = propose(world.own.teacher, group=group, based_on=0)
    agree(world.own.coach, version)
    agree(third, version)
    in_force_from = fresh(version).in_force_from
    late = colleague(world.own.school, "Late Joiner")
    with scopes_disabled():
        GroupMember.objects.create(trust=group.trust, group=group, person=late, joined_on=TODAY)
    agree(late, version)
    assert fresh(version).in_force_from == in_force_from
    with scopes_disabled():
        assert AgreementConsent.objects.filter(version=version).count() == 4


def test_a_finished_group_agreement_can_be_read_but_not_changed(world):
    group = make_group(
        world.own.school, [world.own.teacher, world.own.coach], kind=CoachingGroup.Kind.DYAD
    )
    version = propose(world.own.teacher, group=group, based_on=0)
    with scopes_disabled():
        CoachingGroup.objects.filter(pk=group.pk).update(finished_on=TODAY)
    with pytest.raises(PermissionDenied):
        agree(world.own.coach, version)
    viewer = viewer_for(world.own.coach)
    with trust_scope(viewer.trust):
        agreement = queries.group_agreement(viewer, group.pk)
    assert not agreement.can_change and agreement.latest.pk == version.pk


# -- who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["other_coach", "coaching_lead", "headteacher", "trust_lead", "administrator"]
)
def test_someone_who_is_not_a_party_cannot_propose_or_agree(world, persona):
    version = propose(world.own.coach, relationship=world.own.relationship, based_on=0)
    with pytest.raises(PermissionDenied):
        propose(world.people[persona], relationship=world.own.relationship, based_on=1)
    with pytest.raises(PermissionDenied):
        agree(world.people[persona], version)
    assert fresh(version).in_force_from is None


def test_a_non_member_cannot_propose_or_agree_for_a_group(world):
    group = make_group(
        world.own.school, [world.own.teacher, world.own.coach], kind=CoachingGroup.Kind.DYAD
    )
    version = propose(world.own.teacher, group=group, based_on=0)
    for persona in ("other_coach", "coaching_lead"):
        with pytest.raises(PermissionDenied):
            agree(world.people[persona], version)
        with pytest.raises(PermissionDenied):
            propose(world.people[persona], group=group, based_on=1, sharing="Everything.")


def test_a_former_coach_may_read_but_not_propose_or_agree(world):
    version = propose(world.own.teacher, relationship=world.own.relationship, based_on=0)
    with scopes_disabled():
        Relationship.objects.filter(pk=world.own.relationship.pk).update(finished_on=TODAY)
    with pytest.raises(PermissionDenied):
        agree(world.own.coach, version)
    with pytest.raises(PermissionDenied):
        propose(world.own.coach, relationship=world.own.relationship, based_on=1, sharing="x")
    viewer = viewer_for(world.own.coach)
    with trust_scope(viewer.trust):
        agreement = queries.relationship_agreement(viewer, world.own.relationship.pk)
    assert not agreement.can_change
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            verb="read", actor=world.own.coach, subject=world.own.teacher
        ).exists()


def test_a_coach_reading_the_agreement_is_in_the_teachers_audit_trail_but_not_the_teacher(
    world,
):
    propose(world.own.teacher, relationship=world.own.relationship, based_on=0)
    for user in (world.own.teacher, world.own.coach):
        viewer = viewer_for(user)
        with trust_scope(viewer.trust):
            queries.relationship_agreement(viewer, world.own.relationship.pk)
    with scopes_disabled():
        reads = list(AuditEvent.objects.filter(verb="read").values_list("actor", "subject"))
    assert reads == [(world.own.coach.pk, world.own.teacher.pk)]


# -- lists and activity ------------------------------------------------------------------------


def test_my_agreements_show_what_waits_for_me(world):
    group = make_group(
        world.own.school, [world.own.teacher, world.own.coach], kind=CoachingGroup.Kind.DYAD
    )
    propose(world.own.coach, relationship=world.own.relationship, based_on=0)
    propose(world.own.teacher, group=group, based_on=0)
    viewer = viewer_for(world.own.teacher)
    with trust_scope(viewer.trust):
        rows = queries.my_agreements(viewer)
        waiting = queries.agreements_waiting_for(viewer)
    assert [(r.title, r.waiting_for_me) for r in rows] == [
        (world.own.coach.full_name, True),
        (group.name, False),
    ]
    assert [r.title for r in waiting] == [world.own.coach.full_name]


def test_a_coaching_lead_sees_only_whether_agreements_are_agreed_or_waiting(world):
    first = propose(world.own.coach, relationship=world.own.relationship, based_on=0)
    viewer = viewer_for(world.people["coaching_lead"])
    with trust_scope(viewer.trust):
        assert queries.agreement_states(viewer, school=world.own.school) == {
            world.own.relationship.pk: queries.WAITING_FOR_AGREEMENT
        }
    agree(world.own.teacher, first)
    with trust_scope(viewer.trust):
        assert queries.agreement_states(viewer, school=world.own.school) == {
            world.own.relationship.pk: queries.AGREED
        }


def test_a_proposal_based_on_a_version_that_does_not_exist_is_refused(world):
    with pytest.raises(ValidationError, match="Open the agreement again"):
        propose(world.own.coach, relationship=world.own.relationship, based_on=3)
    with scopes_disabled():
        assert not AgreementVersion.objects.exists()
