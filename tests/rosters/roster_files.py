"""Builders of the files a trust uploads, for any test of the roster import: a OneRoster export
(1.1 or 1.2, zipped or in a folder) and a plain staff list (CSV or Excel).

    path = oneroster_bundle(tmp_path, teachers=["Ann Baker", "Raj Patel"], admins=["Jo Head"],
                            students=30)
    path = oneroster_bundle(tmp_path, version="1.2", teachers=10_000, students=50_000)
    path = staff_csv(tmp_path, [staff_row("Ann Baker", role="Coach")])

Students are invented so that a test can look for any trace of them: their family names
begin with STUDENT_MARK and their emails end with STUDENT_DOMAIN.
"""

import csv
import datetime as dt
import io
import zipfile

import openpyxl

STUDENT_MARK = "Pupilname"
STUDENT_DOMAIN = "pupils.example.org"
STAFF_DOMAIN = "staff.example.org"

HEADERS = {
    "orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    "users.csv 1.1": (
        "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
        "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,"
        "password"
    ),
    "users.csv 1.2": (
        "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,"
        "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,"
        "userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,"
        "preferredFamilyName,primaryOrgSourcedId,pronouns"
    ),
    "roles.csv": (
        "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,"
        "orgSourcedId,userProfileSourcedId"
    ),
    "enrollments.csv": (
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,"
        "primary,beginDate,endDate"
    ),
}


def org(key, name, *, urn="", type="school", parent="", status="", modified=""):
    """One row of orgs.csv; ``urn`` goes in its identifier column."""
    return {
        "sourcedId": key,
        "status": status,
        "dateLastModified": modified,
        "name": name,
        "type": type,
        "identifier": urn,
        "parentSourcedId": parent,
    }


TRUST = org("org-trust", "Riverside Learning Trust", type="district")
RIVERSIDE = org("org-riverside", "Riverside Primary", urn="137042", parent="org-trust")
CASTLE = org("org-castle", "Castle Hill Academy", urn="141234", parent="org-trust")
DEFAULT_ORGS = (TRUST, RIVERSIDE, CASTLE)


def person(
    name,
    *,
    email=None,
    id=None,
    orgs=("org-riverside",),
    role=None,
    status="",
    role_status="",
    modified="",
    trn="",
    begin="",
    end="",
    preferred="",
):
    """A member of staff: ``role`` is the OneRoster role (default teacher for ``teachers``,
    administrator (1.1) or siteAdministrator (1.2) for ``admins``); ``status`` goes on their
    users.csv row, ``role_status``, ``begin`` and ``end`` on their roles.csv (1.2) or
    enrollments.csv (1.1) rows; ``preferred`` is a preferred given name (1.2)."""
    slug = ".".join(name.lower().split())
    return {
        "name": name,
        "email": f"{slug}@{STAFF_DOMAIN}" if email is None else email,
        "id": id or f"u-{slug}",
        "orgs": list(orgs),
        "role": role,
        "status": status,
        "role_status": role_status,
        "modified": modified,
        "trn": trn,
        "begin": begin,
        "end": end,
        "preferred": preferred,
    }


def _people(given, default_role, version):
    if isinstance(given, int):
        given = [
            person(f"Staff{i} Member", id=f"staff-{i}", email=f"staff{i}@{STAFF_DOMAIN}")
            for i in range(given)
        ]
    found = []
    for one in given:
        one = person(one) if isinstance(one, str) else dict(one)
        one["role"] = one["role"] or default_role[version]
        found.append(one)
    return found


