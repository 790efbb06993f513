"""Claims: each marker holds their own slot, so the two markers mark in parallel; a claim can be
given up; what a marker typed is kept when they save it to finish later, and a refused mark
keeps the typed form on the page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.programmes.models import Mark, MarkClaim, Submission
from coachloop.programmes.services.claims import (
    claim_give_up,
    mark_draft_save,
    submission_claim,
)
from coachloop.programmes.services.markers import marker_replace
from tests.programmes.fixtures import main_content
from tests.programmes.test_marking import ON_TIME, fresh, mark, submit
from tests.programmes.test_pages_marking import staff_member

pytestmark = pytest.mark.django_db


def claim(pw, person, submission, now=ON_TIME):
    return submission_claim(viewer=pw.as_(person), submission=submission, now=now)


def test_both_markers_claim_their_own_slot_and_mark_in_parallel(programme):
    submission = submit(programme)
    tutor_claim = claim(programme, programme.tutor, submission)
    coach_claim = claim(programme, programme.coach, submission)
    assert (tutor_claim.position, coach_claim.position) == (
        Mark.Position.FIRST,
        Mark.Position.SECOND,
    )
    mark(programme, submission, programme.coach, 61, 61)
    mark(programme, submission, programme.tutor, 60, 60)
    assert fresh(submission).status == Submission.Status.MARKING_DONE
    assert not MarkClaim.objects.exists()  # each claim goes when its mark is in


def test_someone_else_holding_the_same_slot_is_refused_until_the_claim_lapses(programme):
    submission = submit(programme)
    claim(programme, programme.coach, submission)
    # The lead gives the second slot to another tutor while the coach's claim is live: it ends.
    marker_replace(
        viewer=programme.as_(programme.lead),
        submission=submission,
        position=Mark.Position.SECOND,
        person=programme.other_tutor,
        now=ON_TIME,
    )
    assert not MarkClaim.objects.get(marker=programme.coach).holds(ON_TIME)
    claim(programme, programme.other_tutor, submission)
    # Back to the coach: the other tutor's live claim now holds the slot.
    marker_replace(
        viewer=programme.as_(programme.lead),
        submission=submission,
        position=Mark.Position.SECOND,
        person=programme.coach,
        now=ON_TIME,
    )
    assert not MarkClaim.objects.get(marker=programme.other_tutor).holds(ON_TIME)


def test_a_live_claim_by_another_person_on_the_slot_refuses_a_claim_and_a_mark(programme):
    submission = submit(programme)
    until = ON_TIME + dt.timedelta(hours=1)
    MarkClaim.objects.create(
        trust=programme.trust,
        submission=submission,
        position=Mark.Position.SECOND,
        marker=programme.other_tutor,
        claimed_until=until,
    )
    with pytest.raises(ValidationError) as refused:
        claim(programme, programme.coach, submission)
    assert f"{programme.other_tutor.full_name} is marking this submission until" in str(
        refused.value
    )
    with pytest.raises(ValidationError):
        mark(programme, submission, programme.coach, 60, 60)
    # The first slot is free all the while.
    mark(programme, submission, programme.tutor, 60, 60)
    # Once the claim lapses the coach marks.
    mark(programme, submission, programme.coach, 60, 60, now=until)
    assert fresh(submission).marks.count() == 2


def test_giving_up_a_claim_frees_the_slot_and_is_audited(programme):
    submission = submit(programme)
    claim(programme, programme.coach, submission)
    claim_give_up(viewer=programme.as_(programme.coach), submission=submission, now=ON_TIME)
    assert not MarkClaim.objects.get().holds(ON_TIME)
    event = AuditEvent.objects.get(verb="submission.claim_given_up")
    assert event.actor == programme.coach


def test_giving_up_a_claim_you_do_not_hold_is_refused(programme):
    submission = submit(programme)
    with pytest.raises(ValidationError):
        claim_give_up(viewer=programme.as_(programme.coach), submission=submission, now=ON_TIME)
    assert not AuditEvent.objects.filter(verb="submission.claim_given_up").exists()


def test_save_and_finish_later_keeps_partial_marks_and_comments(programme):
    submission = submit(programme)
    first = str(programme.criteria[0].pk)
    kept = mark_draft_save(
        viewer=programme.as_(programme.coach),
        submission=submission,
        scores={first: 64},
        comments="My careful words",
        now=ON_TIME,
    )
    assert (kept.scores, kept.comments, kept.saved_at) == ({first: 64}, "My careful words", ON_TIME)
    assert kept.holds(ON_TIME)
    assert AuditEvent.objects.filter(verb="submission.mark_draft_saved").exists()


def test_save_and_finish_later_refuses_a_mark_out_of_range_and_keeps_nothing(programme):
    submission = submit(programme)
    with pytest.raises(ValidationError):
        mark_draft_save(
            viewer=programme.as_(programme.coach),
            submission=submission,
            scores={str(programme.criteria[0].pk): 140},
            comments="My careful words",
            now=ON_TIME,
        )
    assert not MarkClaim.objects.exists()


def _sign_in(client, pw, person):
    if person != pw.coach:  # university staff sign in with a trust-wide membership
        staff_member(pw, person)
    client.force_login(person)


def test_the_mark_page_prefills_what_was_saved_after_the_claim_lapsed(client, programme):
    submission = submit(programme)
    mark_draft_save(
        viewer=programme.as_(programme.coach),
        submission=submission,
        scores={str(programme.criteria[0].pk): 64},
        comments="My careful words",
        now=ON_TIME,  # long ago: the claim has lapsed
    )
    _sign_in(client, programme, programme.coach)
    page = main_content(client.get(reverse("programmes:mark", args=[submission.pk])).text)
    assert "My careful words" in page and 'value="64"' in page
    assert 'id="saved-for-later"' in page


def test_save_and_finish_later_from_the_mark_page(client, programme):
    submission = submit(programme)
    _sign_in(client, programme, programme.coach)
    field = f"criterion_{programme.criteria[1].pk}"
    response = client.post(
        reverse("programmes:mark", args=[submission.pk]),
        {field: "58", "comments": "My careful words", "later": "1"},
    )
    assert response.status_code == 302
    kept = MarkClaim.objects.get(marker=programme.coach)
    assert kept.scores == {str(programme.criteria[1].pk): 58}
    assert kept.comments == "My careful words"
    assert not Mark.objects.exists()


def test_a_refused_mark_keeps_the_typed_form(client, programme):
    submission = submit(programme)
    MarkClaim.objects.create(
        trust=programme.trust,
        submission=submission,
        position=Mark.Position.SECOND,
        marker=programme.other_tutor,
        claimed_until=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
    )
    _sign_in(client, programme, programme.coach)
    data = {f"criterion_{c.pk}": "66" for c in programme.criteria}
    data["comments"] = "My careful words"
    response = client.post(reverse("programmes:mark", args=[submission.pk]), data)
    page = main_content(response.text)
    assert response.status_code == 200
    assert "is marking this submission until" in page
    assert "My careful words" in page and 'value="66"' in page
    assert not Mark.objects.exists()


def test_the_queue_shows_your_own_claim_with_a_give_up_button(client, programme):
    submission = submit(programme)
    claim(programme, programme.tutor, submission, now=dt.datetime.now(dt.UTC))
    _sign_in(client, programme, programme.tutor)
    page = main_content(client.get(reverse("programmes:marking")).text)
    assert "By you, until" in page
    assert reverse("programmes:claim_give_up", args=[submission.pk]) in page
    # The coach's own slot is free although the tutor holds theirs.
    _sign_in(client, programme, programme.coach)
    page = main_content(client.get(reverse("programmes:marking")).text)
    assert "Not claimed" in page and reverse("programmes:claim", args=[submission.pk]) in page


def test_giving_up_from_the_queue(client, programme):
    submission = submit(programme)
    claim(programme, programme.tutor, submission, now=dt.datetime.now(dt.UTC))
    _sign_in(client, programme, programme.tutor)
    response = client.post(reverse("programmes:claim_give_up", args=[submission.pk]), follow=True)
    assert "You gave up your claim" in response.text
    assert not MarkClaim.objects.get().holds(dt.datetime.now(dt.UTC))
