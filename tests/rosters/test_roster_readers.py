"""Reading a OneRoster export (1.1 and 1.2, zipped or in a folder) for its staff: what is kept,
what is dropped unread, and every problem with its file, row and column."""

import datetime as dt
import io
import os
import time
import zipfile

import pytest
from django.utils import timezone

from coachloop.rosters.readers import read_bundle
from tests.rosters.roster_files import (
    CASTLE,
    DEFAULT_ORGS,
    RIVERSIDE,
    STUDENT_DOMAIN,
    STUDENT_MARK,
    TRUST,
    oneroster_bundle,
    oneroster_files,
    org,
    person,
    zip_bytes,
)

VERSIONS = ["1.1", "1.2"]
EXPORTED = dt.date(2025, 9, 1)


def raw_row(files, name, values):
    """``values`` as one more row of ``files[name]``, in Latin-1 rather than UTF-8."""
    header = files[name].decode().split("\r\n")[0].split(",")
    files[name] += ",".join(values.get(c, "") for c in header).encode("latin-1") + b"\r\n"


def where(bundle):
    """Each problem as (file, row, column)."""
    return {(p.file, p.row, p.column) for p in bundle.problems}


def staff_by_email(bundle):
    return {record.email: record for record in bundle.staff}


def roles_of(record):
    return {(role.org, role.role) for role in record.roles}


@pytest.mark.parametrize("zipped", [True, False], ids=["zip", "folder"])
@pytest.mark.parametrize("version", VERSIONS)
def test_an_export_gives_its_teachers_and_administrators_and_only_counts_its_students(
    tmp_path, version, zipped
):
    path = oneroster_bundle(
        tmp_path,
        version=version,
        zip=zipped,
        teachers=["Ann Baker", person("Raj Patel", orgs=("org-riverside", "org-castle"))],
        admins=["Jo Okoro"],
        students=40,
        guardians=3,
        enrollments=True,
    )

    bundle = read_bundle(path, exported_on=EXPORTED)

    assert bundle.problems == []
    assert bundle.source_format == f"oneroster-{version}"
    assert bundle.full_export is True
    assert bundle.exported_on == EXPORTED
    assert bundle.students_skipped == 40
    assert bundle.others_skipped == 3
    staff = staff_by_email(bundle)
    assert set(staff) == {
        "ann.baker@staff.example.org",
        "raj.patel@staff.example.org",
        "jo.okoro@staff.example.org",
    }
    ann = staff["ann.baker@staff.example.org"]
    assert (ann.source_id, ann.full_name, ann.file, ann.row) == (
        "u-ann.baker",
        "Ann Baker",
        "users.csv",
        2,
    )
    assert roles_of(ann) == {("org-riverside", "teacher")}
    assert roles_of(staff["raj.patel@staff.example.org"]) == {
        ("org-riverside", "teacher"),
        ("org-castle", "teacher"),
    }
    assert roles_of(staff["jo.okoro@staff.example.org"]) == {("org-riverside", "headteacher")}
    assert bundle.orgs["org-riverside"].urn == "137042"
    assert bundle.orgs["org-trust"].type == "district"


@pytest.mark.parametrize("version", VERSIONS)
def test_nothing_of_a_student_is_anywhere_in_what_is_read(tmp_path, version):
    path = oneroster_bundle(
        tmp_path, version=version, teachers=["Ann Baker"], students=25, enrollments=True
    )

    bundle = read_bundle(path)

    seen = repr(bundle)
    assert STUDENT_MARK not in seen
    assert STUDENT_DOMAIN not in seen
    assert "student-" not in seen
    assert bundle.students_skipped == 25


