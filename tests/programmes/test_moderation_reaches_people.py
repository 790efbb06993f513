"""Moderation that reaches people (issue 18, Why (c)): the moderator's outcome, note and name
reach both markers (once marking is done) and the programme lead; a changed mark is the final
mark everywhere, with the agreed mark shown as what it was before; the moderator can change
their decision until release, not after; and the lead can add work to the sample by hand."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coachloop.common.audit import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes import personal_data
from coachloop.programmes.models import Submission
from coachloop.programmes.services.moderation import (
    marks_release,
    moderation_record,
    moderation_sample_add,
)
from tests.programmes.fixtures import build_programme, main_content
from tests.programmes.test_marking import agree, fresh, mark, submit
from tests.programmes.test_moderation import draw, marked
from tests.programmes.test_pages_marking import build_programme_in_other_trust, staff_member

pytestmark = pytest.mark.django_db

NOTE = "Reflection meets pass"
AGREED = [45, 40, 55, 58, 60, 62, 65, 68, 72, 52]  # two fails: the sample of 20% is both


@pytest.fixture
def moderated(world, scoped):
    """A class of ten, sampled; the moderator changed the first sampled mark to 50."""
    pw = build_programme(world, teachers=10, moderation_percent=20, moderate_all_fails=True)
    for person in (pw.tutor, pw.other_tutor, pw.lead, pw.moderator):
        staff_member(pw, person)
    pw.submissions = [marked(pw, e, a) for e, a in zip(pw.enrolments, AGREED, strict=True)]
    pw.sample = draw(pw)
    pw.changed = moderation_record(
        viewer=pw.as_(pw.moderator), submission=pw.sample[0], agree=False, mark=50, note=NOTE
    )
    return pw


def page(client, person, name, obj):
    client.force_login(person)
    response = client.get(reverse(f"programmes:{name}", args=[obj.pk]))
    assert response.status_code == 200
    return main_content(response.content.decode())


def released(pw):
    moderation_record(viewer=pw.as_(pw.moderator), submission=pw.sample[1], agree=True)
    marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment)


# The outcome reaches the markers and the lead


@pytest.mark.parametrize("marker", ["tutor", "coach"])
def test_both_markers_see_the_moderated_mark_the_note_and_the_moderators_name(
    client, moderated, marker
):
    pw = moderated
    shown = page(client, getattr(pw, marker), "mark", pw.changed)
    assert "<strong>50</strong>" in shown  # the final mark
    assert f"Changed from {pw.changed.agreed_mark} to 50" in shown
    assert "Agreed mark before moderation" in shown
    assert NOTE in shown and pw.moderator.full_name in shown


def test_the_marking_queues_done_rows_show_the_moderated_mark_and_link_to_the_rest(
    client, moderated
):
    """The queue's done work is a compact table: the final mark, that the moderator changed
    it, and where each submission stands; the moderator's note and name are on the
    submission's own page, which the row links to (``test_both_markers_see_...``)."""
    pw = moderated
    client.force_login(pw.tutor)
    shown = main_content(client.get(reverse("programmes:marking")).content.decode())
    assert '<strong data-outcome="final">50</strong> (changed by the moderator)' in shown
    assert reverse("programmes:mark", args=[pw.changed.pk]) in shown
    assert "In review" in shown  # sample[1], waiting for the moderator


def test_a_marker_whose_mark_is_in_sees_no_outcome_before_the_other_mark(client, world, scoped):
    pw = build_programme(world)
    staff_member(pw, pw.tutor)
    submission = submit(pw)
    mark(pw, submission, pw.tutor, 60, 60)
    client.force_login(pw.tutor)
    queue = main_content(client.get(reverse("programmes:marking")).content.decode())
    shown = page(client, pw.tutor, "mark", submission)
    for text in (queue, shown):
        assert "Final mark" not in text and "Moderation" not in text


def test_the_lead_sees_the_moderators_outcome_note_and_name_on_the_assignment(client, moderated):
    pw = moderated
    shown = page(client, pw.lead, "assignment", pw.assignment)
    assert f"Changed from {pw.changed.agreed_mark} to 50 by {pw.moderator.full_name}" in shown
    assert NOTE in shown
    assert "In the sample: waiting for the moderator" in shown


