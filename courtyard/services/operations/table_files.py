"""Reading an uploaded table (.csv in UTF-8, UTF-8 with BOM or GBK, or .xlsx) into rows of cell texts.

Shared by the household import and the bank-statement import. A sheet's declared size is not believed:
only the rows that are there are read, at most ``max_columns`` cells of each, and a file whose rows go on
far past ``max_rows`` filled ones is refused before it is walked.
"""

import csv
import io
from dataclasses import dataclass
from itertools import islice

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from courtyard.errors import DomainError

ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 reads GBK and GB2312 too


@dataclass
class Problem:
    """What is wrong in one row (1 is the header) and column of an uploaded table."""

    row: int
    column: str
    message: str


class ImportRejected(Exception):
    """The file had problems; nothing was imported."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def read_table(filename, stream, *, max_rows, max_columns, too_many, field="file"):
    """Rows of cell texts from an uploaded .csv or .xlsx file: every row up to ``max_rows + 1`` filled ones
    (one more than allowed, so the caller can say so). ``too_many`` is the message for a file whose rows,
    blank ones included, go on past four times ``max_rows``."""
    name = (filename or "").lower()
    raw = stream.read()
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
            sheet.reset_dimensions()  # the file's declared size is not believed: only rows that are there are read
            rows = sheet.iter_rows(max_col=max_columns, values_only=True)
            return _first_rows(([cell_text(value) for value in row] for row in rows), max_rows, too_many, field)
        except DomainError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise DomainError(_l("This .xlsx file cannot be read. Save it again from Excel or WPS."), field) from exc
    if name.endswith(".csv"):
        text = decode(raw, field)
        try:
            return _first_rows((row[:max_columns] for row in csv.reader(io.StringIO(text))), max_rows, too_many, field)
        except csv.Error as exc:  # a field over the csv module's limit, a NUL character
            raise DomainError(_l("This CSV file cannot be read: a cell is too long or holds odd characters."),
                              field) from exc
    raise DomainError(_l("Choose a .csv or .xlsx file."), field)


def decode(raw, field="file"):
    """The text of a CSV file written in UTF-8 (with or without BOM) or GBK."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_l("This CSV file's text encoding is not UTF-8 or GBK."), field)


def _first_rows(rows, max_rows, too_many, field):
    kept, filled, scanned_limit = [], 0, 4 * max_rows
    for row in islice(rows, scanned_limit + 1):
        if len(kept) == scanned_limit:
            raise DomainError(too_many, field)
        kept.append(row)
        if any((cell or "").strip() for cell in row):
            filled += 1
            if filled > max_rows + 1:
                break
    return kept


def cell_text(value):
    """A cell's value as text: whole-number floats without ``.0``, dates as ``YYYY-MM-DD HH:MM:SS``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()
