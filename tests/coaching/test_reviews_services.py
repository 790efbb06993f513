"""Coaches as learners, the writes: a session review against the twelve principles, sharing
it with the QA lead, and the coach's learning log."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coachloop.coaching.models import (
    CoachingGroup,
    CoachLearningEntry,
    GroupMember,
    GroupSession,
    SessionReview,
)
from coachloop.coaching.principles import BY_CODE, CODES, PRINCIPLES, Showing
from coachloop.coaching.services.reviews import (
    learning_entry_add,
    session_review_record,
    session_review_share_set,
)
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.factories import MembershipFactory, RelationshipFactory, SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def ratings(value=Showing.PARTLY, **overrides):
    given = dict.fromkeys(CODES, str(value))
    given.update(overrides)
    return given


def group_session(school, *, members, facilitator=None, met_on=None, created_by=None):
    """An action learning set in ``school`` with one session."""
    with scopes_disabled():
        group = CoachingGroup.objects.create(
            trust=school.trust,
            school=school,
            kind=CoachingGroup.Kind.ACTION_LEARNING_SET,
            name="Year 7 transition set",
            facilitator=facilitator,
            started_on=TODAY - dt.timedelta(days=60),
            created_by=created_by or members[0],
        )
        for person in members:
            GroupMember.objects.create(
                trust=school.trust,
                group=group,
                person=person,
                joined_on=TODAY - dt.timedelta(days=60),
            )
        return GroupSession.objects.create(
            trust=school.trust,
            group=group,
            met_on=met_on or TODAY - dt.timedelta(days=3),
            recorded_by=members[0],
            problem="Noticed-only-by-the-group",
        )


# -- the principles ----------------------------------------------------------------------------


def test_there_are_ten_principles_and_two_for_advanced_learning_each_with_its_own_code():
    assert len(PRINCIPLES) == 12
    assert len(set(CODES)) == 12
    assert [p.code for p in PRINCIPLES if p.advanced] == ["learning_to_learn", "workplace"]
    assert str(BY_CODE["conversation"].name) == "A learning conversation"
    assert str(BY_CODE["self_direction"].name) == "Growing self-direction"
    for principle in PRINCIPLES:
        assert principle.explanation.strip()


# -- recording a review ------------------------------------------------------------------------


def test_a_coach_reviews_a_conversation_with_their_teacher_and_it_is_private_by_default(
    world, as_viewer
):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        review = session_review_record(
            viewer=viewer,
            held_on=TODAY,
            relationship=world.own.relationship,
            ratings=ratings(conversation="strongly", workplace="not_relevant"),
            went_well="  I waited for the teacher to name the step.  ",
            try_next="Rehearse before the end.",
        )
        event = AuditEvent.objects.get(verb="session_review.recorded")
    assert review.coach == world.own.coach
    assert review.school == world.own.school
    assert review.relationship == world.own.relationship
    assert review.ratings["conversation"] == "strongly"
    assert review.ratings["workplace"] == "not_relevant"
    assert review.went_well == "I waited for the teacher to name the step."
    assert review.shared_with_qa is False
    assert (event.actor, event.target_id) == (world.own.coach, str(review.pk))


def test_a_review_says_how_far_every_principle_showed(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    partial = ratings()
    del partial["resources"]
    with scope:
        for bad in (partial, ratings(goals="brilliantly"), {**ratings(), "made_up": "partly"}):
            with pytest.raises(ValidationError) as caught:
                session_review_record(viewer=viewer, held_on=TODAY, ratings=bad)
            assert "ratings" in caught.value.message_dict
    with scopes_disabled():
        assert not SessionReview.objects.exists()


def test_a_coach_cannot_review_coaching_they_do_not_do(world, as_viewer):
    viewer, scope = as_viewer(world.people["other_coach"])
    with scope, pytest.raises(ValidationError) as caught:
        session_review_record(
            viewer=viewer, held_on=TODAY, relationship=world.own.relationship, ratings=ratings()
        )
    assert caught.value.message_dict["conversation"] == [
        "Choose coaching that you do or did yourself."
    ]


def test_a_coach_can_review_coaching_that_has_ended_but_not_after_it_ended(world, as_viewer):
    with scopes_disabled():
        ended = RelationshipFactory(
            school=world.own.school,
            coach=world.own.coach,
            teacher=world.people["other_coach"],
            started_on=TODAY - dt.timedelta(days=90),
            finished_on=TODAY - dt.timedelta(days=30),
        )
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        review = session_review_record(
            viewer=viewer,
            held_on=TODAY - dt.timedelta(days=40),
            relationship=ended,
            ratings=ratings(),
        )
        assert review.relationship == ended
        with pytest.raises(ValidationError) as caught:
            session_review_record(
                viewer=viewer, held_on=TODAY, relationship=ended, ratings=ratings()
            )
    assert caught.value.message_dict["held_on"] == ["That date is after this coaching ended."]


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        (None, "Enter the date of the conversation."),
        (TODAY + dt.timedelta(days=1), "The date cannot be in the future."),
        (TODAY - dt.timedelta(days=400), "That date is before this coaching started."),
    ],
)
def test_a_review_has_a_sensible_date(world, as_viewer, held_on, message):
    viewer, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(ValidationError) as caught:
        session_review_record(
            viewer=viewer,
            held_on=held_on,
            relationship=world.own.relationship,
            ratings=ratings(),
        )
    assert caught.value.message_dict["held_on"] == [message]


def test_a_coach_reviews_a_session_of_a_group_they_belong_to_or_facilitate_only(world, as_viewer):
    coach, other_coach = world.own.coach, world.people["other_coach"]
    theirs = group_session(world.own.school, members=[world.own.teacher, other_coach])
    facilitated = group_session(
        world.own.school, members=[world.own.teacher, other_coach], facilitator=coach
    )
    viewer, scope = as_viewer(coach)
    with scope:
        review = session_review_record(
            viewer=viewer, held_on=facilitated.met_on, group_session=facilitated, ratings=ratings()
        )
        assert (review.group_session, review.school) == (facilitated, world.own.school)
        with pytest.raises(ValidationError) as caught:
            session_review_record(
                viewer=viewer, held_on=theirs.met_on, group_session=theirs, ratings=ratings()
            )
    assert caught.value.message_dict["conversation"] == [
        "Choose a session of a group you belong to."
    ]
    member_viewer, member_scope = as_viewer(other_coach)
    with member_scope:
        assert (
            session_review_record(
                viewer=member_viewer, held_on=theirs.met_on, group_session=theirs, ratings=ratings()
            ).group_session
            == theirs
        )


def test_a_member_who_left_before_a_session_cannot_review_it(world, as_viewer):
    other_coach = world.people["other_coach"]
    session = group_session(world.own.school, members=[world.own.teacher, other_coach])
    with scopes_disabled():
        GroupMember.objects.filter(person=other_coach).update(
            left_on=session.met_on - dt.timedelta(days=1)
        )
    viewer, scope = as_viewer(other_coach)
    with scope, pytest.raises(ValidationError):
        session_review_record(
            viewer=viewer, held_on=session.met_on, group_session=session, ratings=ratings()
        )


def test_a_group_review_is_dated_the_day_the_group_met(world, as_viewer):
    session = group_session(
        world.own.school, members=[world.own.coach, world.people["other_coach"]]
    )
    viewer, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(ValidationError) as caught:
        session_review_record(
            viewer=viewer, held_on=TODAY, group_session=session, ratings=ratings()
        )
    assert "held_on" in caught.value.message_dict


def test_a_review_of_no_one_conversation_belongs_to_the_school_the_coach_coaches_in(
    world, as_viewer
):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        review = session_review_record(viewer=viewer, held_on=TODAY, ratings=ratings())
    assert review.school == world.own.school
    assert (review.relationship, review.group_session) == (None, None)


def test_a_coach_in_two_schools_says_which_school_an_unlinked_review_is_for(world, as_viewer):
    with scopes_disabled():
        second = SchoolFactory(trust=world.trust, name="School A3", slug="a3")
        MembershipFactory(user=world.own.coach, school=second, role=Role.COACH)
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        with pytest.raises(ValidationError) as caught:
            session_review_record(viewer=viewer, held_on=TODAY, ratings=ratings())
        assert "school" in caught.value.message_dict
        assert (
            session_review_record(
                viewer=viewer, held_on=TODAY, ratings=ratings(), school=second
            ).school
            == second
        )
        with pytest.raises(ValidationError) as caught:
            session_review_record(
                viewer=viewer, held_on=TODAY, ratings=ratings(), school=world.other_school.school
            )
    assert caught.value.message_dict["school"] == ["Choose a school where you coach."]


# -- sharing with the QA lead ------------------------------------------------------------------


def test_only_its_coach_can_share_a_review_or_take_it_back(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        review = session_review_record(viewer=viewer, held_on=TODAY, ratings=ratings())
        session_review_share_set(viewer=viewer, review=review, shared_with_qa=True)
        review.refresh_from_db()
        assert review.shared_with_qa
        session_review_share_set(viewer=viewer, review=review, shared_with_qa=False)
        review.refresh_from_db()
        assert not review.shared_with_qa
        verbs = list(
            AuditEvent.objects.filter(verb__startswith="session_review.")
            .order_by("pk")
            .values_list("verb", flat=True)
        )
    assert verbs == [
        "session_review.recorded",
        "session_review.shared",
        "session_review.unshared",
    ]
    lead, lead_scope = as_viewer(world.people["coaching_lead"])
    with lead_scope, pytest.raises(PermissionDenied):
        session_review_share_set(viewer=lead, review=review, shared_with_qa=True)


# -- the learning log --------------------------------------------------------------------------


def test_a_coach_adds_to_their_learning_log(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        entry = learning_entry_add(
            viewer=viewer, written_on=TODAY, title=" Reading ", body="Wait longer."
        )
        assert AuditEvent.objects.filter(verb="learning_entry.added").count() == 1
    assert (entry.coach, entry.title, entry.body) == (world.own.coach, "Reading", "Wait longer.")


def test_a_learning_log_entry_needs_a_date_a_title_and_what_was_learnt(world, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(ValidationError) as caught:
        learning_entry_add(viewer=viewer, written_on=None, title="  ", body="")
    assert set(caught.value.message_dict) == {"written_on", "title", "body"}
    with scopes_disabled():
        assert not CoachLearningEntry.objects.exists()
