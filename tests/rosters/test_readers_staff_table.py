"""Reading a plain staff list, CSV or Excel, for a school without OneRoster; and the template
offered to fill in."""

import datetime as dt
import io

import openpyxl
import pytest

from coachloop.rosters.readers import read_bundle, staff_template_csv, staff_template_xlsx
from coachloop.rosters.records import Org, RoleAt
from tests.rosters.roster_files import (
    STAFF_COLUMNS,
    staff_csv,
    staff_csv_bytes,
    staff_row,
    staff_xlsx,
    staff_xlsx_bytes,
)

EXPORTED = dt.date(2025, 9, 1)
KINDS = ["csv", "xlsx"]


def write(tmp_path, kind, rows, **options):
    return (staff_csv if kind == "csv" else staff_xlsx)(tmp_path, rows, **options)


def where(bundle):
    return {(p.file, p.row, p.column) for p in bundle.problems}


@pytest.mark.parametrize("kind", KINDS)
def test_a_staff_list_gives_one_person_per_email_with_every_role_they_hold(tmp_path, kind):
    path = write(
        tmp_path,
        kind,
        [
            staff_row(
                "Ann Baker", role="Teacher", group="Early-career teachers", start="2025-09-01"
            ),
            staff_row("Raj Patel", role="coaching_lead", group="leader", trn="1234567"),
            staff_row("Ann Baker", urn="141234", role="Coach", start="01/09/2024"),
            staff_row("Jo Okoro", role="HEADTEACHER"),
        ],
    )

    bundle = read_bundle(path, exported_on=EXPORTED)

    assert bundle.problems == []
    assert bundle.source_format == f"staff-{kind}"
    assert bundle.full_export is True
    assert bundle.exported_on == EXPORTED
    assert bundle.orgs == {
        "137042": Org(key="137042", name="", urn="137042", type="school"),
        "141234": Org(key="141234", name="", urn="141234", type="school"),
    }
    staff = {record.email: record for record in bundle.staff}
    assert list(staff) == [
        "ann.baker@staff.example.org",
        "raj.patel@staff.example.org",
        "jo.okoro@staff.example.org",
    ]
    ann = staff["ann.baker@staff.example.org"]
    assert (ann.source_id, ann.full_name, ann.row, ann.file) == ("", "Ann Baker", 2, path.name)
    assert ann.roles == (
        RoleAt("137042", "teacher", "early_career", dt.date(2025, 9, 1), row=2, file=path.name),
        RoleAt("141234", "coach", "teacher", dt.date(2024, 9, 1), row=4, file=path.name),
    )
    raj = staff["raj.patel@staff.example.org"]
    assert raj.trn == "1234567"
    assert [(r.role, r.staff_group) for r in raj.roles] == [("coaching_lead", "leader")]
    assert [r.role for r in staff["jo.okoro@staff.example.org"].roles] == ["headteacher"]


def test_column_names_are_read_whatever_their_case_and_spaces_and_order(tmp_path):
    columns = (" email ", "NAME", "school urn", "role ")
    rows = [
        {
            " email ": "ann@school.org",
            "NAME": "Ann Baker",
            "school urn": "137042",
            "role ": "teacher",
        }
    ]
    path = staff_csv(tmp_path, rows, columns=columns)

    bundle = read_bundle(path)

    assert bundle.problems == []
    assert [(r.full_name, r.email) for r in bundle.staff] == [("Ann Baker", "ann@school.org")]


def test_a_workbook_with_real_dates_and_numbers_in_its_cells_is_read(tmp_path):
    row = staff_row("Ann Baker", urn=137042, start=dt.datetime(2025, 9, 1), trn=1234567)

    bundle = read_bundle(io.BytesIO(staff_xlsx_bytes([row])), file_name="staff.xlsx")

    assert bundle.problems == []
    record = bundle.staff[0]
    assert record.trn == "1234567"
    assert record.roles[0].org == "137042"
    assert record.roles[0].started_on == dt.date(2025, 9, 1)


def test_an_upload_is_told_csv_or_workbook_by_its_bytes():
    csv_data = staff_csv_bytes(["Ann Baker"])
    xlsx_data = staff_xlsx_bytes(["Ann Baker"])

    assert read_bundle(io.BytesIO(csv_data)).source_format == "staff-csv"
    assert read_bundle(io.BytesIO(xlsx_data)).source_format == "staff-xlsx"
    assert read_bundle(io.BytesIO(xlsx_data), file_name="staff.csv").source_format == "staff-xlsx"