@pytest.mark.parametrize("version", VERSIONS)
def test_a_students_row_is_never_checked_so_its_faults_are_never_reported(tmp_path, version):
    broken_student = {
        "sourcedId": "student-broken",
        "status": "gone",
        "dateLastModified": "last week",
        "orgSourcedIds": "org-nowhere",
        "role": "student",
        "givenName": "Kit",
        "familyName": f"{STUDENT_MARK}999999",
        "email": "not an email",
    }
    extra = {"users.csv": [broken_student, dict(broken_student)]}  # a duplicate sourcedId too
    if version == "1.2":
        extra["roles.csv"] = [
            {"userSourcedId": "student-broken", "role": "student", "orgSourcedId": "org-nowhere"},
            {"userSourcedId": "student-x", "role": "student", "beginDate": "1/9/25"},
        ]
    student_in_latin_1 = "student-9,,,true,org-riverside,student,,,Zoë,Pupilnameé,,,z@x,,,,,\r\n"
    path = oneroster_bundle(
        tmp_path,
        version=version,
        teachers=["Ann Baker"],
        students=2,
        extra_rows=extra,
        append={"users.csv": student_in_latin_1.encode("latin-1")} if version == "1.1" else None,
    )

    bundle = read_bundle(path)

    assert bundle.problems == []
    assert bundle.students_skipped == (5 if version == "1.1" else 4)
    assert STUDENT_MARK not in repr(bundle)


def test_12_principals_and_site_administrators_are_headteachers_and_the_trusts_are_not(
    tmp_path,
):
    path = oneroster_bundle(
        tmp_path,
        version="1.2",
        admins=[
            person("Pat Principal", role="principal"),
            person("Sam Site", role="siteAdministrator", orgs=("org-castle",)),
            person("Dee District", role="districtAdministrator", orgs=("org-trust",)),
            person("Sy System", role="systemAdministrator", orgs=("org-trust",)),
        ],
    )

    bundle = read_bundle(path)

    assert bundle.problems == []
    staff = staff_by_email(bundle)
    assert roles_of(staff["pat.principal@staff.example.org"]) == {("org-riverside", "headteacher")}
    assert roles_of(staff["sam.site@staff.example.org"]) == {("org-castle", "headteacher")}
    assert "dee.district@staff.example.org" not in staff
    assert "sy.system@staff.example.org" not in staff
    assert bundle.others_skipped == 2


def test_a_district_administrator_of_a_school_is_its_headteacher(tmp_path):
    path = oneroster_bundle(
        tmp_path,
        version="1.2",
        admins=[person("Dee District", role="districtAdministrator", orgs=("org-castle",))],
    )

    bundle = read_bundle(path)

    assert roles_of(bundle.staff[0]) == {("org-castle", "headteacher")}


def test_oneroster_11_administrators_of_the_trust_alone_are_not_brought_in(tmp_path):
    path = oneroster_bundle(
        tmp_path,
        admins=[
            person("Tom Trust", orgs=("org-trust",)),
            person("Ola Both", orgs=("org-trust", "org-castle")),
        ],
    )

    bundle = read_bundle(path)

    assert bundle.problems == []
    assert [record.full_name for record in bundle.staff] == ["Ola Both"]
    assert roles_of(bundle.staff[0]) == {("org-castle", "headteacher")}
    assert bundle.others_skipped == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_a_teacher_listed_at_a_department_teaches_at_the_departments_school(tmp_path, version):
    science = org("org-science", "Science", type="department", parent="org-castle")
    path = oneroster_bundle(
        tmp_path,
        version=version,
        orgs=DEFAULT_ORGS + (science,),
        teachers=[person("Ann Baker", orgs=("org-science",))],
    )

    bundle = read_bundle(path)

    assert bundle.problems == []
    assert roles_of(bundle.staff[0]) == {("org-castle", "teacher")}


@pytest.mark.parametrize("version", VERSIONS)
def test_a_teacher_listed_only_at_the_trust_is_a_problem(tmp_path, version):
    path = oneroster_bundle(
        tmp_path, version=version, teachers=[person("Ann Baker", orgs=("org-trust",))]
    )

    bundle = read_bundle(path)

    assert where(bundle) == {("users.csv", 2, None)}
    assert "Riverside Learning Trust" in bundle.problems[0].message


