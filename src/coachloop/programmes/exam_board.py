"""The exam board's tables as files: an Excel workbook with a sheet for each table, or one
table as CSV. Text is kept as text in both: a name or a note starting with "=" never runs as a
spreadsheet formula."""

import csv
import io

import openpyxl
from openpyxl.styles import Font

from coachloop.common.text import spreadsheet_safe


def exam_board_xlsx(board):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in (board.marks, board.history):
        sheet = book.create_sheet(table.title)
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"
        for row in table.rows:
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    # openpyxl stores a string starting with "=" as a formula otherwise.
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    return "" if value is None else value


def exam_board_csv(table):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(
            [spreadsheet_safe(value) if isinstance(value, str) else _cell(value) for value in row]
        )
    return out.getvalue()