@pytest.mark.parametrize("kind", KINDS)
def test_every_fault_in_a_staff_list_is_a_problem_at_its_row_and_column(tmp_path, kind):
    path = write(
        tmp_path,
        kind,
        [
            staff_row("Ann Baker", email="ann at school"),
            staff_row("Raj Patel", urn="13704"),
            staff_row("Eve Stone", role="Deputy head"),
            staff_row("Max Bell", start="31/02/2025"),
            staff_row("Kit Lee", trn="12-34"),
            staff_row("Sue Ray", group="Support staff"),
            staff_row("", email="noname@staff.example.org"),
            staff_row("Kit Leigh", email="kit.lee@staff.example.org"),
            staff_row("Ola Ade", role=""),
        ],
    )

    bundle = read_bundle(path)

    assert where(bundle) == {
        (path.name, 2, "Email"),
        (path.name, 3, "School URN"),
        (path.name, 4, "Role"),
        (path.name, 5, "Start date"),
        (path.name, 6, "TRN"),
        (path.name, 7, "Staff group"),
        (path.name, 8, "Name"),
        (path.name, 9, "Name"),
        (path.name, 10, "Role"),
    }
    kit = next(p for p in bundle.problems if p.row == 9)
    assert "Row 6" in kit.message


def test_a_long_value_is_cut_short_in_a_problems_message(tmp_path):
    path = staff_csv(tmp_path, [staff_row("Ann Baker", email="a" * 5000)])

    bundle = read_bundle(path)

    assert where(bundle) == {("staff.csv", 2, "Email")}
    assert len(bundle.problems[0].message) < 120


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_column_is_a_problem_naming_it(tmp_path, kind):
    columns = ("Name", "Email", "Staff group")
    path = write(tmp_path, kind, ["Ann Baker"], columns=columns)

    bundle = read_bundle(path)

    assert where(bundle) == {(path.name, None, "School URN"), (path.name, None, "Role")}
    assert bundle.staff == []


def test_a_row_that_is_not_utf8_is_a_problem_at_its_row_and_column(tmp_path):
    data = staff_csv_bytes(["Ann Baker"]) + "Zoë Adams,zoe@school.org,137042,Teacher,,,\r\n".encode(
        "cp1252"
    )
    path = tmp_path / "staff.csv"
    path.write_bytes(data)

    bundle = read_bundle(path)

    assert where(bundle) == {("staff.csv", 3, "Name")}
    assert "UTF-8" in bundle.problems[0].message


def test_a_csv_without_a_byte_order_mark_is_read(tmp_path):
    path = staff_csv(tmp_path, [staff_row("Zoë Adams", email="zoe@school.org")], bom=False)

    bundle = read_bundle(path)

    assert bundle.problems == []
    assert bundle.staff[0].full_name == "Zoë Adams"


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_role_twice_is_one_role_unless_the_rows_disagree(tmp_path, kind):
    path = write(
        tmp_path,
        kind,
        ["Ann Baker", "Ann Baker", staff_row("Ann Baker", group="Leaders")],
    )

    bundle = read_bundle(path)

    assert where(bundle) == {(path.name, 4, None)}
    assert len(bundle.staff[0].roles) == 1


def test_a_spreadsheet_that_is_not_a_staff_list_gives_one_problem(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Item,Cost\r\nPaper,12\r\n")

    bundle = read_bundle(path)

    assert [(p.file, p.row, p.column) for p in bundle.problems] == [("budget.csv", None, None)]
    assert "Name" in bundle.problems[0].message


def test_one_file_of_a_oneroster_export_on_its_own_gives_one_problem_saying_what_to_upload(
    tmp_path,
):
    path = tmp_path / "users.csv"
    path.write_text(
        "sourcedId,status,role,givenName,familyName,email\r\nu-1,,teacher,A,B,a@b.org\r\n"
    )

    bundle = read_bundle(path)

    assert len(bundle.problems) == 1
    assert "zip" in bundle.problems[0].message


def test_an_empty_file_gives_one_problem(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(b"")

    bundle = read_bundle(path)

    assert [(p.file, p.row) for p in bundle.problems] == [("staff.csv", None)]


def test_a_damaged_workbook_gives_one_problem():
    data = staff_xlsx_bytes(["Ann Baker"])
    damaged = data[: len(data) // 2] + b"\x00" * 10 + data[len(data) // 2 :]

    bundle = read_bundle(io.BytesIO(damaged), file_name="staff.xlsx")

    assert len(bundle.problems) == 1
    assert bundle.problems[0].row is None


# --- The template ---------------------------------------------------------------------------


def test_the_csv_template_names_the_columns_and_reads_back_with_no_problems():
    data = staff_template_csv()

    bundle = read_bundle(io.BytesIO(data), file_name="staff-template.csv")

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0] == ",".join(STAFF_COLUMNS)
    assert bundle.problems == []
    assert len(bundle.staff) == 1


def test_the_workbook_template_names_the_columns_and_reads_back_with_no_problems():
    data = staff_template_xlsx()

    bundle = read_bundle(io.BytesIO(data), file_name="staff-template.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[1]] == list(STAFF_COLUMNS)
    assert bundle.problems == []
    assert bundle.source_format == "staff-xlsx"
    assert bundle.staff[0].roles[0].started_on == dt.date(2025, 9, 1)
