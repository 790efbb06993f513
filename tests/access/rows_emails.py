"""The emails page: every member may choose their own emails; nobody sees anyone else's. The
link that stops an email needs no session, only its signed token (a tampered one is nobody's)."""

from coachloop.rollout import unsubscribe
from tests.access.codes import MEMBERS, everyone, page_route


def _stop_link(r):
    return {
        "token": unsubscribe.token_for(
            trust_id=r.school.trust_id, person_id=r.coach.pk, preference="weekly_digest"
        )
    }


def _tampered_link(r):
    return {"token": _stop_link(r)["token"].replace("-digest:", "-reminders:")}


ROWS = {
    "rollout:emails": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    # The signed token is the key: whoever has it (signed in or not) may stop that email.
    "rollout:unsubscribe": (
        "get",
        _stop_link,
        {"own": everyone(200), "other_school": everyone(200), "other_trust": everyone(200)},
    ),
}

VARIANTS = {
    "rollout:unsubscribe#tampered": (
        "get",
        _tampered_link,
        {"own": everyone(404), "other_school": everyone(404), "other_trust": everyone(404)},
    ),
}