def oneroster_files(
    *,
    version="1.1",
    teachers=(),
    admins=(),
    students=0,
    guardians=0,
    orgs=DEFAULT_ORGS,
    enrollments=False,
    delta=False,
    modified="",
    manifest=None,
    drop_columns=None,
    extra_rows=None,
    append=None,
    omit=(),
):
    """The files of a OneRoster export, by name, as bytes.

    ``teachers`` and ``admins`` are each a number (that many invented staff) or a list of names
    or ``person(...)`` dicts; ``students`` and ``guardians`` are numbers. ``enrollments``
    (1.1) adds enrollments.csv with a class per teacher and school. ``delta`` makes the
    manifest say delta; ``modified`` fills dateLastModified on every row. To break the
    export: ``manifest`` overrides properties ({"oneroster.version": "1.0"}), ``drop_columns``
    ({"users.csv": ["email"]}), ``extra_rows`` ({"users.csv": [{"sourcedId": ...}]}, by
    column name, others blank), ``append`` raw bytes to a file ({"users.csv": b"..."}), and
    ``omit`` leaves files out (["manifest.csv"])."""
    staff = _people(teachers, {"1.1": "teacher", "1.2": "teacher"}, version)
    staff += _people(admins, {"1.1": "administrator", "1.2": "siteAdministrator"}, version)
    first_school = next((o["sourcedId"] for o in orgs if o["type"] == "school"), "org-school")
    tables = {
        "orgs.csv": [dict(o, dateLastModified=o["dateLastModified"] or modified) for o in orgs]
    }
    users, roles, enrolments = [], [], []
    for one in staff:
        users.append(_user(one, version, modified))
        for place in one["orgs"]:
            if version == "1.2":
                roles.append(_role_row(one, place, modified))
            elif enrollments and one["role"] == "teacher":
                enrolments.append(_enrolment(one, place, modified))
    for kind, count in (("student", students), ("guardian", guardians)):
        for i in range(count):
            one = _invented(kind, i, first_school)
            users.append(_user(one, version, modified))
            if version == "1.2":
                roles.append(_role_row(one, first_school, modified))
            elif enrollments and kind == "student":
                enrolments.append(_enrolment(one, first_school, modified))
    tables[f"users.csv {version}"] = users
    if version == "1.2":
        tables["roles.csv"] = roles
    elif enrollments:
        tables["enrollments.csv"] = enrolments

    files = {"manifest.csv": _manifest(version, tables, delta, manifest or {})}
    for key, rows in tables.items():
        name = key.split(" ")[0]
        header = HEADERS[key].split(",")
        header = [c for c in header if c not in (drop_columns or {}).get(name, ())]
        rows = rows + list((extra_rows or {}).get(name, ()))
        files[name] = _csv(header, rows)
    for name, raw in (append or {}).items():
        files[name] = files.get(name, b"") + raw
    return {name: data for name, data in files.items() if name not in omit}


def _user(one, version, modified):
    given, _, family = one["name"].partition(" ")
    row = {
        "sourcedId": one["id"],
        "status": one["status"],
        "dateLastModified": one["modified"] or modified,
        "enabledUser": "true",
        "username": one["email"],
        "userIds": f"{{TRN:{one['trn']}}}" if one["trn"] else "",
        "givenName": given,
        "familyName": family,
        "email": one["email"],
    }
    if version == "1.1":
        row |= {"orgSourcedIds": ",".join(one["orgs"]), "role": one["role"]}
    else:
        row |= {"preferredGivenName": one["preferred"], "primaryOrgSourcedId": one["orgs"][0]}
    return row


def _role_row(one, place, modified):
    return {
        "sourcedId": f"role-{one['id']}-{place}",
        "status": one["role_status"],
        "dateLastModified": one["modified"] or modified,
        "userSourcedId": one["id"],
        "roleType": "primary",
        "role": one["role"],
        "beginDate": one["begin"],
        "endDate": one["end"],
        "orgSourcedId": place,
    }


def _enrolment(one, place, modified):
    return {
        "sourcedId": f"enrolment-{one['id']}-{place}",
        "status": one["role_status"],
        "dateLastModified": one["modified"] or modified,
        "classSourcedId": f"class-{place}",
        "schoolSourcedId": place,
        "userSourcedId": one["id"],
        "role": one["role"],
        "primary": "true",
        "beginDate": one["begin"],
        "endDate": one["end"],
    }