def test_only_an_identifier_of_six_digits_is_taken_for_a_urn(tmp_path):
    laestab = org("org-laestab", "Meadow School", urn="3304001")
    path = oneroster_bundle(tmp_path, orgs=(TRUST, RIVERSIDE, laestab), teachers=["Ann Baker"])

    bundle = read_bundle(path)

    assert bundle.orgs["org-riverside"].urn == "137042"
    assert bundle.orgs["org-laestab"].urn == ""
    assert bundle.orgs["org-laestab"].name == "Meadow School"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_teacher_reference_number_among_the_user_ids_is_kept(tmp_path, version):
    extra = {
        "users.csv": [
            {
                "sourcedId": "u-dfe",
                "role": "teacher",
                "orgSourcedIds": "org-riverside",
                "userIds": "{MIS:88},{DfE TRN:7654321}",
                "givenName": "Dee",
                "familyName": "Fe",
                "email": "dee@staff.example.org",
            }
        ]
    }
    if version == "1.2":
        extra["roles.csv"] = [
            {"userSourcedId": "u-dfe", "role": "teacher", "orgSourcedId": "org-riverside"}
        ]
    path = oneroster_bundle(
        tmp_path,
        version=version,
        teachers=[person("Ann Baker", trn="1234567"), "Raj Patel"],
        extra_rows=extra,
    )

    bundle = read_bundle(path)

    assert bundle.problems == []
    assert {r.email: r.trn for r in bundle.staff} == {
        "ann.baker@staff.example.org": "1234567",
        "raj.patel@staff.example.org": "",
        "dee@staff.example.org": "7654321",
    }


def test_a_trn_that_is_not_seven_digits_is_a_problem(tmp_path):
    path = oneroster_bundle(tmp_path, teachers=[person("Ann Baker", trn="12345")])

    bundle = read_bundle(path)

    assert where(bundle) == {("users.csv", 2, "userIds")}


def test_oneroster_12_uses_a_preferred_given_name(tmp_path):
    path = oneroster_bundle(
        tmp_path, version="1.2", teachers=[person("Elizabeth Baker", preferred="Liz")]
    )

    bundle = read_bundle(path)

    assert bundle.staff[0].full_name == "Liz Baker"


def test_emails_are_kept_in_lower_case(tmp_path):
    path = oneroster_bundle(
        tmp_path, teachers=[person("Ann Baker", email=" Ann.Baker@School.ORG ")]
    )

    bundle = read_bundle(path)

    assert bundle.staff[0].email == "ann.baker@school.org"


# --- Leaving --------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_user_to_be_deleted_is_marked_so(tmp_path, version):
    path = oneroster_bundle(
        tmp_path,
        version=version,
        delta=True,
        modified="2025-08-30T10:00:00Z",
        teachers=[person("Ann Baker", status="tobedeleted"), "Raj Patel"],
    )

    bundle = read_bundle(path)

    assert bundle.problems == []
    assert bundle.full_export is False
    assert {r.full_name: r.to_be_deleted for r in bundle.staff} == {
        "Ann Baker": True,
        "Raj Patel": False,
    }


def test_a_user_to_be_deleted_need_give_only_their_sourced_id_and_role(tmp_path):
    path = oneroster_bundle(
        tmp_path,
        delta=True,
        teachers=[person("Ann Baker", status="tobedeleted", email="", orgs=())],
        extra_rows={
            "users.csv": [{"sourcedId": "u-raj", "status": "tobedeleted", "role": "teacher"}]
        },
    )

    bundle = read_bundle(path)

    assert bundle.problems == []
    assert [(r.source_id, r.email, r.to_be_deleted) for r in bundle.staff] == [
        ("u-ann.baker", "", True),
        ("u-raj", "", True),
    ]


def test_a_role_for_no_user_is_a_problem(tmp_path):
    path = oneroster_bundle(
        tmp_path,
        version="1.2",
        teachers=["Ann Baker"],
        extra_rows={"roles.csv": [{"role": "teacher", "orgSourcedId": "org-castle"}]},
    )

    bundle = read_bundle(path)

    assert where(bundle) == {("roles.csv", 3, "userSourcedId")}


