"""A school's coaching model and framework adaptation (its coaching lead); the trust's
policy (the trust lead)."""

from tests.access.codes import only


def _lead_route():
    return {
        "own": only({"coaching_lead": 200}, others=403),
        "other_school": only({"coaching_lead": 404}, others=403),
        "other_trust": only({"coaching_lead": 404}, others=403),
    }


def _school(records):
    return {"school_slug": records.school.slug}


ROWS = {
    "rollout:model_edit": ("get", _school, _lead_route()),
    "rollout:adaptation_edit": ("get", _school, _lead_route()),
    "rollout:school_step_new": ("get", _school, _lead_route()),
    "rollout:policy_edit": ("get", None, {"own": only({"trust_lead": 200}, others=403)}),
}
