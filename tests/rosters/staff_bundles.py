"""Bundles as a reader returns them, built by hand, so that the staff import's checking and
applying are tested apart from any file format."""

import datetime as dt

from coachloop.rosters.records import Bundle, Org, RoleAt, StaffRecord


def teacher(n, org="org-1", *, role="teacher", email=None, name=None, group="teacher", **extra):
    return StaffRecord(
        source_id=f"u{n}",
        email=email or f"teacher{n}@riverside.example.org",
        full_name=name or f"Teacher Number {n}",
        roles=(RoleAt(org=org, role=role, staff_group=group, row=n + 1, file="users.csv"),),
        file="users.csv",
        row=n + 1,
        **extra,
    )


def bundle(staff, *, orgs=None, on=dt.date(2026, 9, 1), full=True, students=0):
    orgs = orgs or {"org-1": Org(key="org-1", name="Meadow Lane School", urn="900001")}
    return Bundle(
        source_format="oneroster-1.1",
        exported_on=on,
        full_export=full,
        orgs=orgs,
        staff=list(staff),
        students_skipped=students,
    )
