"""Tables as files a spreadsheet opens honestly: CSV (UTF-8 with a byte-order mark, so that
Excel shows accented names as they are) and XLSX (cells typed, so that numbers can be summed
and dates sorted).

Every download of a table goes through here. In both formats:

- a number is a number (never "71%" or "1,234"), a date or time is a date or time, a yes/no
  is a real boolean (TRUE/FALSE in CSV);
- no value (``None``) is an empty cell;
- text a spreadsheet would run as a formula ("=1+1") stays text.

A column has a ``kind``: ``text``, ``int``, ``decimal``, ``number`` (int or decimal, as the
value comes), ``percent`` (a whole number of percent: 71 means 71%; in XLSX it is stored as
0.71 and shown as "71%"), ``date``, ``datetime`` or ``flag`` (a boolean).
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

import openpyxl
from django.utils import timezone
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from coachloop.common.text import spreadsheet_safe

KINDS = ("text", "int", "decimal", "number", "percent", "date", "datetime", "flag")
XLSX_FORMATS = {
    "int": "0",
    "decimal": "0.0",
    "percent": "0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r}")


@dataclass
class Sheet:
    title: str
    columns: list
    rows: list


def _naive(value):
    """A time as a spreadsheet holds it: without a zone, in the local time it was shown in."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return _naive(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 3, as the page and Excel show it, not 3.0
    if isinstance(value, int | float):
        return value
    return spreadsheet_safe(str(value))


def csv_bytes(columns, rows) -> bytes:
    """One table as CSV: a header row of the columns' labels, then ``rows``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(str(column.label)) for column in columns])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_value(value, kind):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if kind == "percent" and isinstance(value, int | float):
        return value / 100
    if isinstance(value, dt.datetime | dt.date | int | float):
        return _naive(value)
    return str(value)


def xlsx_bytes(sheets) -> bytes:
    """Tables as an Excel workbook, a sheet each: the header row bold and frozen, every cell
    typed by its column's kind."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in sheets:
        # Excel allows 31 characters and none of []:*?/\ in a sheet's name.
        title = "".join(c for c in str(table.title) if c not in "[]:*?/\\")[:31] or "Sheet"
        sheet = book.create_sheet(title)
        sheet.append([str(column.label) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"
        for row in table.rows:
            sheet.append(
                [
                    _xlsx_value(value, column.kind)
                    for value, column in zip(row, table.columns, strict=True)
                ]
            )
            for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
                if isinstance(cell.value, str):
                    # openpyxl would otherwise store a string starting with "=" as a formula.
                    cell.data_type = "s"
                elif column.kind in XLSX_FORMATS and cell.value is not None:
                    cell.number_format = XLSX_FORMATS[column.kind]
        for i, column in enumerate(table.columns, start=1):
            width = max(10, min(40, len(str(column.label)) + 2))
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
