"""Progression: a teacher's stages and proposed steps are their content. The teacher's own pages
are theirs; their coach reads (and, while the coaching runs, places them on a stage and answers
their proposals) from the coaching's pages. A coaching lead, a head or anyone else gets nothing:
another school's or trust's records are a 404 for everyone."""

from django.utils import timezone

from coachloop.coaching.models import StepProposal
from coachloop.common.tenancy import scopes_disabled
from tests.access.codes import content_route, page_route


def _relationship(records):
    return {"relationship_id": records.relationship.pk}


def _proposal(records):
    """An open proposal from the teacher in these records (the one there is, if any: one
    waits at a time)."""
    with scopes_disabled():
        proposal, _created = StepProposal.objects.get_or_create(
            relationship=records.relationship,
            status=StepProposal.Status.OPEN,
            defaults={
                "trust": records.school.trust,
                "title": "Cold-call after think-pair-share",
                "success_looks_like": "Every pair has an answer ready.",
                "proposed_by": records.teacher,
                "proposed_on": timezone.localdate(),
            },
        )
    return {"proposal_id": proposal.pk}


ROWS = {
    "coaching:progression_mine": ("get", None, page_route({"teacher": 200})),
    "coaching:stage_place_mine": ("get", None, page_route({"teacher": 200})),
    # The teacher is sent to their own page; the coach reads (audited).
    "coaching:progression_coachee": (
        "get",
        _relationship,
        content_route({"teacher": 302, "coach": 200}),
    ),
    "coaching:stage_place_coachee": ("get", _relationship, content_route({"coach": 200})),
    "coaching:step_propose": ("get", _relationship, content_route({"teacher": 200})),
    # Posted by the teacher: withdrawn, then back to the proposal page.
    "coaching:step_proposal_withdraw": ("post", _proposal, content_route({"teacher": 302})),
    "coaching:step_proposals": (
        "get",
        _relationship,
        content_route({"teacher": 302, "coach": 200}),
    ),
    # The matrix posts no outcome for the current step: the page is shown again with the error.
    "coaching:step_proposal_accept": ("post", _proposal, content_route({"coach": 200})),
    # Nor a reply: the same.
    "coaching:step_proposal_discuss": ("post", _proposal, content_route({"coach": 200})),
}