def test_a_tutor_who_does_not_mark_the_work_is_not_told_its_moderation(client, moderated):
    pw = moderated
    with scopes_disabled():
        Submission.objects.filter(pk=pw.changed.pk).update(first_marker=pw.other_tutor)
        pw.changed.enrolment.__class__.objects.filter(pk=pw.changed.enrolment_id).update(
            tutor=pw.other_tutor
        )
    shown = page(client, pw.tutor, "assignment", pw.assignment)
    assert NOTE not in shown


# A changed mark replaces the agreed mark


def test_the_final_mark_is_the_moderators_on_the_mark_page_and_the_assignment(client, moderated):
    pw = moderated
    assert fresh(pw.changed).final_mark == 50
    lead_sees = page(client, pw.lead, "assignment", pw.assignment)
    row = lead_sees[lead_sees.index(pw.changed.enrolment.teacher.full_name) :]
    row = row[: row.index("</tr>")]
    assert 'data-label="Final mark">50<' in row
    assert f'data-label="Agreed mark">{pw.changed.agreed_mark}<' in row


def test_the_reconcile_page_shows_the_moderation_after_the_agreed_mark(client, world, scoped):
    pw = build_programme(world, moderation_percent=100)
    for person in (pw.tutor, pw.lead, pw.moderator):
        staff_member(pw, person)
    submission = submit(pw)
    mark(pw, submission, pw.tutor, 80, 80)
    mark(pw, submission, pw.coach, 50, 50)
    agree(pw, submission, 66, "We talked.")
    draw(pw)
    moderation_record(
        viewer=pw.as_(pw.moderator), submission=submission, agree=False, mark=60, note=NOTE
    )
    shown = page(client, pw.tutor, "reconcile", submission)
    assert "The agreed mark is 66" in shown
    assert "Changed from 66 to 60" in shown and NOTE in shown


def test_the_moderate_page_names_who_moderated(client, moderated):
    shown = page(client, moderated.moderator, "moderate", moderated.changed)
    assert f"By {moderated.moderator.full_name}," in shown


def test_the_teachers_data_export_gives_the_released_final_mark(moderated):
    pw = moderated
    released(pw)
    teacher = pw.changed.enrolment.teacher
    sections = personal_data.export(teacher, pw.trust, for_person_themself=True)
    work = {s.key: s for s in sections}["programmes.enrolments"].records[0]
    assert work["submissions"][0]["final_mark"] == 50


# The moderator can change their decision until release


def test_the_moderator_can_change_their_decision_before_release(moderated):
    pw = moderated
    assert fresh(pw.changed).status == Submission.Status.READY
    moderation_record(
        viewer=pw.as_(pw.moderator),
        submission=pw.changed,
        agree=False,
        mark=55,
        note="On reflection.",
    )
    changed = fresh(pw.changed)
    assert (changed.final_mark, changed.moderation_note) == (55, "On reflection.")
    assert changed.status == Submission.Status.READY
    event = AuditEvent.objects.get(verb="submission.moderation_revised")
    assert event.summary == "changed to 50, now changed to 55"


def test_agreeing_on_second_thoughts_restores_the_agreed_mark(moderated):
    pw = moderated
    moderation_record(viewer=pw.as_(pw.moderator), submission=pw.changed, agree=True)
    changed = fresh(pw.changed)
    assert changed.moderated_mark is None and changed.final_mark == changed.agreed_mark
    event = AuditEvent.objects.get(verb="submission.moderation_revised")
    assert event.summary == "changed to 50, now agreed"


def test_after_release_the_moderation_cannot_change(moderated):
    pw = moderated
    released(pw)
    with pytest.raises(ValidationError, match="released"):
        moderation_record(viewer=pw.as_(pw.moderator), submission=pw.changed, agree=True)
    assert fresh(pw.changed).final_mark == 50


def test_the_moderate_page_offers_to_change_the_decision_until_release(client, moderated):
    pw = moderated
    url = reverse("programmes:moderate", args=[pw.changed.pk])
    assert "Change your decision" in page(client, pw.moderator, "moderate", pw.changed)
    response = client.post(url, {"decision": "change", "mark": "56", "note": "Closer look."})
    assert response.status_code == 302
    assert fresh(pw.changed).final_mark == 56