def test_oneroster_12_a_role_to_be_deleted_or_ended_before_the_export_is_marked_so(tmp_path):
    path = oneroster_bundle(
        tmp_path,
        version="1.2",
        teachers=[
            person("Ann Baker", orgs=("org-riverside", "org-castle"), role_status="tobedeleted"),
            person("Raj Patel", begin="2019-09-01", end="2025-07-31"),
            person("Eve Stays", begin="2024-09-01", end="2026-07-31"),
        ],
    )

    bundle = read_bundle(path, exported_on=EXPORTED)

    assert bundle.problems == []
    roles = {(r.full_name, role.org): role for r in bundle.staff for role in r.roles}
    assert roles["Ann Baker", "org-riverside"].to_be_deleted is True
    assert roles["Ann Baker", "org-castle"].to_be_deleted is True
    assert roles["Raj Patel", "org-riverside"].to_be_deleted is True
    assert roles["Raj Patel", "org-riverside"].started_on == dt.date(2019, 9, 1)
    assert roles["Eve Stays", "org-riverside"].to_be_deleted is False
    assert roles["Eve Stays", "org-riverside"].file == "roles.csv"
    assert all(not r.to_be_deleted for r in bundle.staff)


def test_oneroster_11_enrolments_give_a_start_date_and_a_school_users_csv_did_not_list(tmp_path):
    ann = person("Ann Baker", begin="2021-09-01")
    files = oneroster_files(
        teachers=[ann],
        enrollments=True,
        extra_rows={
            "enrollments.csv": [
                {
                    "userSourcedId": "u-ann.baker",
                    "schoolSourcedId": "org-castle",
                    "role": "teacher",
                    "beginDate": "2024-01-08",
                    "status": "tobedeleted",
                },
                {
                    "userSourcedId": "u-ann.baker",
                    "schoolSourcedId": "org-riverside",
                    "role": "teacher",
                    "beginDate": "2022-09-01",
                    "status": "tobedeleted",
                },
            ]
        },
    )
    path = tmp_path / "export.zip"
    path.write_bytes(zip_bytes(files))

    bundle = read_bundle(path)

    assert bundle.problems == []
    roles = {role.org: role for role in bundle.staff[0].roles}
    # users.csv lists Riverside: a class ending there does not end her work at the school.
    assert roles["org-riverside"].started_on == dt.date(2021, 9, 1)
    assert roles["org-riverside"].to_be_deleted is False
    assert roles["org-riverside"].file == "users.csv"
    # Castle Hill comes from her one enrolment there, which is to be deleted.
    assert roles["org-castle"].started_on == dt.date(2024, 1, 8)
    assert roles["org-castle"].to_be_deleted is True
    assert (roles["org-castle"].file, roles["org-castle"].row) == ("enrollments.csv", 3)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_delta_export_is_not_a_full_export(tmp_path, version):
    path = oneroster_bundle(tmp_path, version=version, delta=True, teachers=["Ann Baker"])

    assert read_bundle(path).full_export is False


# --- The export's date ----------------------------------------------------------------------


def test_the_export_date_given_is_used(tmp_path):
    path = oneroster_bundle(tmp_path, modified="2025-06-01T10:00:00Z", teachers=["Ann Baker"])

    assert read_bundle(path, exported_on=EXPORTED).exported_on == EXPORTED


def test_without_a_date_given_the_export_is_dated_by_its_newest_staff_row(tmp_path):
    path = oneroster_bundle(
        tmp_path,
        teachers=[
            person("Ann Baker", modified="2025-06-01T10:00:00.000Z"),
            person("Raj Patel", modified="2025-06-03T23:30:00Z"),  # 4 June in London
        ],
        students=1,
    )

    assert read_bundle(path).exported_on == dt.date(2025, 6, 4)