def _invented(kind, i, school):
    domain = STUDENT_DOMAIN if kind == "student" else "home.example.org"
    family = f"{STUDENT_MARK}{i:06d}" if kind == "student" else f"Carer{i:06d}"
    return person(
        f"Kit {family}",
        id=f"{kind}-{i}",
        email=f"{kind}{i}@{domain}",
        orgs=(school,),
        role=kind,
    )


def _manifest(version, tables, delta, overrides):
    state = "delta" if delta else "bulk"
    present = {key.split(".")[0] for key in tables}
    properties = {"manifest.version": "1.0", "oneroster.version": version}
    for kind in ("academicSessions", "classes", "courses", "demographics", "enrollments"):
        properties[f"file.{kind}"] = state if kind in present else "absent"
    for kind in ("orgs", "users") + (("roles",) if version == "1.2" else ()):
        properties[f"file.{kind}"] = state
    properties |= {"source.systemName": "Test MIS", "source.systemCode": "test"}
    properties |= overrides
    return _csv(
        ["propertyName", "value"], [{"propertyName": k, "value": v} for k, v in properties.items()]
    )


def _csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row if isinstance(row, list | tuple) else [row.get(c, "") for c in header])
    return out.getvalue().encode("utf-8")


def zip_bytes(files, *, folder=""):
    """A zip of ``files`` (name: bytes), inside ``folder`` when given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"{folder}/{name}" if folder else name, data)
    return out.getvalue()


def oneroster_bundle(tmp_path, *, zip=True, name="oneroster", folder="", **options):
    """A OneRoster export written under ``tmp_path``: ``name``.zip (the files inside
    ``folder`` when given) or, with ``zip=False``, a folder ``name`` holding the files.
    Returns its path. ``options`` are those of ``oneroster_files``."""
    files = oneroster_files(**options)
    if zip:
        path = tmp_path / f"{name}.zip"
        path.write_bytes(zip_bytes(files, folder=folder))
        return path
    path = tmp_path / name
    path.mkdir()
    for file_name, data in files.items():
        (path / file_name).write_bytes(data)
    return path


# --- Plain staff lists --------------------------------------------------------------------

STAFF_COLUMNS = ("Name", "Email", "School URN", "Role", "Staff group", "Start date", "TRN")


def staff_row(name, *, email=None, urn="137042", role="Teacher", group="", start="", trn=""):
    """One row of a staff list; ``start`` may be a date (for a workbook) or text."""
    return {
        "Name": name,
        "Email": f"{'.'.join(name.lower().split())}@{STAFF_DOMAIN}" if email is None else email,
        "School URN": urn,
        "Role": role,
        "Staff group": group,
        "Start date": start,
        "TRN": trn,
    }


def _staff_rows(rows):
    return [staff_row(row) if isinstance(row, str) else row for row in rows]


def staff_csv_bytes(rows, *, columns=STAFF_COLUMNS, bom=True, encoding="utf-8"):
    """A staff list as CSV: ``rows`` are names or ``staff_row(...)`` dicts; ``columns`` the
    first row (leave one out to test its absence)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in _staff_rows(rows):
        writer.writerow([_text(row.get(column, "")) for column in columns])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode(encoding)


def staff_csv(tmp_path, rows, *, name="staff.csv", **options):
    path = tmp_path / name
    path.write_bytes(staff_csv_bytes(rows, **options))
    return path


def staff_xlsx_bytes(rows, *, columns=STAFF_COLUMNS, title="Staff"):
    """A staff list as an Excel workbook; cell values are written as given (a date stays a
    date, a number a number)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(columns))
    for row in _staff_rows(rows):
        sheet.append(
            [row.get(column, "") if row.get(column, "") != "" else None for column in columns]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def staff_xlsx(tmp_path, rows, *, name="staff.xlsx", **options):
    path = tmp_path / name
    path.write_bytes(staff_xlsx_bytes(rows, **options))
    return path


def _text(value):
    return value.isoformat() if isinstance(value, dt.date) else str(value)
