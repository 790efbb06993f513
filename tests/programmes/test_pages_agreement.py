"""The agreement pages: the markers propose, confirm, decline or withdraw on the reconcile
page; the queue says which proposals wait for whom and what a third marker has to settle; the
programme lead decides the mark or appoints a third marker from the assignment page; the third
marker marks blind. Bad input is refused with a clear message and changes nothing."""

import pytest
from django.urls import reverse

from coachloop.programmes.models import MarkEvent, ReconciliationProposal, Submission
from coachloop.programmes.services.agreement import (
    reconciliation_decline,
    reconciliation_propose,
    third_marker_appoint,
)
from coachloop.programmes.trail import _submission_name
from tests.programmes.test_marking import fresh, mark, submit
from tests.programmes.test_pages_marking import scores_post, staff_member, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw(programme):
    for person in (programme.tutor, programme.other_tutor, programme.lead, programme.moderator):
        staff_member(programme, person)
    return programme


@pytest.fixture
def apart(pw):
    """Marked 80 by the tutor (first) and 50 by the coach (second)."""
    submission = submit(pw)
    mark(pw, submission, pw.tutor, 80, 80)
    mark(pw, submission, pw.coach, 50, 50)
    return fresh(submission)


PROPOSAL = {
    "agreed_mark": "65",
    "reason": "We met: strong evidence, thin reflection.",
    "feedback": "Your evidence is strong; the reflection needs more depth.",
}


def proposed(pw, submission, person=None, agreed_mark=65):
    return reconciliation_propose(
        viewer=pw.as_(person or pw.coach),
        submission=submission,
        agreed_mark=agreed_mark,
        reason=PROPOSAL["reason"],
        feedback=PROPOSAL["feedback"],
    )


def declined(pw, submission):
    proposal = proposed(pw, submission)
    reconciliation_decline(
        viewer=pw.as_(pw.tutor), proposal=proposal, note="It undersells the evidence."
    )
    return fresh(submission)


def test_the_queue_tells_the_other_marker_a_proposal_waits_for_them(client, pw, apart):
    proposed(pw, apart)
    client.force_login(pw.tutor)
    page = client.get(reverse("programmes:marking")).content.decode()
    assert f"{pw.coach.full_name} proposed 65: confirm or decline it." in page
    assert 'id="proposals-for-me"' in page
    client.force_login(pw.coach)
    page = client.get(reverse("programmes:marking")).content.decode()
    assert "You proposed 65: waiting for the other marker." in page
    assert 'id="proposals-for-me"' not in page


def test_the_other_marker_reads_the_proposal_and_its_feedback_before_confirming(client, pw, apart):
    proposed(pw, apart)
    client.force_login(pw.tutor)
    page = client.get(url("reconcile", apart)).content.decode()
    assert PROPOSAL["reason"] in page and PROPOSAL["feedback"] in page
    assert "Confirm the agreed mark of 65" in page and "Decline and ask the programme lead" in page
    client.force_login(pw.coach)
    page = client.get(url("reconcile", apart)).content.decode()
    assert "Your proposal is waiting for the other marker" in page
    assert "Confirm the agreed mark" not in page


def test_a_confirmation_of_a_proposal_that_has_since_changed_is_refused(client, pw, apart):
    first = proposed(pw, apart, agreed_mark=60)
    proposed(pw, apart, agreed_mark=70)  # the coach changes their mind
    client.force_login(pw.tutor)
    response = client.post(url("reconcile", apart), {"action": "confirm", "proposal": first.pk})
    assert response.status_code == 302
    assert fresh(apart).agreed_mark is None
    page = client.get(response.url).content.decode()
    assert "The proposal has changed since you read it" in page


def test_declining_needs_a_reason_then_sends_the_marks_to_the_lead(client, pw, apart):
    proposal = proposed(pw, apart)
    client.force_login(pw.tutor)
    response = client.post(
        url("reconcile", apart), {"action": "decline", "proposal": proposal.pk, "note": ""}
    )
    assert response.status_code == 200
    assert "Say why you decline the proposed mark" in response.content.decode()
    assert fresh(apart).status == Submission.Status.IN_MARKING
    response = client.post(
        url("reconcile", apart),
        {"action": "decline", "proposal": proposal.pk, "note": "It undersells the evidence."},
    )
    assert response.status_code == 302
    assert fresh(apart).status == Submission.Status.ADJUDICATION
    page = client.get(url("reconcile", apart)).content.decode()
    assert "the programme lead decides the mark" in page
    assert "It undersells the evidence." in page