def test_after_release_the_moderate_page_refuses_with_a_clear_message(client, moderated):
    pw = moderated
    released(pw)
    shown = page(client, pw.moderator, "moderate", pw.changed)
    assert "Change your decision" not in shown
    assert "The marks are released, so the moderation can no longer change." in shown
    url = reverse("programmes:moderate", args=[pw.changed.pk])
    response = client.post(url, {"decision": "agree"}, follow=True)
    assert "The marks are released, so the moderation can no longer change" in (
        response.content.decode()
    )
    assert fresh(pw.changed).final_mark == 50


# The lead adds work to the sample by hand


def a_ready_one(pw):
    """Work ready for release that the draw left out of the sample."""
    return next(
        s
        for s in pw.submissions
        if fresh(s).status == Submission.Status.READY and not fresh(s).in_sample
    )


def test_the_lead_adds_ready_work_to_the_sample_and_it_goes_to_review(moderated):
    pw = moderated
    chosen = a_ready_one(pw)
    moderation_sample_add(viewer=pw.as_(pw.lead), submission=chosen)
    chosen = fresh(chosen)
    assert chosen.in_sample and chosen.status == Submission.Status.IN_REVIEW
    assert AuditEvent.objects.filter(verb="submission.sample_added").count() == 1
    moderation_record(viewer=pw.as_(pw.moderator), submission=chosen, agree=True)
    assert fresh(chosen).status == Submission.Status.READY


def test_work_whose_marking_is_done_can_join_the_sample_before_the_draw(world, scoped):
    pw = build_programme(world)
    done = marked(pw, pw.enrolments[0], 60)
    moderation_sample_add(viewer=pw.as_(pw.lead), submission=done)
    assert fresh(done).status == Submission.Status.IN_REVIEW


def test_unfinished_sampled_or_released_work_cannot_be_added(moderated, world):
    pw = moderated
    with pytest.raises(ValidationError, match="already in the moderation sample"):
        moderation_sample_add(viewer=pw.as_(pw.lead), submission=pw.changed)
    released(pw)
    with pytest.raises(ValidationError, match="released"):
        moderation_sample_add(viewer=pw.as_(pw.lead), submission=a_released_one(pw))
    other = build_programme(world)
    half = submit(other)
    mark(other, half, other.tutor, 60, 60)
    with pytest.raises(ValidationError, match="still being marked"):
        moderation_sample_add(viewer=other.as_(other.lead), submission=half)
    assert not fresh(half).in_sample


def a_released_one(pw):
    """Released work that was never in the sample."""
    return next(
        s
        for s in pw.submissions
        if fresh(s).status == Submission.Status.RELEASED and not fresh(s).in_sample
    )


@pytest.mark.parametrize("who", ["tutor", "moderator", "coach"])
def test_only_the_lead_adds_to_the_sample(moderated, who):
    pw = moderated
    chosen = a_ready_one(pw)
    with pytest.raises(PermissionDenied):
        moderation_sample_add(viewer=pw.as_(getattr(pw, who)), submission=chosen)
    assert not fresh(chosen).in_sample


def test_the_lead_adds_to_the_sample_from_the_assignment_page(client, moderated):
    pw = moderated
    chosen = a_ready_one(pw)
    shown = page(client, pw.lead, "assignment", pw.assignment)
    add = reverse("programmes:sample_add", args=[chosen.pk])
    assert add in shown
    assert reverse("programmes:sample_add", args=[pw.changed.pk]) not in shown  # sampled
    response = client.post(add, follow=True)
    assert f"{chosen.enrolment.teacher.full_name}'s work is in the moderation sample" in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert fresh(chosen).status == Submission.Status.IN_REVIEW


def test_adding_released_work_from_the_page_says_why_and_changes_nothing(client, moderated):
    pw = moderated
    released(pw)
    gone = a_released_one(pw)
    client.force_login(pw.lead)
    response = client.post(reverse("programmes:sample_add", args=[gone.pk]), follow=True)
    assert "The marks are released, so this submission cannot be moderated." in (
        response.content.decode()
    )
    assert not fresh(gone).in_sample


def test_another_trusts_submission_is_not_found_for_the_sample(client, moderated, world):
    pw = moderated
    with scopes_disabled():
        target = build_programme_in_other_trust(world)
    client.force_login(pw.lead)
    response = client.post(reverse("programmes:sample_add", args=[target.pk]))
    assert response.status_code == 404
