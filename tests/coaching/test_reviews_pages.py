"""Coaches as learners, the pages: a coach's reviews are theirs, shared ones are read by the
school's coaching leads only (and each read is shown to the coach), the learning log is the
coach's alone, and a coach can be coached themselves."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import CoachLearningEntry, SessionReview
from coachloop.coaching.principles import CODES, PRINCIPLES
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import AcademicYear, Role, Term, User
from tests.coaching.test_reviews_services import group_session
from tests.factories import (
    ActionStepFactory,
    DropInFactory,
    MembershipFactory,
    RelationshipFactory,
)
from tests.world import SECRET_NOTE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WENT_WELL = "I let the silence run until the teacher spoke first."


def text(response):
    return html.unescape(response.content.decode())


def review(records, *, shared=False, held_on=None, coach=None, **ratings):
    given = dict.fromkeys(CODES, "partly")
    given.update(ratings)
    with scopes_disabled():
        return SessionReview.objects.create(
            trust=records.school.trust,
            coach=coach or records.coach,
            school=records.school,
            relationship=records.relationship,
            held_on=held_on or TODAY,
            ratings=given,
            went_well=WENT_WELL,
            try_next="Rehearse twice.",
            shared_with_qa=shared,
            created_at=timezone.now(),
        )


def review_post(**overrides):
    data = {"held_on": TODAY.isoformat(), "conversation": "", "went_well": WENT_WELL}
    data.update({f"principle_{code}": "partly" for code in CODES})
    data.update(overrides)
    return data


# -- writing a review --------------------------------------------------------------------------


def test_a_coach_reviews_a_conversation_with_their_teacher_from_the_form(client, world):
    client.force_login(world.own.coach)
    url = reverse("coaching:review_new")
    page = text(client.get(f"{url}?conversation=r{world.own.relationship.pk}"))
    assert "Teacher a1 (Instructional coaching)" in page
    assert f'<option value="r{world.own.relationship.pk}" selected>' in page
    for principle in PRINCIPLES:
        assert str(principle.name) in page
    response = client.post(
        url,
        review_post(
            conversation=f"r{world.own.relationship.pk}",
            principle_conversation="strongly",
            shared_with_qa="on",
        ),
    )
    with scopes_disabled():
        saved = SessionReview.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("coaching:review_detail", args=[saved.pk])
    assert saved.relationship == world.own.relationship
    assert saved.ratings["conversation"] == "strongly"
    assert saved.shared_with_qa
    page = text(client.get(response.url))
    assert "Review saved and shared with your QA lead." in page
    assert WENT_WELL in page


def test_a_review_of_a_group_session_starts_on_the_day_the_group_met(client, world):
    session = group_session(
        world.own.school, members=[world.own.coach, world.people["other_coach"]]
    )
    client.force_login(world.own.coach)
    url = reverse("coaching:review_new")
    page = text(client.get(f"{url}?conversation=g{session.pk}"))
    assert f'<option value="g{session.pk}" selected>' in page
    assert f'value="{session.met_on.isoformat()}"' in page
    response = client.post(url, review_post(conversation=f"g{session.pk}"))
    assert response.status_code == 200
    assert "The group met on a different date: use that date." in text(response)
    response = client.post(
        url, review_post(conversation=f"g{session.pk}", held_on=session.met_on.isoformat())
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert SessionReview.objects.get().group_session == session
    page = text(client.get(response.url))
    assert "Year 7 transition set, session of" in page
    assert "Noticed-only-by-the-group" not in page  # the session's own notes never show


def test_the_form_offers_only_the_coachs_own_coaching(client, world):
    client.force_login(world.own.coach)
    page = text(client.get(reverse("coaching:review_new")))
    assert "Teacher a1" in page
    assert "Teacher a2" not in page and "Teacher b1" not in page
    response = client.post(
        reverse("coaching:review_new"),
        review_post(conversation=f"r{world.other_school.relationship.pk}"),
    )
    assert response.status_code == 200
    assert "Choose a conversation from the list." in text(response)
    with scopes_disabled():
        assert not SessionReview.objects.exists()


def test_a_review_missing_a_principle_is_shown_again_with_the_reason(client, world):
    client.force_login(world.own.coach)
    data = review_post()
    del data["principle_goals"]
    response = client.post(reverse("coaching:review_new"), data)
    assert response.status_code == 200
    assert "Say how far it showed: Setting challenging and personal goals." in text(response)
    with scopes_disabled():
        assert not SessionReview.objects.exists()


def test_a_review_never_shows_the_teachers_coaching_notes(client, world):
    saved = review(world.own, shared=True)
    for persona in ("coach", "coaching_lead"):
        client.force_login(world.people[persona])
        response = client.get(reverse("coaching:review_detail", args=[saved.pk]))
        assert response.status_code == 200
        assert SECRET_NOTE not in text(response)
        assert "Teacher a1" in text(response)


# -- who reads a review ------------------------------------------------------------------------


def test_a_private_review_is_read_by_its_coach_only(client, world):
    saved = review(world.own)
    url = reverse("coaching:review_detail", args=[saved.pk])
    client.force_login(world.own.coach)
    assert client.get(url).status_code == 200
    for persona in ("teacher", "other_coach", "coaching_lead", "headteacher", "trust_lead"):
        client.force_login(world.people[persona])
        assert client.get(url).status_code == 404, persona


def test_a_review_shared_with_qa_is_read_by_the_schools_coaching_leads_and_nobody_else(
    client, world
):
    saved = review(world.own, shared=True)
    url = reverse("coaching:review_detail", args=[saved.pk])
    client.force_login(world.people["coaching_lead"])
    page = text(client.get(url))
    assert WENT_WELL in page and "Session review by Coach a1" in page
    for persona in ("teacher", "other_coach", "headteacher", "trust_lead", "administrator"):
        client.force_login(world.people[persona])
        assert client.get(url).status_code == 404, persona
    with scopes_disabled():
        other_lead = User.objects.get(email="lead-a2@example.org")
    client.force_login(other_lead)
    assert client.get(url).status_code == 404


def test_the_coach_sees_when_their_qa_lead_read_a_shared_review(client, world):
    saved = review(world.own, shared=True)
    client.force_login(world.people["coaching_lead"])
    client.get(reverse("coaching:review_detail", args=[saved.pk]))
    with scopes_disabled():
        event = AuditEvent.objects.get(verb="read", subject=world.own.coach)
    assert event.actor == world.people["coaching_lead"]
    assert event.target_type == "coaching.sessionreview"
    client.force_login(world.own.coach)
    client.get(reverse("coaching:review_detail", args=[saved.pk]))
    page = text(client.get(reverse("coaching:my_audit")))
    assert "Lead A1" in page
    with scopes_disabled():  # the coach's own read is not
        assert not AuditEvent.objects.filter(verb="read", actor=world.own.coach).exists()


def test_the_teacher_sees_when_a_lead_read_a_review_of_a_conversation_with_them(client, world):
    saved = review(world.own, shared=True)
    client.force_login(world.people["coaching_lead"])
    client.get(reverse("coaching:review_detail", args=[saved.pk]))
    with scopes_disabled():
        event = AuditEvent.objects.get(verb="read", subject=world.own.teacher)
    assert event.actor == world.people["coaching_lead"]
    assert (event.target_type, event.target_id) == ("coaching.sessionreview", str(saved.pk))
    client.force_login(world.own.teacher)
    page = " ".join(re.sub(r"<[^>]+>", " ", text(client.get(reverse("coaching:my_audit")))).split())
    assert "Lead A1 (a coaching lead at your school)" in page
    assert "your coach’s review of a conversation with you, shared for quality assurance" in page


def test_a_coach_who_stops_sharing_hides_the_review_from_the_lead_at_once(client, world):
    saved = review(world.own, shared=True)
    url = reverse("coaching:review_detail", args=[saved.pk])
    client.force_login(world.own.coach)
    response = client.post(reverse("coaching:review_share", args=[saved.pk]), {})
    assert response.status_code == 302
    assert "No longer shared" in text(client.get(url))
    client.force_login(world.people["coaching_lead"])
    assert client.get(url).status_code == 404
    client.force_login(world.own.coach)
    client.post(reverse("coaching:review_share", args=[saved.pk]), {"shared_with_qa": "on"})
    client.force_login(world.people["coaching_lead"])
    assert client.get(url).status_code == 200


def test_nobody_but_the_coach_can_share_their_review(client, world):
    saved = review(world.own)
    client.force_login(world.people["other_coach"])
    response = client.post(
        reverse("coaching:review_share", args=[saved.pk]), {"shared_with_qa": "on"}
    )
    assert response.status_code == 404
    with scopes_disabled():
        saved.refresh_from_db()
    assert not saved.shared_with_qa


def test_the_lead_lists_the_reviews_shared_in_their_school_only(client, world):
    shared = review(world.own, shared=True)
    private = review(world.own, held_on=TODAY - dt.timedelta(days=1))
    elsewhere = review(world.other_school, shared=True)
    client.force_login(world.people["coaching_lead"])
    page = text(client.get(reverse("coaching:reviews_shared", args=[world.own.school.slug])))
    assert reverse("coaching:review_detail", args=[shared.pk]) in page
    assert reverse("coaching:review_detail", args=[private.pk]) not in page
    assert reverse("coaching:review_detail", args=[elsewhere.pk]) not in page
    assert WENT_WELL not in page  # the list names who and when; reading one is audited
    with scopes_disabled():
        assert not AuditEvent.objects.filter(verb="read").exists()


# -- a coach's own list and counts -------------------------------------------------------------


def test_the_review_list_shows_only_the_coachs_own_reviews(client, world):
    mine = review(world.own)
    theirs = review(world.own, coach=world.people["other_coach"])
    client.force_login(world.own.coach)
    page = text(client.get(reverse("coaching:reviews")))
    assert reverse("coaching:review_detail", args=[mine.pk]) in page
    assert reverse("coaching:review_detail", args=[theirs.pk]) not in page


def test_the_review_list_counts_how_often_each_principle_showed_term_by_term(client, world):
    with scopes_disabled():
        year = AcademicYear.objects.create(
            trust=world.trust,
            name="This year",
            starts_on=TODAY - dt.timedelta(days=200),
            ends_on=TODAY + dt.timedelta(days=100),
        )
        for name, starts in (("Earlier term", 200), ("Last term", 100), ("This term", 20)):
            Term.objects.create(
                trust=world.trust,
                academic_year=year,
                name=name,
                starts_on=TODAY - dt.timedelta(days=starts),
                ends_on=TODAY - dt.timedelta(days=starts - 15),
            )
    # Last term (one in its holiday still counts in it); this term; before any term.
    review(world.own, held_on=TODAY - dt.timedelta(days=95), goals="strongly")
    review(world.own, held_on=TODAY - dt.timedelta(days=50), goals="not_this_time")
    review(world.own, held_on=TODAY - dt.timedelta(days=10), goals="partly")
    review(world.own, held_on=TODAY - dt.timedelta(days=5), goals="not_relevant")
    review(world.own, held_on=TODAY - dt.timedelta(days=300), goals="strongly")
    client.force_login(world.own.coach)
    response = client.get(reverse("coaching:reviews"))
    counts = response.context["counts"]
    assert counts.review_count == 5
    assert [p.reviews for p in counts.periods] == [1, 2, 2]
    assert counts.periods[1].label == "Last term This year"
    goals = next(row for row in counts.rows if row.principle.code == "goals")
    assert goals.counts == [1, 1, 1]
    assert goals.total == 3
    conversation = next(row for row in counts.rows if row.principle.code == "conversation")
    assert (conversation.counts, conversation.total) == ([1, 2, 2], 5)
    assert "Times each principle showed, by term" in text(response)


def test_a_teacher_or_leader_has_no_review_pages(client, world):
    for persona in ("teacher", "coaching_lead", "headteacher"):
        client.force_login(world.people[persona])
        assert client.get(reverse("coaching:reviews")).status_code == 403
        assert client.get(reverse("coaching:learning_log")).status_code == 403


# -- the learning log --------------------------------------------------------------------------


def test_a_coach_keeps_a_learning_log_that_only_they_can_read(client, world):
    client.force_login(world.own.coach)
    response = client.post(
        reverse("coaching:learning_log_new"),
        {"written_on": TODAY.isoformat(), "title": "Coach training", "body": "Pause longer."},
    )
    assert response.status_code == 302
    assert response.url == reverse("coaching:learning_log")
    page = text(client.get(response.url))
    assert "Coach training" in page and "Pause longer." in page
    client.force_login(world.people["other_coach"])
    page = text(client.get(reverse("coaching:learning_log")))
    assert "Coach training" not in page and "Pause longer." not in page
    for persona in ("coaching_lead", "headteacher", "trust_lead", "administrator"):
        client.force_login(world.people[persona])
        for route in ("coaching:learning_log", "coaching:reviews", "coaching:my_audit"):
            response = client.get(reverse(route))
            assert "Pause longer." not in text(response), (persona, route)


def test_a_log_entry_without_a_title_is_shown_again_and_nothing_is_saved(client, world):
    client.force_login(world.own.coach)
    response = client.post(
        reverse("coaching:learning_log_new"),
        {"written_on": TODAY.isoformat(), "title": "", "body": "Pause longer."},
    )
    assert response.status_code == 200
    assert "Give the entry a title." in text(response)
    with scopes_disabled():
        assert not CoachLearningEntry.objects.exists()


# -- coaches can themselves be coached ---------------------------------------------------------


def test_a_coach_who_is_coached_sees_their_own_coaching_on_my_development_and_their_coachees(
    client, world
):
    coach = world.own.coach
    with scopes_disabled():
        MembershipFactory(user=coach, school=world.own.school, role=Role.TEACHER)
        coaching_the_coach = RelationshipFactory(
            school=world.own.school, coach=world.people["other_coach"], teacher=coach
        )
        ActionStepFactory(
            relationship=coaching_the_coach, title="Ask one question, then wait ten seconds"
        )
        DropInFactory(relationship=coaching_the_coach, strengths="You let the teacher lead.")
    client.force_login(coach)
    mine = text(client.get(reverse("coaching:teacher_home")))
    assert "Ask one question, then wait ten seconds" in mine
    assert "My development" in mine and "My teachers" in mine
    coachees = text(client.get(reverse("coaching:coach_home")))
    assert "Teacher a1" in coachees
    assert "Ask one question, then wait ten seconds" not in coachees