def test_a_bulk_zip_without_dates_is_dated_by_its_users_file(tmp_path):
    files = oneroster_files(teachers=["Ann Baker"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 3, 14, 9, 0, 0)), data)

    bundle = read_bundle(io.BytesIO(out.getvalue()), file_name="export.zip")

    assert bundle.exported_on == dt.date(2025, 3, 14)


def test_a_bulk_folder_without_dates_is_dated_by_its_users_file(tmp_path):
    path = oneroster_bundle(tmp_path, zip=False, teachers=["Ann Baker"])
    noon = time.mktime((2025, 2, 10, 12, 0, 0, 0, 0, -1))
    os.utime(path / "users.csv", (noon, noon))

    assert read_bundle(path).exported_on == dt.date(2025, 2, 10)


# --- Problems -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_missing_column_is_a_problem_naming_it(tmp_path, version):
    path = oneroster_bundle(
        tmp_path,
        version=version,
        teachers=["Ann Baker"],
        drop_columns={"users.csv": ["email"], "orgs.csv": ["type"]},
    )

    bundle = read_bundle(path)

    assert where(bundle) == {("users.csv", None, "email"), ("orgs.csv", None, "type")}
    assert bundle.staff == []


@pytest.mark.parametrize("version", VERSIONS)
def test_a_user_at_an_organisation_orgs_csv_does_not_list_is_a_problem(tmp_path, version):
    path = oneroster_bundle(
        tmp_path, version=version, teachers=[person("Ann Baker", orgs=("org-gone",))]
    )

    bundle = read_bundle(path)

    if version == "1.1":
        assert where(bundle) == {("users.csv", 2, "orgSourcedIds")}
    else:
        assert where(bundle) == {("roles.csv", 2, "orgSourcedId")}
    assert "org-gone" in bundle.problems[0].message


@pytest.mark.parametrize("version", VERSIONS)
def test_a_sourced_id_used_twice_is_a_problem_in_users_and_in_orgs(tmp_path, version):
    path = oneroster_bundle(
        tmp_path,
        version=version,
        orgs=DEFAULT_ORGS + (dict(CASTLE, name="Castle Hill again"),),
        teachers=["Ann Baker", person("Raj Patel", id="u-ann.baker")],
    )

    bundle = read_bundle(path)

    assert where(bundle) == {("users.csv", 3, "sourcedId"), ("orgs.csv", 5, "sourcedId")}
    assert "Row 2" in next(p.message for p in bundle.problems if p.file == "users.csv")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_bad_email_and_a_missing_one_are_problems(tmp_path, version):
    path = oneroster_bundle(
        tmp_path,
        version=version,
        teachers=[person("Ann Baker", email="ann.baker at school"), person("Raj Patel", email="")],
    )

    bundle = read_bundle(path)

    assert where(bundle) == {("users.csv", 2, "email"), ("users.csv", 3, "email")}


def test_two_staff_with_one_email_is_a_problem(tmp_path):
    path = oneroster_bundle(
        tmp_path,
        teachers=["Ann Baker", person("Ann Baker Two", email="ANN.BAKER@staff.example.org")],
    )

    bundle = read_bundle(path)

    assert where(bundle) == {("users.csv", 3, "email")}


@pytest.mark.parametrize("version", VERSIONS)
def test_a_bad_date_is_a_problem(tmp_path, version):
    path = oneroster_bundle(
        tmp_path,
        version=version,
        enrollments=True,
        teachers=[
            person("Ann Baker", modified="yesterday"),
            person("Raj Patel", begin="01/09/2025"),
            person("Eve Stone", end="2025-02-30"),
        ],
    )

    bundle = read_bundle(path)

    later = "roles.csv" if version == "1.2" else "enrollments.csv"
    assert where(bundle) == {
        ("users.csv", 2, "dateLastModified"),
        (later, 2, "dateLastModified"),
        (later, 3, "beginDate"),
        (later, 4, "endDate"),
    }


