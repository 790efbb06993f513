"""The emails page: every member may choose their own emails; nobody sees anyone else's."""

from tests.access.codes import MEMBERS, page_route

ROWS = {
    "rollout:emails": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
}
