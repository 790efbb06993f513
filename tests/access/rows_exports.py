"""Issue 19's exports that are not dashboards: a framework version as a file (any member of the
trust, as the library)."""

from tests.access.codes import MEMBERS, NOT_FOUND_FOR_MEMBERS, only

ROWS = {
    "frameworks:version_json": (
        "get",
        lambda r: {"pk": r.framework_step.strand.version_id},
        {
            "own": only(dict.fromkeys(MEMBERS, 200), others=404),
            "other_school": only(dict.fromkeys(MEMBERS, 200), others=404),
            "other_trust": NOT_FOUND_FOR_MEMBERS,
        },
    ),
}