def test_the_proposer_withdraws_from_the_page(client, pw, apart):
    proposal = proposed(pw, apart)
    client.force_login(pw.coach)
    response = client.post(url("reconcile", apart), {"action": "withdraw", "proposal": proposal.pk})
    assert response.status_code == 302
    assert ReconciliationProposal.objects.get(pk=proposal.pk).outcome == "withdrawn"


def test_the_lead_is_sent_from_the_assignment_page_to_decide_the_mark(client, pw, apart):
    declined(pw, apart)
    client.force_login(pw.lead)
    page = client.get(reverse("programmes:assignment", args=[pw.assignment.pk])).content.decode()
    assert "With the programme lead" in page and url("adjudicate", apart) in page
    page = client.get(url("adjudicate", apart)).content.decode()
    assert ">80<" in page and ">50<" in page and "It undersells the evidence." in page
    response = client.post(
        url("adjudicate", apart),
        {
            "agreed_mark": "72",
            "reason": "I read it: Distinction evidence.",
            "feedback": "Well done.",
        },
    )
    assert response.status_code == 302
    apart = fresh(apart)
    assert (apart.agreed_mark, apart.agreed_by, apart.agreed_feedback) == (
        72,
        "adjudicated",
        "Well done.",
    )


def test_a_decision_without_feedback_is_refused_and_nothing_changes(client, pw, apart):
    declined(pw, apart)
    client.force_login(pw.lead)
    response = client.post(
        url("adjudicate", apart), {"agreed_mark": "72", "reason": "I read it.", "feedback": ""}
    )
    assert response.status_code == 200
    assert "Write the agreed feedback" in response.content.decode()
    assert fresh(apart).agreed_mark is None


def test_the_programmes_tutors_cannot_decide_the_mark(client, pw, apart):
    declined(pw, apart)
    client.force_login(pw.tutor)
    assert client.get(url("adjudicate", apart)).status_code == 403
    assert client.get(url("third_marker", apart)).status_code == 403


def test_the_lead_appoints_a_third_marker_who_marks_blind_and_settles_it(client, pw, apart):
    declined(pw, apart)
    client.force_login(pw.lead)
    page = client.get(url("third_marker", apart)).content.decode()
    assert pw.other_tutor.full_name in page and f">{pw.tutor.full_name}<" not in page
    response = client.post(
        url("third_marker", apart), {"person": pw.other_tutor.pk, "reason": "A fresh reading."}
    )
    assert response.status_code == 302
    assert fresh(apart).third_marker == pw.other_tutor
    client.force_login(pw.other_tutor)
    queue = client.get(reverse("programmes:marking")).content.decode()
    assert 'id="to-settle"' in queue and url("third_mark", apart) in queue
    page = client.get(url("third_mark", apart)).content.decode()
    assert ">80<" not in page and "You mark blind" in page
    data = {**scores_post(pw, 66, 62), "reason": ""}
    response = client.post(url("third_mark", apart), data)
    assert (
        response.status_code == 200 and "Say why your mark settles it" in response.content.decode()
    )
    data["reason"] = "Merit throughout: the evidence is good, the analysis adequate."
    assert client.post(url("third_mark", apart), data).status_code == 302
    apart = fresh(apart)
    assert (apart.agreed_mark, apart.agreed_by) == (64, "third_marker")
    assert MarkEvent.objects.filter(submission=apart, kind="third_marked").exists()
    page = client.get(url("third_mark", apart)).content.decode()
    assert "80" in page and "Merit throughout" in page


def test_nobody_but_the_third_marker_reaches_the_third_mark_page(client, pw, apart):
    declined(pw, apart)
    third_marker_appoint(
        viewer=pw.as_(pw.lead), submission=apart, person=pw.other_tutor, reason="A fresh reading."
    )
    for person in (pw.tutor, pw.coach, pw.lead):
        client.force_login(person)
        assert client.get(url("third_mark", apart)).status_code == 404


@pytest.mark.parametrize(
    "summary, named",
    [
        ("marks, for adjudicating", "for the lead to decide a mark"),
        ("final version, for third marking", "to mark it third"),
    ],
)
def test_the_teachers_trail_names_the_leads_and_the_third_markers_reads(summary, named):
    assert _submission_name(summary, "A case study").endswith(named)
