"""Imports: only a trust's administrators bring schools and staff in. An import belongs to
the trust, so another school's administrator in the same trust is the same administrator;
another trust's import is a 404 to its administrator (and a 403 to everyone else, who may not
import at all)."""

import datetime as dt

from coachloop.common.tenancy import scopes_disabled
from coachloop.rosters.models import RosterImport
from tests.access.codes import only, page_route

ADMINISTRATORS = page_route({"administrator": 200})


def _codes(code):
    return {
        "own": only({"administrator": code}, others=403),
        "other_school": only({"administrator": code}, others=403),
        "other_trust": only({"administrator": 404}, others=403),
    }


def _import(kind, status, **values):
    def build(records):
        with scopes_disabled():
            made = RosterImport.objects.create(
                trust=records.school.trust,
                kind=kind,
                status=status,
                source_format="gias" if kind == RosterImport.Kind.SCHOOLS else "staff-csv",
                file_name="export.csv",
                exported_on=dt.date(2026, 9, 1),
                **values,
            )
        return {"import_id": made.pk}

    return build


TRUST_WIDE = _codes(200)
EMPTY_EXTRACT = {
    "group": {"uid": "4124"},
    "exported_on": "2026-09-01",
    "file_names": ["establishments.csv"],
    "schools": [],
    "problems": [],
    "rows_read": 0,
}
EMPTY_PLAN = {
    "counts": {"new": 0, "changed": 0, "closed": 0, "reopened": 0, "unchanged": 0},
    "group": {"uid": "4124"},
}
STAFF = RosterImport.Kind.STAFF
SCHOOLS = RosterImport.Kind.SCHOOLS
READY = RosterImport.Status.READY
CHECKING = RosterImport.Status.CHECKING

ROWS = {
    "rosters:home": ("get", None, ADMINISTRATORS),
    "rosters:staff_upload": ("get", None, ADMINISTRATORS),
    "rosters:template_csv": ("get", None, ADMINISTRATORS),
    "rosters:template_xlsx": ("get", None, ADMINISTRATORS),
    "rosters:schools_upload": ("get", None, ADMINISTRATORS),
    "rosters:import": ("get", _import(STAFF, READY, records={"orgs": {}, "staff": []}), TRUST_WIDE),
    "rosters:import_progress": ("get", _import(STAFF, CHECKING, rows_total=10), TRUST_WIDE),
    # With nothing to apply, applying or confirming an organisation goes back to the page.
    "rosters:import_apply": (
        "post",
        _import(STAFF, READY, records={"orgs": {}, "staff": []}),
        _codes(302),
    ),
    "rosters:org_confirm": ("post", _import(STAFF, READY), _codes(302)),
    "rosters:schools_import": (
        "get",
        _import(SCHOOLS, READY, records=EMPTY_EXTRACT, plan=EMPTY_PLAN),
        TRUST_WIDE,
    ),
    "rosters:schools_apply": (
        "post",
        _import(SCHOOLS, READY, records=EMPTY_EXTRACT, plan=EMPTY_PLAN),
        _codes(302),
    ),
}
