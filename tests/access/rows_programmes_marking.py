"""The markers' and the moderator's pages. The marking queue is anyone's with a role (an empty
state when there is nothing to mark). A submission's marking pages are its two markers' only:
in school A1 the ``tutor`` persona marks first and the ``coach`` second; everyone else, and
everyone for school A2's or trust B's submissions, gets a 404. Moderation needs a university
role (a 403 otherwise) and then the programme's moderator role (a 404 otherwise); trust A's one
programme is shared by schools A1 and A2. An extension is the teacher's tutor's alone; feedback
on a draft is their coach's and their tutor's."""

from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.models import (
    Extension,
    Feedback,
    Mark,
    MarkClaim,
    MarkEvent,
    PortfolioItem,
    ReconciliationProposal,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from tests.access.codes import MEMBERS, NOT_FOUND_FOR_MEMBERS, content_route, only, page_route
from tests.access.programme_records import programme_for, submission_for

MARKERS = {"tutor": 200, "coach": 200}
UNIVERSITY = ("programme_lead", "tutor", "moderator")


def _university_only(allowed):
    """Teachers, coaches and school leaders have no university role (403); university staff
    without a part in it get a 404."""
    return only({**dict.fromkeys(UNIVERSITY, 404), **allowed}, others=403)


def _university_route(allowed, *, other_school=None):
    nobody = _university_only({})
    return {
        "own": _university_only(allowed),
        "other_school": _university_only(other_school or {}),
        "other_trust": nobody,
    }


def _fresh(records, status=Submission.Status.NOT_MARKED):
    """The records' teacher's submission at ``status``, made anew: a teacher has one
    submission per assignment, and the matrix asks for one route after another."""
    found = programme_for(records)
    with scopes_disabled():
        old = Submission.objects.filter(enrolment=found.enrolment, assignment=found.assignment)
        Feedback.objects.filter(version__submission__in=old).delete()
        SubmissionFile.objects.filter(version__submission__in=old).delete()
        PortfolioItem.objects.filter(submission_version__submission__in=old).delete()
        for related in (MarkEvent, MarkClaim, ReconciliationProposal, Mark):
            related.objects.filter(submission__in=old).delete()
        Extension.objects.filter(submission__in=old).delete()
        SubmissionVersion.objects.filter(submission__in=old).delete()
        old.delete()
    return submission_for(records, status=status)


def _submission(records):
    return {"submission_id": _fresh(records).pk}


def _marked_apart(records):
    """Both marks in, further apart than the tolerance: waiting to be reconciled."""
    submission = _fresh(records, status=Submission.Status.IN_MARKING)
    found = programme_for(records)
    with scopes_disabled():
        for position, marker, overall in (
            (Mark.Position.FIRST, submission.first_marker, 80),
            (Mark.Position.SECOND, submission.second_marker, 50),
        ):
            Mark.objects.create(
                trust=submission.trust,
                submission=submission,
                position=position,
                marker=marker,
                scores={str(c.pk): overall for c in found.criteria},
                overall=overall,
                comments="Feedback for the teacher.",
                submitted_at=timezone.now(),
            )
    return {"submission_id": submission.pk}


def _settling(records):
    """Marks apart, with the programme lead: the matrix names the lead persona third marker
    directly (the service would want another tutor, and the records have one)."""
    kwargs = _marked_apart(records)
    found = programme_for(records)
    with scopes_disabled():
        Submission.objects.filter(pk=kwargs["submission_id"]).update(
            status=Submission.Status.ADJUDICATION, third_marker=found.lead
        )
    return kwargs


def _in_review(records):
    submission = _fresh(records, status=Submission.Status.IN_REVIEW)
    with scopes_disabled():
        Submission.objects.filter(pk=submission.pk).update(in_sample=True, agreed_mark=62)
    return {"submission_id": submission.pk}


def _drafting(records):
    return {"submission_id": _fresh(records, status=Submission.Status.DRAFTING).pk}


def _programme(records):
    return {"programme_id": programme_for(records).programme.pk}


def _enrolment_and_assignment(records):
    found = programme_for(records)
    return {"enrolment_id": found.enrolment.pk, "assignment_id": found.assignment.pk}


ROWS = {
    "programmes:marking": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    "programmes:claim": ("post", _submission, content_route({"tutor": 302, "coach": 302})),
    # Giving up a claim (refused with a message when there is none: a redirect all the same).
    "programmes:claim_give_up": (
        "post",
        _submission,
        content_route({"tutor": 302, "coach": 302}),
    ),
    "programmes:mark": ("get", _submission, content_route(MARKERS)),
    "programmes:reconcile": ("get", _marked_apart, content_route(MARKERS)),
    # The third marker's page: the lead persona is the third marker of both schools' work.
    "programmes:third_mark": (
        "get",
        _settling,
        {
            "own": only({"programme_lead": 200}, others=404),
            "other_school": only({"programme_lead": 200}, others=404),
            "other_trust": NOT_FOUND_FOR_MEMBERS,
        },
    ),
    "programmes:moderation": (
        "get",
        _programme,
        _university_route({"moderator": 200}, other_school={"moderator": 200}),
    ),
    "programmes:moderate": (
        "get",
        _in_review,
        _university_route({"moderator": 200}, other_school={"moderator": 200}),
    ),
    "programmes:extension": ("get", _drafting, _university_route({"tutor": 200})),
    "programmes:feedback": ("get", _drafting, content_route(MARKERS)),
    "programmes:extension_start": (
        "post",
        _enrolment_and_assignment,
        _university_route({"tutor": 302}),
    ),
}
