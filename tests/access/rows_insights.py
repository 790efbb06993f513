"""Insights: the aggregate tier. Heads and trust leads reach every page; nobody's notes."""

from tests.access.codes import only

LEADERS = {"coaching_lead": 200, "headteacher": 200, "trust_lead": 200}


def _school_route():
    return {
        "own": only(LEADERS, others=403),
        "other_school": only(
            {"coaching_lead": 404, "headteacher": 404, "trust_lead": 200}, others=403
        ),
        "other_trust": only(
            {"coaching_lead": 404, "headteacher": 404, "trust_lead": 404}, others=403
        ),
    }


ROWS = {
    "insights:trust": (
        "get",
        None,
        {"own": only({"headteacher": 200, "trust_lead": 200}, others=403)},
    ),
    "insights:trust_csv": (
        "get",
        lambda r: {"table": "schools"},
        {"own": only({"headteacher": 200, "trust_lead": 200}, others=403)},
    ),
    "insights:school": ("get", lambda r: {"school_slug": r.school.slug}, _school_route()),
    "insights:school_csv": (
        "get",
        lambda r: {"school_slug": r.school.slug, "table": "coverage"},
        _school_route(),
    ),
    # The same tables as Excel workbooks: the same people, the same 404s.
    "insights:trust_xlsx": (
        "get",
        lambda r: {"table": "schools"},
        {"own": only({"headteacher": 200, "trust_lead": 200}, others=403)},
    ),
    "insights:school_xlsx": (
        "get",
        lambda r: {"school_slug": r.school.slug, "table": "coverage"},
        _school_route(),
    ),
}
