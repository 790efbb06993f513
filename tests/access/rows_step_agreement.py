"""Answering a step: only the teacher agrees to it or says not now; only their coach, while
the coaching runs, records that they agreed it in conversation. Another school's or trust's
step is a 404 for everyone. (The world's step is agreed already, so a post is refused with a
message and sent back: a redirect.)"""

from tests.access.codes import content_route


def _step(records):
    return {"step_id": records.step.pk}


ROWS = {
    "coaching:step_agree": ("post", _step, content_route({"teacher": 302})),
    "coaching:step_not_now": ("get", _step, content_route({"teacher": 200})),
    "coaching:step_agreed_in_conversation": ("post", _step, content_route({"coach": 302})),
}
