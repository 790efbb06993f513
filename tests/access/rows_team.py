"""Coaches and coverage, and QA visits: the school's coaching lead runs them (a lead of another
school or trust is shown a 404, anyone else a 403); a QA visit is read by its coach and the
school's coaching leads only."""

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from coachloop.rollout.models import QaVisit
from tests.access.codes import content_route, only, page_route

LEAD_ONLY = {
    "own": only({"coaching_lead": 200}, others=403),
    "other_school": only({"coaching_lead": 404}, others=403),
    "other_trust": only({"coaching_lead": 404}, others=403),
}


def _school(records):
    return {"school_slug": records.school.slug}


def _coach_training(records):
    return {"school_slug": records.school.slug, "coach_id": records.coach.pk}


def _qa_visit(records):
    """A visit by the school's coaching lead to the school's coach in these records."""
    with scopes_disabled():
        lead = Membership.objects.get(school=records.school, role=Role.COACHING_LEAD).user
        visit = QaVisit.objects.create(
            trust=records.school.trust,
            school=records.school,
            coach=records.coach,
            visited_by=lead,
            visited_on=records.dropin.visited_on,
            went_well="You let the teacher name the step first.",
            development_point="Rehearse the step before the end of the conversation.",
        )
    return {"visit_id": visit.pk}


ROWS = {
    "rollout:team_coaches": ("get", _school, LEAD_ONLY),
    "rollout:team_assign": ("get", _school, LEAD_ONLY),
    "rollout:team_training": ("get", _coach_training, LEAD_ONLY),
    "rollout:team_phases": ("get", _school, LEAD_ONLY),
    "rollout:team_targets": ("get", _school, LEAD_ONLY),
    "rollout:team_qa_visits": ("get", _school, LEAD_ONLY),
    "rollout:team_qa_visit_new": ("get", _school, LEAD_ONLY),
    "rollout:team_qa_visit": (
        "get",
        _qa_visit,
        content_route({"coach": 200, "coaching_lead": 200}),
    ),
    "rollout:team_my_qa_visits": (
        "get",
        None,
        page_route({"coach": 200, "other_coach": 200}),
    ),
}
