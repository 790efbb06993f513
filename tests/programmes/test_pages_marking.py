"""The markers' and the moderator's pages: the queue, claiming, blind double marking,
reconciling, moderation, extensions and feedback on drafts. Bad input is refused with a clear
message and changes nothing; someone with no part in a submission gets a 404."""

import datetime as dt
import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from coachloop.programmes.models import (
    Extension,
    Feedback,
    Mark,
    MarkClaim,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from coachloop.programmes.services.claims import submission_claim
from coachloop.programmes.services.moderation import moderation_sample_draw
from coachloop.programmes.services.submissions import submission_version_add
from tests.factories import MembershipFactory
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import agree, fresh, mark, submit

pytestmark = pytest.mark.django_db


def staff_member(pw, person):
    """University staff sign in with a trust-wide membership."""
    with scopes_disabled():
        MembershipFactory(user=person, school=None, trust=pw.trust, role=Role.PARTNER_STAFF)
    return person


@pytest.fixture
def pw(programme):
    for person in (programme.tutor, programme.other_tutor, programme.lead, programme.moderator):
        staff_member(programme, person)
    return programme


@pytest.fixture
def submission(pw):
    return submit(pw)


def url(name, obj):
    return reverse(f"programmes:{name}", args=[obj.pk])


def scores_post(pw, *marks, comments="Clear evidence, thoughtful reflection."):
    data = {f"criterion_{c.pk}": m for c, m in zip(pw.criteria, marks, strict=True)}
    data["comments"] = comments
    return data


# The queue


def test_the_queue_shows_the_tutor_what_to_mark_and_who_holds_a_claim(client, pw, submission):
    client.force_login(pw.tutor)
    response = client.get(reverse("programmes:marking"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "To mark" in page and pw.enrolments[0].teacher.full_name in page
    assert "Not claimed" in page and url("claim", submission) in page
    # Claims are per slot: the coach holding theirs leaves the tutor's free.
    submission_claim(viewer=pw.as_(pw.coach), submission=submission)
    page = client.get(reverse("programmes:marking")).content.decode()
    assert "Not claimed" in page and pw.coach.full_name not in page
    # Someone else holding the tutor's own slot (after a replacement) is named.
    MarkClaim.objects.create(
        trust=pw.trust,
        submission=submission,
        position=Mark.Position.FIRST,
        marker=pw.other_tutor,
        claimed_until=timezone.now() + dt.timedelta(hours=1),
    )
    page = client.get(reverse("programmes:marking")).content.decode()
    assert f"By {pw.other_tutor.full_name}, until" in page


def test_the_queue_puts_marks_to_reconcile_and_done_work_in_their_own_groups(
    client, pw, submission
):
    mark(pw, submission, pw.tutor, 80, 80)
    mark(pw, submission, pw.coach, 50, 50)
    client.force_login(pw.tutor)
    response = client.get(reverse("programmes:marking"))
    assert response.context["queue"].to_reconcile[0].submission == submission
    assert url("reconcile", submission) in response.content.decode()
    assert response.context["queue"].to_mark == []


def test_the_markers_home_and_queue_open_with_counts_of_what_waits_for_them(client, pw, submission):
    client.force_login(pw.tutor)
    for name in ("home", "marking"):
        counts = _counts(client.get(reverse(f"programmes:{name}")).content.decode())
        assert counts == ["1 submission to mark", "0 marks to agree with the other marker"]
    mark(pw, submission, pw.tutor, 80, 80)
    mark(pw, submission, pw.coach, 50, 50)
    counts = _counts(client.get(reverse("programmes:home")).content.decode())
    assert counts == ["0 submissions to mark", "1 mark to agree with the other marker"]


def _counts(page):
    """The line of counts at the top of the page, as read aloud."""
    block = page.split('id="marking-counts"', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r"<li[^>]*>(.*?)</li>", block, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_someone_with_nothing_to_mark_sees_an_empty_queue(client, pw):
    client.force_login(pw.enrolments[0].teacher)
    response = client.get(reverse("programmes:marking"))
    assert response.status_code == 200
    assert "Nothing to mark at the moment" in response.content.decode()


# Claiming


def test_a_marker_claims_a_submission_and_goes_to_mark_it(client, pw, submission):
    client.force_login(pw.tutor)
    response = client.post(url("claim", submission))
    assert response.status_code == 302 and response.url == url("mark", submission)
    claim = MarkClaim.objects.get()
    assert (claim.marker, claim.position) == (pw.tutor, Mark.Position.FIRST)


def hold_second_slot(pw, submission, person):
    """Someone other than the coach holds the second slot (as after a replacement)."""
    return MarkClaim.objects.create(
        trust=pw.trust,
        submission=submission,
        position=Mark.Position.SECOND,
        marker=person,
        claimed_until=timezone.now() + dt.timedelta(hours=1),
    )


def test_a_claim_held_by_someone_else_says_who_and_until_when(client, pw, submission):
    hold_second_slot(pw, submission, pw.other_tutor)
    client.force_login(pw.coach)
    response = client.post(url("claim", submission), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{pw.other_tutor.full_name} is marking this submission until" in page
    assert not MarkClaim.objects.filter(marker=pw.coach).exists()


# Marking


def test_the_marking_page_shows_the_work_the_criteria_and_the_bands(client, pw, submission):
    client.force_login(pw.tutor)
    response = client.get(url("mark", submission))
    page = response.content.decode()
    assert response.status_code == 200
    assert "My case study of one action step" in page
    assert "Use of evidence" in page and "Weight 60%" in page
    assert "Distinction" in page and "70–100" in page


def test_the_marking_page_links_each_file_of_the_final_version(client, pw, submission):
    final = submission.versions.get(kind=SubmissionVersion.Kind.FINAL)
    item = SubmissionFile.objects.create(
        trust=pw.trust,
        version=final,
        file="submissions/stored-name.pdf",
        original_name="lesson-plan.pdf",
        content_type="application/pdf",
        size=2048,
    )
    client.force_login(pw.tutor)
    page = client.get(url("mark", submission)).content.decode()
    assert "lesson-plan.pdf" in page
    assert reverse("programmes:submission_file", args=[item.pk]) in page


def test_a_marker_records_their_mark_criterion_by_criterion(client, pw, submission):
    client.force_login(pw.tutor)
    response = client.post(url("mark", submission), scores_post(pw, 70, 55))
    assert response.status_code == 302
    first = Mark.objects.get(submission=submission)
    assert (first.marker, first.overall, first.position) == (pw.tutor, 64, "first")
    assert fresh(submission).status == Submission.Status.IN_MARKING


@pytest.mark.parametrize("bad", ["101", "-1", "64.5", "seventy", ""])
def test_a_mark_outside_the_range_is_refused_clearly_and_nothing_is_saved(
    client, pw, submission, bad
):
    client.force_login(pw.tutor)
    response = client.post(url("mark", submission), scores_post(pw, bad, 60))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "from 0 to 100" in page or "Give a mark for Use of evidence" in page
    assert not Mark.objects.exists()
    assert fresh(submission).status == Submission.Status.NOT_MARKED


def test_a_mark_without_a_comment_is_refused(client, pw, submission):
    client.force_login(pw.tutor)
    response = client.post(url("mark", submission), scores_post(pw, 60, 60, comments=" "))
    assert response.status_code == 200
    assert "Write the feedback the teacher will read" in response.content.decode()
    assert not Mark.objects.exists()


def test_with_blind_marking_the_coach_cannot_see_the_tutors_mark_before_theirs(
    client, pw, submission
):
    mark_record_comment = "A private judgement by the tutor 9c1"
    client.force_login(pw.tutor)
    client.post(url("mark", submission), scores_post(pw, 73, 71, comments=mark_record_comment))
    client.force_login(pw.coach)
    page = client.get(url("mark", submission)).content.decode()
    assert mark_record_comment not in page
    assert ">72<" not in page  # the tutor's overall mark
    assert "blind" in page
    client.post(url("mark", submission), scores_post(pw, 70, 70))
    page = client.get(url("mark", submission)).content.decode()
    assert mark_record_comment in page  # both in: now both are shown


def test_the_second_marks_within_tolerance_agree_at_once(client, pw, submission):
    mark(pw, submission, pw.tutor, 66, 66)
    client.force_login(pw.coach)
    response = client.post(url("mark", submission), scores_post(pw, 64, 64), follow=True)
    assert "the agreed mark is 65" in response.content.decode()
    assert fresh(submission).status == Submission.Status.MARKING_DONE


def test_while_someone_else_holds_the_slot_the_page_says_so_and_a_mark_is_refused(
    client, pw, submission
):
    hold_second_slot(pw, submission, pw.other_tutor)
    client.force_login(pw.coach)
    page = client.get(url("mark", submission)).content.decode()
    assert f"{pw.other_tutor.full_name} is marking this submission until" in page
    response = client.post(url("mark", submission), scores_post(pw, 60, 60))
    assert response.status_code == 200
    assert f"{pw.other_tutor.full_name} is marking this submission until" in response.text
    assert not Mark.objects.exists()


def test_the_other_markers_claim_does_not_stop_you_marking(client, pw, submission):
    submission_claim(viewer=pw.as_(pw.tutor), submission=submission)
    client.force_login(pw.coach)
    response = client.post(url("mark", submission), scores_post(pw, 60, 60))
    assert response.status_code == 302
    assert Mark.objects.get().marker == pw.coach


@pytest.mark.parametrize("who", ["other_tutor", "lead", "moderator"])
def test_only_the_submissions_markers_open_its_marking_pages(client, pw, submission, who):
    client.force_login(getattr(pw, who))
    assert client.get(url("mark", submission)).status_code == 404
    assert client.get(url("reconcile", submission)).status_code == 404
    assert client.post(url("claim", submission)).status_code == 404


def test_another_trusts_submission_is_not_found(client, pw, world):
    with scopes_disabled():
        theirs = build_programme_in_other_trust(world)
    client.force_login(pw.tutor)
    assert client.get(url("mark", theirs)).status_code == 404


def build_programme_in_other_trust(world):
    """A submission in trust B, marked by trust B's tutor and coach."""

    class Other:
        trust = world.other_trust
        own = world.other_trust_records

    other = build_programme(Other)
    with scopes_disabled():
        return submit(other)


# Reconciling


@pytest.fixture
def apart(pw, submission):
    mark(pw, submission, pw.tutor, 80, 80)
    mark(pw, submission, pw.coach, 50, 50)
    return fresh(submission)


def test_marks_far_apart_are_shown_side_by_side_for_reconciling(client, pw, apart):
    client.force_login(pw.coach)
    response = client.get(url("reconcile", apart))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The two marks" in page and ">80<" in page and ">50<" in page


def test_one_marker_proposes_the_agreed_mark_and_the_other_confirms_it(client, pw, apart):
    # Rewritten for issue 18: one POST by one marker used to set the agreed mark.
    client.force_login(pw.tutor)
    response = client.post(
        url("reconcile", apart),
        {"agreed_mark": "65", "reason": "We met and agreed.", "feedback": "Strong evidence."},
    )
    assert response.status_code == 302
    assert (fresh(apart).status, fresh(apart).agreed_mark) == ("in_marking", None)
    proposal = apart.proposals.get()
    client.force_login(pw.coach)
    response = client.post(url("reconcile", apart), {"action": "confirm", "proposal": proposal.pk})
    assert response.status_code == 302
    apart = fresh(apart)
    assert (apart.status, apart.agreed_mark, apart.agreed_by) == ("marking_done", 65, "reconciled")
    assert (apart.reconciled_by, apart.confirmed_by) == (pw.tutor, pw.coach)


def test_the_markers_see_who_proposed_and_who_confirmed_the_agreed_mark_and_why(client, pw, apart):
    agree(pw, apart, 65, "We met and agreed.", proposer=pw.tutor)
    client.force_login(pw.coach)
    page = client.get(url("reconcile", apart)).content.decode()
    assert (
        f"The agreed mark is 65, proposed by {pw.tutor.full_name} and confirmed by "
        f"{pw.coach.full_name}." in page
    )
    assert "We met and agreed." in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"agreed_mark": "101", "reason": "Agreed.", "feedback": "Good."}, "must be a whole"),
        ({"agreed_mark": "65", "reason": "", "feedback": "Good."}, "Say how you reached"),
        ({"agreed_mark": "65", "reason": "Agreed.", "feedback": ""}, "Write the agreed feedback"),
        ({"agreed_mark": "95", "reason": "Agreed.", "feedback": "Good."}, "from 50 to 80"),
    ],
)
def test_a_bad_agreed_mark_is_refused_and_nothing_changes(client, pw, apart, data, message):
    client.force_login(pw.tutor)
    response = client.post(url("reconcile", apart), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert fresh(apart).agreed_mark is None and not apart.proposals.exists()


def test_marks_within_tolerance_have_nothing_to_reconcile(client, pw, submission):
    mark(pw, submission, pw.tutor, 60, 60)
    client.force_login(pw.tutor)
    response = client.get(url("reconcile", submission))
    page = response.content.decode()
    assert response.status_code == 200 and "nothing to reconcile" in page
    assert client.post(url("reconcile", submission), {"agreed_mark": "60"}).status_code == 200
    assert fresh(submission).agreed_mark is None


def test_a_mark_far_from_the_first_takes_the_second_marker_to_reconcile(client, pw, submission):
    mark(pw, submission, pw.tutor, 80, 80)
    client.force_login(pw.coach)
    response = client.post(url("mark", submission), scores_post(pw, 50, 50))
    assert response.status_code == 302 and response.url == url("reconcile", submission)


# Moderation


@pytest.fixture
def sampled(world, scoped):
    pw = build_programme(world, moderation_percent=100)
    for person in (pw.tutor, pw.lead, pw.moderator):
        staff_member(pw, person)
    submission = submit(pw)
    mark(pw, submission, pw.tutor, 62, 62)
    mark(pw, submission, pw.coach, 60, 60)
    moderation_sample_draw(viewer=pw.as_(pw.lead), assignment=pw.assignment, rng=random.Random(1))
    pw.submission = fresh(submission)
    return pw


def test_the_moderator_sees_the_sample_waiting_for_them(client, sampled):
    client.force_login(sampled.moderator)
    response = client.get(reverse("programmes:moderation", args=[sampled.programme.pk]))
    assert response.status_code == 200
    assert url("moderate", sampled.submission) in response.content.decode()
    assert response.context["moderation"].awaiting == [sampled.submission]


def test_the_moderator_reads_the_work_and_both_marks(client, sampled):
    client.force_login(sampled.moderator)
    page = client.get(url("moderate", sampled.submission)).content.decode()
    assert "My case study of one action step" in page
    assert sampled.tutor.full_name in page and sampled.coach.full_name in page
    assert "Agree the mark" in page


def test_the_moderator_reads_how_a_reconciled_mark_was_agreed_and_who_recorded_it(
    client, world, scoped
):
    pw = build_programme(world, moderation_percent=100)
    for person in (pw.tutor, pw.lead, pw.moderator):
        staff_member(pw, person)
    submission = submit(pw)
    mark(pw, submission, pw.tutor, 80, 80)
    mark(pw, submission, pw.coach, 50, 50)
    agree(pw, submission, 66, "We talked it over.")
    moderation_sample_draw(viewer=pw.as_(pw.lead), assignment=pw.assignment, rng=random.Random(1))
    client.force_login(pw.moderator)
    page = client.get(url("moderate", submission)).content.decode()
    assert "We talked it over." in page
    assert f"Recorded by {pw.coach.full_name}." in page


def test_the_moderator_agrees_the_mark(client, sampled):
    client.force_login(sampled.moderator)
    response = client.post(url("moderate", sampled.submission), {"decision": "agree"})
    assert response.status_code == 302
    submission = fresh(sampled.submission)
    assert (submission.status, submission.moderator) == ("ready", sampled.moderator)
    assert submission.final_mark == 61


def test_the_moderator_changes_the_mark_with_a_note(client, sampled):
    client.force_login(sampled.moderator)
    client.post(
        url("moderate", sampled.submission),
        {"decision": "change", "mark": "55", "note": "The reflection is thinner than the band."},
    )
    assert fresh(sampled.submission).final_mark == 55


@pytest.mark.parametrize(
    "data, message",
    [
        ({"decision": "change", "mark": "120", "note": "Too high."}, "whole number from 0 to 100"),
        ({"decision": "change", "mark": "55", "note": ""}, "Say why the mark changes"),
        ({"decision": "change", "note": "No mark."}, "Enter the moderated mark"),
        ({}, "Say whether you agree the mark or change it"),
    ],
)
def test_a_bad_moderation_is_refused_and_nothing_changes(client, sampled, data, message):
    client.force_login(sampled.moderator)
    response = client.post(url("moderate", sampled.submission), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert fresh(sampled.submission).status == Submission.Status.IN_REVIEW


@pytest.mark.parametrize("who", ["lead", "tutor"])
def test_only_the_programmes_moderators_moderate(client, sampled, who):
    client.force_login(getattr(sampled, who))
    moderation = reverse("programmes:moderation", args=[sampled.programme.pk])
    assert client.get(moderation).status_code == 404
    assert client.get(url("moderate", sampled.submission)).status_code == 404


def test_a_coach_without_a_university_role_is_refused_moderation(client, sampled):
    client.force_login(sampled.coach)
    assert client.get(url("moderate", sampled.submission)).status_code == 403


# Extensions


@pytest.fixture
def drafting(pw):
    version = submission_version_add(
        viewer=pw.as_(pw.enrolments[0].teacher),
        enrolment=pw.enrolments[0],
        assignment=pw.assignment,
        text="My first draft: the signal for attention in Year 9.",
        final=False,
    )
    return version.submission


def test_the_tutor_grants_an_extension_with_a_new_date_and_reason(client, pw, drafting):
    client.force_login(pw.tutor)
    assert client.get(url("extension", drafting)).status_code == 200
    new_day = timezone.localtime(drafting.due_at).date() + dt.timedelta(days=14)
    response = client.post(
        url("extension", drafting),
        {"due_on": new_day.isoformat(), "reason": "A family illness."},
    )
    assert response.status_code == 302
    due = timezone.localtime(fresh(drafting).due_at)
    assert due.date() == new_day and due.time() == timezone.localtime(drafting.due_at).time()
    assert Extension.objects.get().reason == "A family illness."


@pytest.mark.parametrize(
    "days, reason, message",
    [
        (-1, "Earlier.", "must move the due date later"),
        (7, "", "Say why the extension is granted"),
        (None, "No date.", "Enter the new due date"),
    ],
)
def test_a_bad_extension_is_refused_and_nothing_changes(
    client, pw, drafting, days, reason, message
):
    client.force_login(pw.tutor)
    due_on = ""
    if days is not None:
        due_on = (timezone.localtime(drafting.due_at).date() + dt.timedelta(days=days)).isoformat()
    response = client.post(url("extension", drafting), {"due_on": due_on, "reason": reason})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Extension.objects.exists()
    assert fresh(drafting).due_at == drafting.due_at


def test_an_extension_once_the_final_version_is_in_changes_nothing(client, pw, submission):
    client.force_login(pw.tutor)
    page = client.get(url("extension", submission)).content.decode()
    assert "an extension would change nothing" in page and "Grant extension" not in page


@pytest.mark.parametrize("who", ["other_tutor", "lead"])
def test_only_the_teachers_tutor_grants_an_extension(client, pw, drafting, who):
    client.force_login(getattr(pw, who))
    assert client.get(url("extension", drafting)).status_code == 404


# Feedback on drafts


def test_the_coach_reads_the_latest_draft_and_gives_feedback(client, pw, drafting):
    client.force_login(pw.coach)
    page = client.get(url("feedback", drafting)).content.decode()
    assert "My first draft: the signal for attention" in page and "No feedback yet" in page
    response = client.post(url("feedback", drafting), {"body": "Name the routine's steps."})
    assert response.status_code == 302
    assert Feedback.objects.get().author == pw.coach
    page = client.get(url("feedback", drafting)).content.decode()
    assert "Name the routine&#x27;s steps." in page


def test_empty_feedback_is_refused(client, pw, drafting):
    client.force_login(pw.tutor)
    response = client.post(url("feedback", drafting), {"body": "  "})
    assert response.status_code == 200
    assert "Write your feedback before you send it" in response.content.decode()
    assert not Feedback.objects.exists()


def test_once_the_final_version_is_in_there_is_no_feedback_form(client, pw, submission):
    client.force_login(pw.coach)
    page = client.get(url("feedback", submission)).content.decode()
    assert "feedback on it comes with the mark" in page and "Send feedback" not in page
    client.post(url("feedback", submission), {"body": "Too late."})
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("who", ["other_tutor", "moderator"])
def test_only_the_teachers_coach_and_tutor_give_feedback(client, pw, drafting, who):
    client.force_login(getattr(pw, who))
    assert client.get(url("feedback", drafting)).status_code == 404
