"""The exam board's tables as files: an Excel workbook with a sheet for each table, or one
table as CSV, both through ``common.spreadsheets``: marks are numbers, times are times, yes/no
are booleans, and text is kept as text (a name or a note starting with "=" never runs as a
spreadsheet formula)."""

from coachloop.common.spreadsheets import csv_bytes, xlsx_bytes


def exam_board_xlsx(board):
    return xlsx_bytes([board.marks.sheet(), board.history.sheet()])


def exam_board_csv(table):
    return csv_bytes(table.columns(), table.rows)