@pytest.mark.parametrize("version", VERSIONS)
def test_a_row_that_is_not_utf8_is_a_problem_at_its_row_and_column(tmp_path, version):
    row = {
        "sourcedId": "u-zoe",
        "role": "teacher",
        "orgSourcedIds": "org-riverside",
        "givenName": "Zoë",
        "familyName": "Adams",
        "email": "zoe@staff.example.org",
    }
    files = oneroster_files(
        version=version,
        teachers=[person("Ann Baker", email="ann@staff.example.org")],
        extra_rows={
            "roles.csv": [
                {"userSourcedId": "u-zoe", "role": "teacher", "orgSourcedId": "org-riverside"}
            ]
        },
    )
    raw_row(files, "users.csv", row)
    path = tmp_path / "export.zip"
    path.write_bytes(zip_bytes(files))

    bundle = read_bundle(path)

    assert where(bundle) == {("users.csv", 3, "givenName")}
    assert "UTF-8" in bundle.problems[0].message


@pytest.mark.parametrize("version", VERSIONS)
def test_a_quotation_mark_left_open_is_a_problem_at_its_row_and_nothing_it_swallows_is_kept(
    tmp_path, version
):
    files = oneroster_files(version=version, teachers=["Ann Baker", "Raj Patel"], students=5)
    files["users.csv"] = files["users.csv"].replace(b",Raj,", b',"Raj,')
    path = tmp_path / "export.zip"
    path.write_bytes(zip_bytes(files))

    bundle = read_bundle(path)

    assert ("users.csv", 3, None) in where(bundle)
    if version == "1.2":  # and so roles.csv names someone users.csv does not have
        assert where(bundle) == {("users.csv", 3, None), ("roles.csv", 3, "userSourcedId")}
    assert "quotation mark" in bundle.problems[0].message
    assert [r.full_name for r in bundle.staff] == ["Ann Baker"]
    assert STUDENT_MARK not in repr(bundle)


def test_an_export_without_a_manifest_is_a_problem_and_its_other_faults_are_listed_too(tmp_path):
    path = oneroster_bundle(
        tmp_path, omit=["manifest.csv"], teachers=[person("Ann Baker", email="nope")]
    )

    bundle = read_bundle(path)

    assert where(bundle) == {("manifest.csv", None, None), ("users.csv", 2, "email")}


@pytest.mark.parametrize("version", ["1.0", "2.0", ""])
def test_a_version_other_than_11_or_12_is_a_problem(tmp_path, version):
    path = oneroster_bundle(
        tmp_path, teachers=["Ann Baker"], manifest={"oneroster.version": version}
    )

    bundle = read_bundle(path)

    assert where(bundle) == {("manifest.csv", 3, "value")}


def test_a_12_export_without_roles_csv_is_a_problem(tmp_path):
    path = oneroster_bundle(tmp_path, version="1.2", teachers=["Ann Baker"], omit=["roles.csv"])

    bundle = read_bundle(path)

    assert ("roles.csv", None, None) in where(bundle)


def test_a_member_of_staff_with_no_school_is_a_problem(tmp_path):
    path = oneroster_bundle(tmp_path, teachers=[person("Ann Baker", orgs=())])

    bundle = read_bundle(path)

    assert where(bundle) == {("users.csv", 2, "orgSourcedIds")}


def test_a_12_role_for_someone_users_csv_does_not_have_is_a_problem(tmp_path):
    path = oneroster_bundle(
        tmp_path,
        version="1.2",
        teachers=["Ann Baker"],
        extra_rows={
            "roles.csv": [
                {"userSourcedId": "u-ghost", "role": "teacher", "orgSourcedId": "org-castle"}
            ]
        },
    )

    bundle = read_bundle(path)

    assert where(bundle) == {("roles.csv", 3, "userSourcedId")}


