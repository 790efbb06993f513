import csv
import datetime as dt
import io
import zoneinfo

import openpyxl

from coachloop.common.spreadsheets import Column, Sheet, csv_bytes, xlsx_bytes

NAME = "Zoë Ó Súilleabháin"
COLUMNS = [
    Column("Name"),
    Column("Marks", "int"),
    Column("Average", "decimal"),
    Column("Share", "percent"),
    Column("Week", "date"),
    Column("Marked at", "datetime"),
    Column("Released", "flag"),
]
LONDON = zoneinfo.ZoneInfo("Europe/London")
ROWS = [
    [NAME, 71, 12.5, 71, dt.date(2026, 3, 2), dt.datetime(2026, 7, 1, 16, 5, tzinfo=LONDON), True],
    ["=1+1", None, None, None, None, None, False],
]


def _csv_rows(body):
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_csv_starts_with_a_byte_order_mark_so_excel_reads_it_as_utf_8():
    assert csv_bytes(COLUMNS, ROWS).startswith("\ufeff".encode())


def test_a_csv_round_trips_accented_names_through_pythons_csv_reader():
    header, first, second = _csv_rows(csv_bytes(COLUMNS, ROWS))
    assert header == ["Name", "Marks", "Average", "Share", "Week", "Marked at", "Released"]
    assert first == [NAME, "71", "12.5", "71", "2026-03-02", "2026-07-01 16:05", "TRUE"]


def test_in_a_csv_no_value_is_an_empty_cell_and_a_formula_stays_text():
    _, _, second = _csv_rows(csv_bytes(COLUMNS, ROWS))
    assert second == ["'=1+1", "", "", "", "", "", "FALSE"]


def test_a_csv_ends_its_lines_as_spreadsheets_expect():
    assert b"\r\n" in csv_bytes(COLUMNS, ROWS)


def _sheet(body):
    return openpyxl.load_workbook(io.BytesIO(body))["Marks"]


def test_an_xlsx_has_typed_cells_that_a_spreadsheet_can_sum_and_sort():
    sheet = _sheet(xlsx_bytes([Sheet("Marks", COLUMNS, ROWS)]))
    name, marks, average, share, week, marked, released = (cell.value for cell in sheet[2])
    assert name == NAME
    assert marks == 71 and isinstance(marks, int)
    assert average == 12.5 and isinstance(average, float)
    assert share == 0.71 and sheet["D2"].number_format == "0%"
    assert week == dt.datetime(2026, 3, 2) and sheet["E2"].number_format == "yyyy-mm-dd"
    assert marked == dt.datetime(2026, 7, 1, 16, 5)
    assert released is True


def test_in_an_xlsx_no_value_is_an_empty_cell_and_a_formula_stays_text():
    sheet = _sheet(xlsx_bytes([Sheet("Marks", COLUMNS, ROWS)]))
    assert sheet["A3"].value == "=1+1"
    assert sheet["A3"].data_type == "s"
    assert all(cell.value is None for cell in sheet[3][1:6])


def test_an_xlsx_header_is_bold_and_stays_in_view():
    sheet = _sheet(xlsx_bytes([Sheet("Marks", COLUMNS, ROWS)]))
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"


def test_an_xlsx_has_a_sheet_for_each_table_named_as_excel_allows():
    body = xlsx_bytes([Sheet("Marks", COLUMNS, []), Sheet("History: who/when?" * 3, COLUMNS, [])])
    names = openpyxl.load_workbook(io.BytesIO(body)).sheetnames
    assert names[0] == "Marks"
    assert len(names[1]) == 31 and ":" not in names[1] and "/" not in names[1]
