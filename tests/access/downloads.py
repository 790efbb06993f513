"""What the permission matrix checks beyond status codes: the routes that send files, and
that a GET writes nothing.

A route that sends bytes rather than a page (a file, a PDF, a calendar, a CSV) is where a
guessed id is worth most, and where "who may read it" is easiest to get subtly wrong: a draft
among final versions, a share that has ended, a file on a step rather than a goal. So each
one is listed here with the matrix rows that cover each kind of thing it sends, and the matrix
fails on any download that comes from a row not listed: a new download route needs rows for
what it sends, drafts and other kinds included, before the matrix passes.
"""

import re
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

# route -> the matrix rows (``MATRIX`` and ``VARIANTS``) that cover each kind of thing it sends
DOWNLOAD_ROUTES = {
    # Evidence files: one on a goal, one on an action step; a link is never a download.
    "coaching:evidence_download": {
        "coaching:evidence_download",
        "coaching:evidence_download#step",
        "coaching:evidence_download#link",
    },
    # A shared evidence file (``?file=1``): while the share is in force, and once it has been
    # stopped or has run out.
    "coaching:shared_item": {
        "coaching:shared_item#file",
        "coaching:shared_item#file_stopped",
        "coaching:shared_item#file_ended",
    },
    # One's own record: there is no way to name anyone else's.
    "coaching:portability_json": {"coaching:portability_json"},
    # A file made for one person by the task worker (their record as a PDF).
    "downloads:file": {"downloads:file"},
    # A submission's files: a draft's (the teacher, their coach and tutor) and the final
    # version's (its markers, the programme's lead and moderators too).
    "programmes:submission_file": {
        "programmes:submission_file",
        "programmes:submission_file#draft",
    },
    # The calendar: its current address, and one that has been replaced.
    "rollout:time_feed": {"rollout:time_feed", "rollout:time_feed#old_address"},
    # The staff spreadsheet's blank template (administrators only).
    "rosters:template_csv": {"rosters:template_csv"},
    "rosters:template_xlsx": {"rosters:template_xlsx"},
    # The health check's plain-text answer: the checks' names and OK, for anyone.
    "healthz": {"healthz"},
    "healthz_web": {"healthz_web"},
    # Everything held about a person: one's own, and a named person's for an administrator;
    # an erasure's report.
    "my_data_download": {"my_data_download"},
    "person_data_download": {"person_data_download"},
    "erasure_report_csv": {"erasure_report_csv"},
    "erasure_report_xlsx": {"erasure_report_xlsx"},
    # An assignment's exam-board export: the workbook, and each table as CSV.
    "programmes:exam_board_xlsx": {"programmes:exam_board_xlsx"},
    "programmes:exam_board_csv": {
        "programmes:exam_board_csv",
        "programmes:exam_board_csv#history",
    },
    # Dashboards' tables, from the rollups only.
    "insights:school_csv": {"insights:school_csv"},
    "insights:trust_csv": {"insights:trust_csv"},
    "insights:school_xlsx": {"insights:school_xlsx"},
    # A framework version as a file, the format the loader reads (the library's content).
    "frameworks:version_json": {"frameworks:version_json"},
    "insights:trust_xlsx": {"insights:trust_xlsx"},
    # The API's OpenAPI schema (public).
    "api:schema": {"api:schema"},
}

# A GET may record that someone read something, and the session may change; nothing else.
# A GET may audit, keep the session, and note when a person last looked at their own home
# (coaching.HomeLook: what is new since is marked so).
WRITES_A_GET_MAY_MAKE = {"common_auditevent", "django_session", "coaching_homelook"}
# SQLite writes "INSERT OR IGNORE INTO" where PostgreSQL writes "INSERT INTO ... ON CONFLICT".
WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)


def route_of(key):
    """The route a matrix row is for: ``programmes:submission_file#draft`` is a row of
    ``programmes:submission_file``."""
    return key.split("#", 1)[0]


def is_download(response):
    return not response.get("Content-Type", "").startswith("text/html")


def undownloadable_rows(matrix):
    """Download routes none of whose rows expects a 200 for anyone: their bytes would never
    be checked."""
    missing = []
    for route, keys in DOWNLOAD_ROUTES.items():
        codes = [
            code
            for key in keys
            if key in matrix
            for per_persona in matrix[key][2].values()
            for code in per_persona.values()
        ]
        if 200 not in codes:
            missing.append(route)
    return sorted(missing)


@contextmanager
def writes_made():
    """The tables written to inside the block, apart from audit events and sessions."""
    tables = set()
    with CaptureQueriesContext(connection) as queries:
        yield tables
    for query in queries.captured_queries:
        found = WRITE.match(query["sql"])
        if found and found.group(1).lower() not in WRITES_A_GET_MAY_MAKE:
            tables.add(found.group(1))