@pytest.mark.parametrize("version", VERSIONS)
def test_a_broken_export_lists_every_problem_at_once(tmp_path, version):
    files = oneroster_files(
        version=version,
        enrollments=True,
        orgs=DEFAULT_ORGS + (dict(RIVERSIDE, name="Again"),),
        teachers=[
            person("Ann Baker", email="not-an-email"),
            person("Raj Patel", orgs=("org-gone",)),
            person("Eve Stone", id="u-ann.baker"),
            person("Max Bell", begin="1st September"),
        ],
        admins=[person("Jo Okoro", modified="soon")],
        students=3,
        drop_columns={"orgs.csv": ["identifier"]},
    )
    latin = {"sourcedId": "u-latin", "orgSourcedIds": "org-castle", "role": "teacher"}
    latin |= {"givenName": "René", "familyName": "Roy", "email": "ren@staff.example.org"}
    raw_row(files, "users.csv", latin)
    if version == "1.2":
        raw_row(
            files,
            "roles.csv",
            {"userSourcedId": "u-latin", "role": "teacher", "orgSourcedId": "org-castle"},
        )
    path = tmp_path / "export.zip"
    path.write_bytes(zip_bytes(files))

    bundle = read_bundle(path)

    # users.csv: rows 2 to 6 staff, 7 to 9 students, 10 René; orgs.csv: row 5 Riverside again.
    expected = {
        ("orgs.csv", 5, "sourcedId"),
        ("users.csv", 2, "email"),
        ("users.csv", 4, "sourcedId"),
        ("users.csv", 6, "dateLastModified"),
        ("users.csv", 10, "givenName"),
    }
    if version == "1.1":  # enrollments.csv: a row for each teacher, in the same order
        expected |= {
            ("users.csv", 3, "orgSourcedIds"),
            ("enrollments.csv", 3, "schoolSourcedId"),
            ("enrollments.csv", 5, "beginDate"),
        }
    else:  # roles.csv: a row for each member of staff, in the same order
        expected |= {
            ("roles.csv", 3, "orgSourcedId"),
            ("roles.csv", 5, "beginDate"),
            ("roles.csv", 6, "dateLastModified"),
        }
    assert where(bundle) == expected
    assert STUDENT_MARK not in repr(bundle)


# --- What is given --------------------------------------------------------------------------


def test_an_upload_is_read_from_its_bytes_whatever_its_name(tmp_path):
    data = zip_bytes(oneroster_files(teachers=["Ann Baker"], students=2))

    named = read_bundle(io.BytesIO(data), file_name="roster.zip")
    unnamed = read_bundle(io.BytesIO(data))

    assert [r.full_name for r in named.staff] == ["Ann Baker"]
    assert [r.full_name for r in unnamed.staff] == ["Ann Baker"]


def test_a_zip_holding_the_export_in_a_folder_is_read(tmp_path):
    path = oneroster_bundle(tmp_path, folder="export-2025-09-01", teachers=["Ann Baker"])

    bundle = read_bundle(path)

    assert bundle.problems == []
    assert [r.full_name for r in bundle.staff] == ["Ann Baker"]


def test_a_zip_that_is_not_an_export_gives_one_problem(tmp_path):
    path = tmp_path / "photos.zip"
    path.write_bytes(zip_bytes({"a.jpg": b"\xff\xd8", "notes.txt": b"hello"}))

    bundle = read_bundle(path)

    assert where(bundle) == {("photos.zip", None, None)}
    assert bundle.staff == []


def test_a_users_file_of_ten_thousand_staff_and_fifty_thousand_students_is_read(tmp_path):
    path = oneroster_bundle(tmp_path, teachers=10_000, students=50_000)

    bundle = read_bundle(path)

    assert bundle.problems == []
    assert len(bundle.staff) == 10_000
    assert bundle.students_skipped == 50_000


def test_an_export_zipped_without_dates_is_dated_today_not_1980(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in oneroster_files(teachers=["Ann Baker"]).items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)

    bundle = read_bundle(io.BytesIO(buffer.getvalue()), file_name="export.zip")

    assert bundle.exported_on == timezone.localdate()
