"""The one way the app writes a cell to a CSV or XLSX file: text stays text, never a formula.

A household name such as ``=HYPERLINK("http://…","点击")`` would run as a formula in Excel or WPS
when it opens the file (CSV injection). Every writer passes its rows through :func:`cells`, which
puts an apostrophe before text starting with ``= + - @``, a tab or a carriage return (the
spreadsheet then shows the text as typed); plain numbers such as ``-12.50`` are left alone.
``csv_writer`` wraps :func:`csv.writer`; ``append_row`` fills an openpyxl sheet (after the
apostrophe openpyxl stores every string as text); ``xlsx_stream`` calls :func:`text_cell` itself.
"""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def text_cell(value):
    """``value`` made safe to write as a cell: text that a spreadsheet would run is neutralised."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def cells(values):
    """A row of values, each through :func:`text_cell`."""
    return tuple(text_cell(value) for value in values)


class SafeCsvWriter:
    """:func:`csv.writer` whose every row goes through :func:`cells`."""

    def __init__(self, buffer):
        self._writer = csv.writer(buffer)

    def writerow(self, row):
        return self._writer.writerow(cells(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(buffer):
    return SafeCsvWriter(buffer)


def append_row(sheet, values):
    """Append a row to an openpyxl sheet (ordinary or write-only) with every text cell as text."""
    sheet.append(cells(values))
