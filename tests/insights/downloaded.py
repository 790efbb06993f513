"""Reading a dashboard table downloaded as CSV or XLSX back as the page's cells.

A download carries each figure as a number followed by its flag column ("<column>: hidden").
``folded`` puts each flag back into its cell, as the page shows it: "hidden" for a hidden
figure (whose cell must be empty: a download never holds a hidden number), the number's text
otherwise ("" for no figure), so the tests read every format the same way.
"""

import csv
import datetime as dt
import io

import openpyxl

FLAG = ": hidden"


def csv_table(body: bytes):
    """The header and rows of a CSV download, as text."""
    assert body.startswith("\ufeff".encode()), "a CSV download starts with a byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _text(value):
    if value is None:
        return ""
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def xlsx_table(body: bytes):
    """The header and rows of an XLSX download, as the CSV would give them (a percent back to
    a whole number, a date as ISO text)."""
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    rows = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            value = cell.value
            if cell.number_format == "0%" and isinstance(value, int | float):
                value = round(value * 100)  # a percent is a whole number, as on the page
            cells.append(_text(value))
        rows.append(cells)
    return rows


def folded(rows):
    """``rows`` (header first) with each flag column folded into the figure before it."""
    header, *body = rows
    keep = [i for i, name in enumerate(header) if not name.endswith(FLAG)]
    flags = {i - 1: i for i, name in enumerate(header) if name.endswith(FLAG)}
    result = [[header[i] for i in keep]]
    for row in body:
        cells = []
        for i in keep:
            if i in flags and row[flags[i]] == "TRUE":
                assert row[i] == "", f"a hidden figure's cell is empty, not {row[i]!r}"
                cells.append("hidden")
            else:
                cells.append(row[i])
        result.append(cells)
    return result


def csv_cells(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return folded(csv_table(response.content))


def xlsx_cells(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return folded(xlsx_table(response.content))


def _api_text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # as the CSV writes it
    return "" if value is None else str(value)


def api_cells(table):
    """A dashboard table from the API (``{columns, rows: [[{value, hidden}]]}``) as the same
    cells as its CSV: "hidden" for a hidden figure (whose value must be null: the API never
    holds a hidden number), the value's text otherwise."""
    result = [[column["label"] for column in table["columns"]]]
    for row in table["rows"]:
        cells = []
        for cell in row:
            if cell["hidden"]:
                assert cell["value"] is None, f"a hidden figure's value is null, not {cell!r}"
                cells.append("hidden")
            else:
                cells.append(_api_text(cell["value"]))
        result.append(cells)
    return result
